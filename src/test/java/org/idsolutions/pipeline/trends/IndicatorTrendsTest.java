package org.idsolutions.pipeline.trends;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.idsolutions.pipeline.config.IndicatorRules;
import org.idsolutions.pipeline.lakehouse.Tables;
import org.idsolutions.pipeline.support.IndicatorValueRow;
import org.idsolutions.pipeline.support.SameRows;
import org.idsolutions.pipeline.support.SparkTestSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Mann-Kendall, Theil-Sen and directions against textbook numbers and a brute-force computation.
 */
class IndicatorTrendsTest {
  static Map<String, Row> lastRow = new HashMap<>();
  static Map<String, Row> seriesRow = new HashMap<>();
  static Dataset<Row> values;
  static Map<String, double[]> randomSeries = new HashMap<>();
  static Map<String, int[]> randomYears = new HashMap<>();

  static Row value(String family, String code, String indicator, int year, double v, Double se) {
    return IndicatorValueRow.ofYear(
        year,
        "source_family",
        family,
        "country",
        "NGA",
        "admin_level",
        1,
        "admin_code",
        code,
        "indicator_id",
        indicator,
        "population_group",
        "idp",
        "value",
        v,
        "se",
        se);
  }

  @BeforeAll
  static void compute() {
    SparkSession spark = SparkTestSession.get();
    List<Row> rows = new ArrayList<>();
    double[] rising = {1, 2, 3, 4, 5}; // textbook: S = 10, tau = 1, slope 1
    for (int i = 0; i < 5; i++) {
      rows.add(value("tracking", "RISE", "idp_stock", 2020 + i, rising[i], null));
      rows.add(value("survey", "RISE", "exited_composite", 2020 + i, rising[i], null));
    }
    int[] tieYears = {2020, 2021, 2023, 2024}; // a gap in 2022
    double[] tied = {1, 2, 2, 3};
    for (int i = 0; i < 4; i++) {
      rows.add(value("tracking", "TIES", "idp_stock", tieYears[i], tied[i], null));
    }
    for (int i = 0; i < 5; i++) {
      rows.add(value("tracking", "FLAT", "idp_stock", 2020 + i, i % 2 == 0 ? 5 : 6, null));
    }
    rows.add(value("survey", "Z", "employed", 2024, 0.30, 0.02)); // two rounds: 0.30 -> 0.38
    rows.add(value("survey", "Z", "employed", 2025, 0.38, 0.025)); // z = 0.08 / 0.032016 = 2.499
    rows.add(value("survey", "Z2", "employed", 2024, 0.30, 0.02)); // 0.30 -> 0.36: z = 1.874
    rows.add(value("survey", "Z2", "employed", 2025, 0.36, 0.025));
    Random random = new Random(7);
    for (int s = 0; s < 6; s++) {
      int n = 5 + random.nextInt(8);
      double[] v = new double[n];
      int[] years = new int[n];
      int year = 2000;
      for (int i = 0; i < n; i++) {
        year += 1 + (random.nextInt(4) == 0 ? 1 : 0); // some gaps
        years[i] = year;
        v[i] = random.nextInt(6); // small integers: many ties
        rows.add(value("tracking", "R" + s, "idp_stock", year, v[i], null));
      }
      randomSeries.put("R" + s, v);
      randomYears.put("R" + s, years);
    }
    values = spark.createDataFrame(rows, Tables.INDICATOR_VALUES.schema());
    IndicatorTrends.Trends trends =
        IndicatorTrends.compute(
            values, functions.not(functions.col("indicator_id").equalTo("idp_stock")), "run");
    for (Row r : trends.points().orderBy(functions.col("period_start")).collectAsList()) {
      lastRow.put(r.<String>getAs("admin_code") + "|" + r.<String>getAs("indicator_id"), r);
    }
    for (Row r : trends.series().collectAsList()) {
      String series = r.<String>getAs("admin_code") + "|" + r.<String>getAs("indicator_id");
      assertThat(seriesRow.put(series, r)).as(series).isNull(); // one row per series
    }
  }

  static double d(Row r, String c) {
    return ((Number) r.getAs(c)).doubleValue();
  }

