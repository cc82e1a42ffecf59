package org.idsolutions.pipeline.trends;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.min;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.idsolutions.pipeline.config.IndicatorRules;
import org.idsolutions.pipeline.config.SurveyConfigs;
import org.idsolutions.pipeline.indicators.combined.CombinedIndicators;
import org.idsolutions.pipeline.lakehouse.ChangeFeed;
import org.idsolutions.pipeline.lakehouse.Lakehouse;
import org.idsolutions.pipeline.lakehouse.PeriodsChanged;
import org.idsolutions.pipeline.lakehouse.Sql;
import org.idsolutions.pipeline.lakehouse.TableSpec;
import org.idsolutions.pipeline.lakehouse.Tables;
import org.idsolutions.pipeline.ops.Fingerprints;
import org.idsolutions.pipeline.ops.RunLog;
import org.idsolutions.pipeline.stage.Stage;
import org.idsolutions.pipeline.stage.StageContext;
import org.idsolutions.pipeline.stage.StageResult;

/**
 * indicators.indicator_values -> combined indicators (source family combined),
 * indicators.regional_summary, indicators.indicator_trends and indicators.indicator_trend_series.
 * Skips when indicator_values and the indicator rules are as at its last run. Otherwise, after the
 * combined indicators, it finds which (family, country, period type) groups of indicator_values the
 * writes since the version it last read can have changed (the rows their replaceWhere predicates
 * match, before and after) and recomputes only those groups' series: their statistics, and their
 * points from the group's first changed period on.
 */
public final class SummaryAndTrendsStage implements Stage {
  public static final String NAME = "summary-and-trends";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public StageResult run(StageContext ctx) {
    Lakehouse lh = ctx.lakehouse();
    if (!lh.exists(Tables.INDICATOR_VALUES)) {
      return StageResult.skipped(NAME, null, "no indicator values yet: run indicators");
    }
    IndicatorRules rules = SurveyConfigs.rules(ctx.config().inputs().indicatorRules());
    String settingsHash = Fingerprints.sha256(rules.toString()).substring(0, 12);
    String last = RunLog.lastFingerprint(lh, NAME);
    String now = fingerprint(lh.version(Tables.INDICATOR_VALUES), settingsHash);
    // series written before they kept their points (docs/tables.md) are recomputed
    boolean fresh =
        !lh.exists(Tables.INDICATOR_TRENDS)
            || !lh.exists(Tables.INDICATOR_TREND_SERIES)
            || !List.of(lh.read(Tables.INDICATOR_TREND_SERIES).columns())
                .contains(SeriesRows.POINTS);
    if (!ctx.force() && !fresh && now.equals(last)) {
      return StageResult.skipped(NAME, now, "up to date with " + now);
    }
    lh.ensure(
        List.of(Tables.REGIONAL_SUMMARY, Tables.INDICATOR_TRENDS, Tables.INDICATOR_TREND_SERIES));
    Dataset<Row> summary =
        CombinedIndicators.regionalSummary(lh.read(Tables.INDICATOR_VALUES), ctx.runId())
            .persist(StorageLevel.MEMORY_AND_DISK());
    // a few thousand rows: one task writes them, one file per country, where the summary's
    // partitions wrote one file per partition and country (377 of indicator_values' 729 files at
    // scale 1, each opened by every later read of the table; docs/performance.md, change 69)
    long regions = lh.overwrite(summary.coalesce(1), Tables.REGIONAL_SUMMARY, null);
    lh.overwrite(
        CombinedIndicators.longFormat(summary).where("value IS NOT NULL").coalesce(1),
        Tables.INDICATOR_VALUES,
        "source_family = 'combined'",
        PeriodsChanged.all(List.of("year")));
    summary.unpersist();

    // the version the trends read, the combined rows included
    long version = lh.version(Tables.INDICATOR_VALUES);
    String fingerprint = fingerprint(version, settingsHash);
    ChangeFeed.Replaced replaced =
        fresh
            ? null
            : ChangeFeed.replacedSince(
                lh, Tables.INDICATOR_VALUES, last, settingsHash, version, ctx.force());
    List<Row> declared = replaced == null ? null : declaredGroups(replaced.commits());
    List<Row> changed =
        replaced == null ? null : declared != null ? declared : replacedGroups(lh, replaced);
    Column polarity = IndicatorTrends.polarity(rules);
    Written written = new Written(0, 0);
    if (changed == null) {
      written =
          write(
              lh,
              IndicatorTrends.compute(lh.read(Tables.INDICATOR_VALUES), polarity, ctx.runId()),
              null,
              null);
    } else if (!changed.isEmpty()) {
      String groups = groupsSql(changed);
      String fromFirstChange = fromFirstChangeSql(changed);
      // one walk for both tables: each changed series from its kept points and its new ones. Its
      // rows (the series, and their points from each group's first change) are kept until both
      // are written, in as many tasks as there are cores (a cached plan keeps the shuffle's
      // partitions, each of which would write files of its own)
      Dataset<Row> walked =
          IndicatorTrends.walkedFrom(
                  lh.read(Tables.INDICATOR_TREND_SERIES).where(groups),
                  lh.read(Tables.INDICATOR_VALUES).where(fromFirstChange),
                  firstChanges(lh, changed),
                  polarity,
                  ctx.runId())
              .coalesce(lh.spark().sparkContext().defaultParallelism())
              .persist(StorageLevel.MEMORY_AND_DISK());
      try {
        written = write(lh, IndicatorTrends.Trends.of(walked), fromFirstChange, groups);
      } finally {
        walked.unpersist();
      }
    }
    return new StageResult(
        NAME,
        StageResult.SUCCEEDED,
        regions,
        regions + written.points() + written.series(),
        0,
        lh.versions(
            List.of(
                Tables.REGIONAL_SUMMARY,
                Tables.INDICATOR_TRENDS,
                Tables.INDICATOR_TREND_SERIES,
                Tables.INDICATOR_VALUES)),
        fingerprint,
        regions
            + " region-years, "
            + written.points()
            + " trend points, "
            + written.series()
            + " series"
            + (changed == null
                ? " (all series)"
                : " (the series of "
                    + changed.size()
                    + " changed family-country-period groups)"
                    + (declared != null
                        ? " declared by the writes"
                        : " found in the replaced rows")));
  }

