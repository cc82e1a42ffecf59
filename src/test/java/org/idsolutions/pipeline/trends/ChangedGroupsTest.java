package org.idsolutions.pipeline.trends;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.idsolutions.pipeline.lakehouse.ChangeFeed;
import org.idsolutions.pipeline.lakehouse.Lakehouse;
import org.idsolutions.pipeline.lakehouse.PeriodsChanged;
import org.idsolutions.pipeline.lakehouse.Sql;
import org.idsolutions.pipeline.lakehouse.Tables;
import org.idsolutions.pipeline.support.IndicatorValueRow;
import org.idsolutions.pipeline.support.SparkTestSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The changed groups the trends recompute, from what the writes of indicator_values declared
 * (change 76), against the same groups found by reading the rows the writes replaced.
 */
class ChangedGroupsTest {
  @TempDir Path dir;

  /** An indicator_values row of one national idp_stock value. */
  static Row value(String family, String country, String type, LocalDate start, double v) {
    LocalDate end =
        switch (type) {
          case "month" -> start.plusMonths(1);
          case "quarter" -> start.plusMonths(3);
          default -> start.plusYears(1);
        };
    return IndicatorValueRow.of(
        "source_family",
        family,
        "country",
        country,
        "admin_level",
        0,
        "admin_code",
        country,
        "period_type",
        type,
        "period_start",
        Date.valueOf(start),
        "period_end",
        Date.valueOf(end.minusDays(1)),
        "indicator_id",
        "idp_stock",
        "population_group",
        "idp",
        "value",
        v);
  }

  /** Every month, quarter and year of {@code country} from January 2025 to {@code last}. */
  static List<Row> periods(String family, String country, LocalDate last, double v) {
    List<Row> rows = new ArrayList<>();
    for (LocalDate m = LocalDate.of(2025, 1, 1); !m.isAfter(last); m = m.plusMonths(1)) {
      rows.add(value(family, country, "month", m, v));
      if ((m.getMonthValue() - 1) % 3 == 0) {
        rows.add(value(family, country, "quarter", m, v));
      }
      if (m.getMonthValue() == 1) {
        rows.add(value(family, country, "year", m, v));
      }
    }
    return rows;
  }

  private static Dataset<Row> frame(List<Row> rows) {
    return SparkTestSession.get().createDataFrame(rows, Tables.INDICATOR_VALUES.schema());
  }