  /**
   * An incremental walk: the tracking group changed from 2023 on (a value changed, a year added, a
   * series gone); its series extended from their kept points give the rows of a full walk.
   */
  @Test
  void aSeriesExtendedFromItsKeptPointsGivesTheRowsOfAFullWalk() {
    Column polarity = functions.not(functions.col("indicator_id").equalTo("idp_stock"));
    Column tracking = functions.col("source_family").equalTo("tracking");
    Column fromChange = functions.col("period_start").geq(Date.valueOf("2023-01-01"));
    List<Row> old = new ArrayList<>();
    for (Row r :
        values
            .where(tracking.and(functions.year(functions.col("period_start")).lt(2024)))
            .collectAsList()) {
      old.add(
          value(
              "tracking",
              r.getAs("admin_code"),
              r.getAs("indicator_id"),
              r.<Date>getAs("period_start").toLocalDate().getYear(),
              r.getAs("admin_code").equals("RISE")
                      && r.<Date>getAs("period_start").toLocalDate().getYear() == 2023
                  ? 99
                  : r.<Double>getAs("value"),
              null));
    }
    old.add(value("tracking", "GONE", "idp_stock", 2023, 4, null));
    old.add(value("tracking", "GONE", "idp_stock", 2024, 5, null));
    SparkSession spark = SparkTestSession.get();
    Dataset<Row> before = spark.createDataFrame(old, Tables.INDICATOR_VALUES.schema());
    Dataset<Row> state = IndicatorTrends.compute(before, polarity, "old").series();
    Dataset<Row> firstChanges =
        spark.createDataFrame(
            List.of(RowFactory.create("tracking", "year", "NGA", Date.valueOf("2023-01-01"))),
            new org.apache.spark.sql.types.StructType()
                .add("source_family", "string")
                .add("period_type", "string")
                .add("country", "string")
                .add("first_change", "date"));
    IndicatorTrends.Trends extended =
        IndicatorTrends.Trends.of(
            IndicatorTrends.walkedFrom(
                state, values.where(tracking.and(fromChange)), firstChanges, polarity, "run"));
    IndicatorTrends.Trends full = IndicatorTrends.compute(values.where(tracking), polarity, "run");
    List<String> key = new ArrayList<>(IndicatorTrends.SERIES);
    SameRows.assertSame(extended.series(), full.series(), key);
    assertThat(full.series().where(functions.col("admin_code").equalTo("GONE")).count()).isZero();
    key.add("period_start");
    String[] seriesColumns = SeriesRows.SERIES_COLUMNS.toArray(new String[0]);
    // the walk gives the points from the change only: the kept ones have their rows already
    SameRows.assertSame(
        extended.points().drop(seriesColumns),
        full.points().where(fromChange).drop(seriesColumns),
        key);
  }