  private record Written(long points, long series) {}

  /**
   * The (family, period type, country) groups of the rows the commits replaced, read at both
   * versions, each with its earliest replaced period start; for commits that declared nothing
   * ({@link #declaredGroups}). Null when a version was vacuumed away: recompute everything then.
   */
  private static List<Row> replacedGroups(Lakehouse lh, ChangeFeed.Replaced replaced) {
    return replaced.rows(
        lh,
        Tables.INDICATOR_VALUES,
        changes -> changes.groupBy(cols(IndicatorTrends.GROUP)).agg(min(col("period_start"))));
  }

  /**
   * The groups the commits declared ({@link PeriodsChanged}), read from the Delta log without a
   * Spark job: each declared period type in each partition (family, country) whose files a commit
   * removed or added, from the first period start its declaration gives (the earliest over the
   * commits; null for all periods). Null when a commit declared nothing or a partition's values are
   * unknown: the rows must be read then.
   */
  static List<Row> declaredGroups(List<Lakehouse.Replacement> commits) {
    Map<List<String>, Optional<LocalDate>> first =
        new TreeMap<>(Comparator.comparing(Object::toString));
    for (Lakehouse.Replacement commit : commits) {
      PeriodsChanged declared = PeriodsChanged.parse(commit.userMetadata()).orElse(null);
      if (declared == null) {
        return null;
      }
      for (Map<String, String> partition : commit.partitions()) {
        String family = partition == null ? null : partition.get("source_family");
        String country = partition == null ? null : partition.get("country");
        if (family == null || country == null) {
          return null;
        }
        for (String type : declared.periodTypes()) {
          Optional<LocalDate> start = Optional.ofNullable(declared.firstStart(type, country));
          first.merge(List.of(family, type, country), start, SummaryAndTrendsStage::earlier);
        }
      }
    }
    List<Row> out = new ArrayList<>();
    first.forEach(
        (group, start) ->
            out.add(
                RowFactory.create(
                    group.get(0),
                    group.get(1),
                    group.get(2),
                    start.map(java.sql.Date::valueOf).orElse(null))));
    return out;
  }