  @Test
  void theDeclaredGroupsAreTheGroupsOfTheRowsTheWritesReplaced() {
    SparkSession spark = SparkTestSession.get();
    Lakehouse lh = new Lakehouse(spark, dir.toString());
    lh.ensure(Tables.INDICATOR_VALUES);
    List<Row> base = new ArrayList<>();
    base.addAll(periods("tracking", "AFG", LocalDate.of(2025, 12, 1), 1));
    base.addAll(periods("tracking", "COD", LocalDate.of(2025, 12, 1), 1));
    base.add(value("survey", "COD", "year", LocalDate.of(2024, 1, 1), 0.4));
    base.add(value("survey", "COD", "year", LocalDate.of(2025, 1, 1), 0.5));
    base.add(value("survey", "NGA", "year", LocalDate.of(2025, 1, 1), 0.6));
    lh.overwrite(frame(base), Tables.INDICATOR_VALUES, null);
    long start = lh.version(Tables.INDICATOR_VALUES);

    // a new report of 2026-01-20 in Afghanistan, after one of 2025-12-14: the month, quarter and
    // year holding 14 December are recomputed with the later ones (as the tracking stage does)
    LocalDate latestKept = LocalDate.of(2025, 12, 14);
    List<Row> afg = new ArrayList<>(periods("tracking", "AFG", LocalDate.of(2026, 1, 1), 2));
    String afgPeriods = "country = 'AFG' AND " + Sql.periodsFrom(latestKept);
    lh.overwrite(
        frame(afg).where(afgPeriods),
        Tables.INDICATOR_VALUES,
        "source_family = 'tracking' AND (" + afgPeriods + ")",
        PeriodsChanged.from(Map.of("AFG", latestKept)));
    // Congo's 2025 survey reloaded with a round fewer (a deleted row), Nigeria's untouched
    lh.overwrite(
        frame(List.of(value("survey", "COD", "year", LocalDate.of(2024, 1, 1), 0.45))),
        Tables.INDICATOR_VALUES,
        "source_family = 'survey' AND country = 'COD'",
        PeriodsChanged.all(List.of("year")));
    long now = lh.version(Tables.INDICATOR_VALUES);

    List<org.idsolutions.pipeline.lakehouse.Lakehouse.Replacement> commits =
        lh.replacedSince(Tables.INDICATOR_VALUES, start, now).orElseThrow();
    assertThat(commits).hasSize(2);
    // each commit as the log holds it: its predicate, its declaration and its partitions
    assertThat(commits.get(0).predicate()).contains("country = 'AFG'");
    assertThat(PeriodsChanged.parse(commits.get(0).userMetadata()))
        .contains(PeriodsChanged.from(Map.of("AFG", latestKept)));
    assertThat(commits.get(0).partitions())
        .containsExactly(Map.of("source_family", "tracking", "country", "AFG"));
    assertThat(commits.get(1).partitions())
        .containsExactly(Map.of("source_family", "survey", "country", "COD"));
    List<String> declared = text(SummaryAndTrendsStage.declaredGroups(commits));
    List<String> read =
        text(
            new ChangeFeed.Replaced(start, now, commits)
                .rows(
                    lh,
                    Tables.INDICATOR_VALUES,
                    changes ->
                        changes
                            .groupBy(IndicatorTrends.cols(IndicatorTrends.GROUP))
                            .agg(functions.min("period_start"))));
    // read from the rows: each group's earliest replaced period, before or after
    assertThat(read)
        .containsExactlyInAnyOrder(
            "tracking month AFG 2025-12-01",
            "tracking quarter AFG 2025-10-01",
            "tracking year AFG 2025-01-01",
            "survey year COD 2024-01-01");
    // declared: the same tracking groups from the same periods; the survey's groups from their
    // first period (null: all of them, a few rounds a series)
    assertThat(declared)
        .containsExactlyInAnyOrder(
            "tracking month AFG 2025-12-01",
            "tracking quarter AFG 2025-10-01",
            "tracking year AFG 2025-01-01",
            "survey year COD null");

    // a write that declared nothing (an older pipeline's, or another writer's): rows are read
    lh.overwrite(
        frame(List.of(value("survey", "NGA", "year", LocalDate.of(2025, 1, 1), 0.7))),
        Tables.INDICATOR_VALUES,
        "source_family = 'survey' AND country = 'NGA'");
    List<org.idsolutions.pipeline.lakehouse.Lakehouse.Replacement> withUndeclared =
        lh.replacedSince(Tables.INDICATOR_VALUES, start, lh.version(Tables.INDICATOR_VALUES))
            .orElseThrow();
    assertThat(withUndeclared).hasSize(3);
    assertThat(SummaryAndTrendsStage.declaredGroups(withUndeclared)).isNull();
  }

  @Test
  void overlappingDeclarationsKeepTheEarliestFirstChange() {
    var later =
        new org.idsolutions.pipeline.lakehouse.Lakehouse.Replacement(
            "p",
            PeriodsChanged.from(Map.of("AFG", LocalDate.of(2025, 12, 14))).json(),
            List.of(Map.of("source_family", "tracking", "country", "AFG")));
    var earlier =
        new org.idsolutions.pipeline.lakehouse.Lakehouse.Replacement(
            "p",
            PeriodsChanged.from(Map.of("AFG", LocalDate.of(2025, 5, 2))).json(),
            List.of(
                Map.of("source_family", "tracking", "country", "AFG"),
                Map.of("source_family", "tracking", "country", "TCD")));
    assertThat(text(SummaryAndTrendsStage.declaredGroups(List.of(later, earlier))))
        .containsExactly(
            "tracking month AFG 2025-05-01",
            "tracking month TCD null",
            "tracking quarter AFG 2025-04-01",
            "tracking quarter TCD null",
            "tracking year AFG 2025-01-01",
            "tracking year TCD null");
    // a file action without partition values (an old log's remove): the rows are read
    java.util.List<Map<String, String>> unknown = new ArrayList<>();
    unknown.add(null);
    var noValues =
        new org.idsolutions.pipeline.lakehouse.Lakehouse.Replacement(
            "p", PeriodsChanged.all(PeriodsChanged.PERIOD_TYPES).json(), unknown);
    assertThat(SummaryAndTrendsStage.declaredGroups(List.of(later, noValues))).isNull();
  }

  private static List<String> text(List<Row> groups) {
    return groups.stream()
        .map(
            r ->
                r.getString(0)
                    + " "
                    + r.getString(1)
                    + " "
                    + r.getString(2)
                    + " "
                    + (r.isNullAt(3) ? "null" : r.getDate(3).toLocalDate().toString()))
        .toList();
  }
}