  /**
   * An incremental run's points come in two halves: each group's latest period in tasks of their
   * own, so in files of their own, and the other points in the others; no point is lost or doubled
   * (docs/performance.md, change 95).
   */
  @Test
  void eachGroupsLatestPeriodComesFromTasksOfItsOwn() {
    SparkSession spark = SparkTestSession.get();
    List<Row> rows = new ArrayList<>();
    // two countries whose latest months differ, and Nigeria's latest year
    for (String[] p :
        List.of(
            new String[] {"NGA", "month", "2025-10-01"},
            new String[] {"NGA", "month", "2025-11-01"},
            new String[] {"NGA", "month", "2025-12-01"},
            new String[] {"TCD", "month", "2025-09-01"},
            new String[] {"TCD", "month", "2025-10-01"},
            new String[] {"NGA", "year", "2024-01-01"},
            new String[] {"NGA", "year", "2025-01-01"})) {
      for (String area : List.of("A", "B", "C")) {
        rows.add(RowFactory.create("tracking", p[1], p[0], area, Date.valueOf(p[2])));
      }
    }
    Dataset<Row> points =
        spark
            .createDataFrame(
                rows,
                new org.apache.spark.sql.types.StructType()
                    .add("source_family", "string")
                    .add("period_type", "string")
                    .add("country", "string")
                    .add("admin_code", "string")
                    .add("period_start", "date"))
            // hashed, as a shuffle's tasks are: Spark would join the halves' equally partitioned
            // tasks with spark.sql.unionOutputPartitioning on
            .repartition(2, functions.col("admin_code"))
            .persist();
    List<Row> out;
    try (var apart =
        org.idsolutions.pipeline.lakehouse.SparkSessions.setUntilClosed(
            spark, org.idsolutions.pipeline.lakehouse.Lakehouse.UNION_APART)) {
      out =
          IndicatorTrends.latestApart(points)
              .withColumn("task", functions.spark_partition_id())
              .collectAsList();
    } finally {
      points.unpersist();
    }
    assertThat(
            out.stream()
                .map(
                    r ->
                        r.getAs("country")
                            + " "
                            + r.getAs("period_type")
                            + " "
                            + r.getAs("period_start")
                            + " "
                            + r.getAs("admin_code")))
        .containsExactlyInAnyOrderElementsOf(
            rows.stream()
                .map(r -> r.get(2) + " " + r.get(1) + " " + r.get(4) + " " + r.get(3))
                .toList());
    List<String> latest =
        List.of("NGA month 2025-12-01", "TCD month 2025-10-01", "NGA year 2025-01-01");
    java.util.Set<Integer> latestTasks = new java.util.TreeSet<>();
    java.util.Set<Integer> olderTasks = new java.util.TreeSet<>();
    for (Row r : out) {
      String period =
          r.getAs("country") + " " + r.getAs("period_type") + " " + r.getAs("period_start");
      (latest.contains(period) ? latestTasks : olderTasks).add(r.<Integer>getAs("task"));
    }
    assertThat(latestTasks).isNotEmpty().doesNotContainAnyElementsOf(olderTasks);
    assertThat(olderTasks).isNotEmpty();
  }

  @Test
  void polarityColumnAgreesWithTheRules() {
    SparkSession spark = SparkTestSession.get();
    Dataset<Row> ids =
        spark.createDataFrame(
            List.of(
                RowFactory.create("idp_stock"),
                RowFactory.create("exited_all_criteria"),
                RowFactory.create("budget_usd")),
            new org.apache.spark.sql.types.StructType()
                .add("indicator_id", org.apache.spark.sql.types.DataTypes.StringType));
    Map<String, Boolean> lowerByDefault = new HashMap<>();
    lowerByDefault.put("default", false);
    lowerByDefault.put("exited_all_criteria", true);
    for (IndicatorRules rules :
        List.of(
            new IndicatorRules(List.of(), null),
            new IndicatorRules(List.of(), Map.of("idp_stock", false)),
            new IndicatorRules(List.of(), lowerByDefault))) {
      for (Row r :
          ids.select(functions.col("indicator_id"), IndicatorTrends.polarity(rules))
              .collectAsList()) {
        assertThat(r.getBoolean(1))
            .as(rules + " " + r.getString(0))
            .isEqualTo(rules.higherIsBetter(r.getString(0)));
      }
    }
    assertThat(new IndicatorRules(List.of(), lowerByDefault).higherIsBetter("budget_usd"))
        .isFalse();
  }

  @Test
  void textbookIncreasingSeries() {
    Row r = seriesRow.get("RISE|idp_stock");
    assertThat(d(r, "mk_s")).isEqualTo(10);
    assertThat(d(r, "mk_tau")).isEqualTo(1.0);
    // var = 5*4*15/18 = 16.667; z = (10 - 1) / 4.0825 = 2.2045; p = 0.02749
    assertThat(d(r, "mk_p_value")).isCloseTo(0.027486, within(1e-5));
    assertThat(d(r, "theil_sen_slope_per_year")).isCloseTo(1.0, within(1e-12));
  }

  @Test
  void tiesAndGapsAreCounted() {
    Row r = seriesRow.get("TIES|idp_stock");
    // S = 5; var = (4*3*13 - 2*1*9) / 18 = 7.6667; z = 4 / 2.7689 = 1.4446; p = 0.14856
    assertThat(d(r, "mk_s")).isEqualTo(5);
    assertThat(d(r, "mk_p_value")).isCloseTo(0.148562, within(1e-5));
    // slopes per year (2022 missing): 1/1, 1/3, 2/4, 0/2, 1/3, 1/1 -> sorted 0, 1/3, 1/3, 1/2, 1, 1
    assertThat(d(r, "theil_sen_slope_per_year")).isCloseTo((1 / 3.0 + 0.5) / 2, within(1e-12));
    assertThat(r.<Long>getAs("gaps")).isEqualTo(1L);
    assertThat(r.<Long>getAs("series_points")).isEqualTo(4L);
    assertThat(r.<Date>getAs("first_period_start")).isEqualTo(Date.valueOf("2020-01-01"));
    assertThat(r.<Date>getAs("last_period_start")).isEqualTo(Date.valueOf("2024-01-01"));
  }