  /** The earlier of two first changes, where empty (all periods) is the earliest. */
  private static Optional<LocalDate> earlier(Optional<LocalDate> a, Optional<LocalDate> b) {
    if (a.isEmpty() || b.isEmpty()) {
      return Optional.empty();
    }
    return a.get().isBefore(b.get()) ? a : b;
  }

  /** The changed groups as a table: {@link IndicatorTrends#GROUP} and first_change. */
  private static Dataset<Row> firstChanges(Lakehouse lh, List<Row> changed) {
    StructType schema = new StructType();
    for (String c : IndicatorTrends.GROUP) {
      schema = schema.add(c, DataTypes.StringType);
    }
    return lh.spark().createDataFrame(changed, schema.add("first_change", DataTypes.DateType));
  }

  /**
   * Writes the trends: the points replacing those {@code pointsWhere} matches, the series those
   * {@code seriesWhere} matches (everything when null).
   */
  private static Written write(
      Lakehouse lh, IndicatorTrends.Trends trends, String pointsWhere, String seriesWhere) {
    long points =
        lh.overwrite(
            conform(trends.points(), Tables.INDICATOR_TRENDS),
            Tables.INDICATOR_TRENDS,
            pointsWhere);
    // through one open file per family, as the walk gives them: sorting the series rows, each
    // with its points, by family first took most of the write (docs/performance.md, change 89)
    long series =
        lh.overwriteInFileOrder(
            conform(trends.series(), Tables.INDICATOR_TREND_SERIES),
            Tables.INDICATOR_TREND_SERIES,
            seriesWhere,
            null);
    return new Written(points, series);
  }

  /** The stage's fingerprint: the version of indicator_values it read and its rules' hash. */
  private static String fingerprint(long valuesVersion, String settingsHash) {
    return Tables.INDICATOR_VALUES.name() + "@" + valuesVersion + ";settings=" + settingsHash;
  }

  private static Column[] cols(List<String> names) {
    return IndicatorTrends.cols(names);
  }

  /** The rows in the table's column order and types. */
  private static Dataset<Row> conform(Dataset<Row> rows, TableSpec table) {
    List<Column> out = new ArrayList<>();
    for (StructField f : table.schema().fields()) {
      out.add(col(f.name()).cast(f.dataType()).as(f.name()));
    }
    return rows.select(out.toArray(new Column[0]));
  }

  /**
   * The changed groups as SQL: {@code (source_family = .. AND period_type = .. AND country IN
   * (..))} per family and period type. Every series lies in one group, so their rows are whole
   * series.
   *
   * @param changed rows of (source_family, period_type, country, first changed period start)
   */
  static String groupsSql(List<Row> changed) {
    Map<String, TreeSet<String>> countries = new TreeMap<>();
    for (Row r : changed) {
      countries
          .computeIfAbsent(groupTerm(r.getString(0), r.getString(1)), k -> new TreeSet<>())
          .add(r.getString(2));
    }
    return terms(countries);
  }

  /**
   * The points that can differ, as SQL: those of a changed group at or after the group's first
   * changed period start, or all its points when that is null (a point's figures depend on its own
   * and earlier points of its series only). Groups that share a family, period type and first
   * change are one term.
   */
  static String fromFirstChangeSql(List<Row> changed) {
    Map<String, TreeSet<String>> countries = new TreeMap<>();
    for (Row r : changed) {
      String term = groupTerm(r.getString(0), r.getString(1));
      if (!r.isNullAt(3)) {
        term += " AND period_start >= DATE'" + r.getDate(3).toLocalDate() + "'";
      }
      countries.computeIfAbsent(term, k -> new TreeSet<>()).add(r.getString(2));
    }
    return terms(countries);
  }

  private static String groupTerm(String family, String periodType) {
    return "source_family = "
        + Sql.literal(family)
        + " AND period_type = "
        + Sql.literal(periodType);
  }

  private static String terms(Map<String, TreeSet<String>> countries) {
    List<String> out = new ArrayList<>();
    countries.forEach((term, in) -> out.add("(" + term + " AND " + Sql.in("country", in) + ")"));
    return out.isEmpty() ? "false" : String.join(" OR ", out);
  }
}