  @Test
  void directionFollowsThePolarity() {
    assertThat(seriesRow.get("RISE|idp_stock").<String>getAs("direction")).isEqualTo("worsening");
    assertThat(seriesRow.get("RISE|exited_composite").<String>getAs("direction"))
        .isEqualTo("improving");
    assertThat(seriesRow.get("FLAT|idp_stock").<String>getAs("direction")).isEqualTo("stable");
    assertThat(seriesRow.get("Z|employed").<String>getAs("direction"))
        .isNull(); // fewer than 3 points
  }

  @Test
  void surveyRoundChangesAreTestedWithBothStandardErrors() {
    assertThat(d(lastRow.get("Z|employed"), "change_z"))
        .isCloseTo(0.08 / Math.sqrt(0.0004 + 0.000625), within(1e-9));
    assertThat(lastRow.get("Z|employed").<Boolean>getAs("change_significant")).isTrue();
    assertThat(d(lastRow.get("Z2|employed"), "change_z")).isCloseTo(1.8741, within(1e-4));
    assertThat(lastRow.get("Z2|employed").<Boolean>getAs("change_significant")).isFalse();
  }

  @Test
  void periodChangesAndRollingMean() {
    Row r = lastRow.get("RISE|idp_stock"); // 2024: 5, previous 4
    assertThat(d(r, "previous_value")).isEqualTo(4);
    assertThat(d(r, "change")).isEqualTo(1);
    assertThat(d(r, "pct_change")).isCloseTo(25.0, within(1e-12));
    assertThat(d(r, "yoy_change")).isEqualTo(1);
    assertThat(d(r, "rolling_mean_3")).isCloseTo(4.0, within(1e-12));
  }

  @Test
  void statisticsEqualABruteForceOverAllPairs() {
    NormalDistribution normal = new NormalDistribution();
    for (var e : randomSeries.entrySet()) {
      double[] v = e.getValue();
      int[] years = randomYears.get(e.getKey());
      int n = v.length;
      double s = 0;
      List<Double> slopes = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        for (int j = i + 1; j < n; j++) {
          s += Math.signum(v[j] - v[i]);
          slopes.add((v[j] - v[i]) / (years[j] - years[i]));
        }
      }
      double[] sorted = slopes.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      double median =
          sorted.length % 2 == 1
              ? sorted[sorted.length / 2]
              : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
      Map<Double, Integer> groups = new HashMap<>();
      Arrays.stream(v).forEach(x -> groups.merge(x, 1, Integer::sum));
      double tie = 0;
      for (int t : groups.values()) {
        tie += t * (t - 1.0) * (2 * t + 5);
      }
      double var = (n * (n - 1.0) * (2 * n + 5) - tie) / 18;
      double z = s > 0 ? (s - 1) / Math.sqrt(var) : s < 0 ? (s + 1) / Math.sqrt(var) : 0;
      double p = 2 * (1 - normal.cumulativeProbability(Math.abs(z)));
      Row r = seriesRow.get(e.getKey() + "|idp_stock");
      assertThat(d(r, "mk_s")).as(e.getKey()).isEqualTo(s);
      assertThat(d(r, "theil_sen_slope_per_year")).as(e.getKey()).isCloseTo(median, within(1e-9));
      assertThat(d(r, "mk_p_value")).as(e.getKey()).isCloseTo(p, within(1e-6));
      assertThat(d(r, "mk_tau")).as(e.getKey()).isCloseTo(s / (n * (n - 1) / 2.0), within(1e-12));
    }
  }

  @Test
  void periodColumnsEqualABruteForceOnMonthlySeriesWithGaps() {
    SparkSession spark = SparkTestSession.get();
    Random random = new Random(11);
    List<Row> rows = new ArrayList<>();
    // area -> month -> {value, se}
    Map<String, java.util.TreeMap<LocalDate, double[]>> expected = new HashMap<>();
    for (int s = 0; s < 8; s++) {
      java.util.TreeMap<LocalDate, double[]> series = new java.util.TreeMap<>();
      LocalDate month = LocalDate.of(2021, 1 + random.nextInt(12), 1);
      for (int i = 0; i < 30; i++) {
        month = month.plusMonths(random.nextInt(3) == 0 ? 2 : 1); // a third of the steps skip one
        double v = random.nextInt(4) == 0 ? 0 : random.nextInt(50) / 10.0; // zeros: no pct change
        double se = random.nextInt(5) == 0 ? 0 : random.nextInt(10) / 100.0;
        series.put(month, new double[] {v, se});
        Row r = value("survey", "M" + s, "employed", 2000, v, se);
        Object[] cells = new Object[r.length()];
        for (int c = 0; c < cells.length; c++) {
          cells[c] = r.get(c);
        }
        String[] names = Tables.INDICATOR_VALUES.schema().fieldNames();
        for (int c = 0; c < names.length; c++) {
          if (names[c].equals("period_type")) {
            cells[c] = "month";
          } else if (names[c].equals("period_start")) {
            cells[c] = Date.valueOf(month);
          } else if (names[c].equals("period_end")) {
            cells[c] = Date.valueOf(month.plusMonths(1).minusDays(1));
          }
        }
        rows.add(RowFactory.create(cells));
      }
      expected.put("M" + s, series);
    }
    IndicatorTrends.Trends trends =
        IndicatorTrends.compute(
            spark.createDataFrame(rows, Tables.INDICATOR_VALUES.schema()),
            functions.lit(true),
            "run");
    assertThat(trends.series().collectAsList())
        .hasSize(8)
        .allSatisfy(r -> assertThat(r.<Long>getAs("series_points")).isEqualTo(30L));
    List<Row> out = trends.points().collectAsList();
    assertThat(out).hasSize(rows.size());
    for (Row r : out) {
      var series = expected.get(r.<String>getAs("admin_code"));
      LocalDate month = ((Date) r.getAs("period_start")).toLocalDate();
      double[] point = series.get(month);
      var before = series.lowerEntry(month);
      String at = r.getAs("admin_code") + " " + month;
      assertThat(d(r, "value")).as(at).isEqualTo(point[0]);
      if (before == null) {
        assertThat((Object) r.getAs("previous_value")).as(at).isNull();
        assertThat((Object) r.getAs("change")).as(at).isNull();
      } else {
        double change = point[0] - before.getValue()[0];
        assertThat(d(r, "previous_value")).as(at).isEqualTo(before.getValue()[0]);
        assertThat(d(r, "change")).as(at).isCloseTo(change, within(1e-12));
        if (before.getValue()[0] == 0) {
          assertThat((Object) r.getAs("pct_change")).as(at).isNull();
        } else {
          assertThat(d(r, "pct_change"))
              .as(at)
              .isCloseTo(change * 100 / before.getValue()[0], within(1e-9));
        }
        double changeSe = Math.hypot(point[1], before.getValue()[1]);
        if (changeSe == 0) {
          assertThat((Object) r.getAs("change_z")).as(at).isNull();
        } else {
          assertThat(d(r, "change_z")).as(at).isCloseTo(Math.abs(change) / changeSe, within(1e-9));
          assertThat(r.<Boolean>getAs("change_significant"))
              .as(at)
              .isEqualTo(Math.abs(change) / changeSe > 1.96);
        }
      }
      double[] yearBefore = series.get(month.minusYears(1));
      if (yearBefore == null) {
        assertThat((Object) r.getAs("yoy_change")).as(at).isNull();
      } else {
        assertThat(d(r, "yoy_change")).as(at).isCloseTo(point[0] - yearBefore[0], within(1e-12));
      }
      double sum = 0;
      int count = 0;
      for (double[] p : series.headMap(month, true).descendingMap().values()) {
        if (count == 3) {
          break;
        }
        sum += p[0];
        count++;
      }
      assertThat(d(r, "rolling_mean_3")).as(at).isCloseTo(sum / count, within(1e-12));
    }
  }
}
