package org.idsolutions.pipeline.indicators;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.idsolutions.pipeline.config.PipelineConfig.TrackingSettings;
import org.idsolutions.pipeline.indicators.tracking.TrackingIndicators;
import org.idsolutions.pipeline.lakehouse.Lakehouse;
import org.idsolutions.pipeline.lakehouse.Tables;
import org.idsolutions.pipeline.support.ConformedFixture;
import org.idsolutions.pipeline.support.SameRows;
import org.idsolutions.pipeline.support.SparkTestSession;
import org.idsolutions.pipeline.support.TestConfig;
import org.junit.jupiter.api.Test;

/** Given conformed rows, expect hand-worked indicator values. */
class TrackingIndicatorsTest {
  private static final String MAIDUGURI = "NG008021";
  private static final String JERE = "NG008013";
  private static final String MADAGALI = "NG002010";
  private static final String CENTRAL = "NG002100";

  /** "indicator|admin_code|period_type|period_start" -> row. */
  private static Map<String, Row> compute(ConformedFixture f, TrackingSettings settings) {
    SparkSession spark = SparkTestSession.get();
    List<Row> rows =
        TrackingIndicators.compute(f.toDataset(spark), settings, "run").collectAsList();
    Map<String, Row> out = new HashMap<>();
    for (Row r : rows) {
      String key =
          r.<String>getAs("indicator_id")
              + "|"
              + r.<String>getAs("admin_code")
              + "|"
              + r.<String>getAs("period_type")
              + "|"
              + r.getAs("period_start").toString();
      assertThat(out.put(key, r)).as("one row per key: " + key).isNull();
    }
    return out;
  }

  private static double value(Map<String, Row> out, String key) {
    assertThat(out).containsKey(key);
    return out.get(key).<Double>getAs("value");
  }

  private static String lastReportDate(Map<String, Row> out, String key) {
    return String.valueOf(out.get(key).<Object>getAs("last_report_date"));
  }

  private static List<String> flags(Map<String, Row> out, String key) {
    return out.get(key).getList(out.get(key).fieldIndex("quality_flags"));
  }

  @Test
  void latestRoundWinsWithinPeriodAndRoundsAreNeverSummed() {
    ConformedFixture f =
        ConformedFixture.create()
            .admin2("NE", MAIDUGURI, "2024-01-05", 1, "conflict", 100) // early January round
            .admin2(
                "NE",
                MAIDUGURI,
                "2024-01-25",
                2,
                "conflict",
                150) // later January round: wins January
            .admin2(
                "NE", MAIDUGURI, "2024-02-10", 3, "conflict", 130); // February: wins Q1 and 2024
    Map<String, Row> out = compute(f, TestConfig.defaults().tracking());
    assertThat(value(out, "idp_stock|NG008021|month|2024-01-01")).isEqualTo(150.0);
    assertThat(value(out, "idp_stock|NG008021|month|2024-02-01")).isEqualTo(130.0);
    assertThat(value(out, "idp_stock|NG008021|quarter|2024-01-01")).isEqualTo(130.0); // not 380
    assertThat(value(out, "idp_stock|NG008021|year|2024-01-01")).isEqualTo(130.0);
    assertThat(lastReportDate(out, "idp_stock|NG008021|year|2024-01-01")).isEqualTo("2024-02-10");
  }

  @Test
  void reasonsAreSummedWithinAReportAndSplitByGroup() {
    ConformedFixture f =
        ConformedFixture.create()
            .admin2("NE", MAIDUGURI, "2024-03-15", 1, "conflict", 60) // conflict part of the round
            .admin2(
                "NE", MAIDUGURI, "2024-03-15", 1, "disaster", 40) // disaster part of the same round
            .admin2("NE", MAIDUGURI, "2024-03-15", 1, "other", 5); // reason not available
    Map<String, Row> out = compute(f, TestConfig.defaults().tracking());
    assertThat(value(out, "idp_stock|NG008021|month|2024-03-01")).isEqualTo(105.0);
    assertThat(value(out, "idp_stock_conflict|NG008021|month|2024-03-01")).isEqualTo(60.0);
    assertThat(value(out, "idp_stock_disaster|NG008021|month|2024-03-01")).isEqualTo(40.0);
    assertThat(value(out, "idp_stock_other|NG008021|month|2024-03-01")).isEqualTo(5.0);
  }

  @Test
  void mostRecentOperationWinsUnlessPriorityOrdersThem() {
    ConformedFixture f =
        ConformedFixture.create()
            .admin2("A", MAIDUGURI, "2024-01-05", 1, "conflict", 180) // A's first January round
            .admin2("A", MAIDUGURI, "2024-01-10", 2, "conflict", 200) // A's latest January round
            .admin2("B", MAIDUGURI, "2024-01-20", 7, "conflict", 300); // B reports later in January
    Map<String, Row> byRecency = compute(f, TestConfig.defaults().tracking());
    assertThat(value(byRecency, "idp_stock|NG008021|month|2024-01-01")).isEqualTo(300.0);
    assertThat(
            byRecency.get("idp_stock|NG008021|month|2024-01-01").<String>getAs("source_operation"))
        .isEqualTo("B");

    Map<String, Row> byPriority =
        compute(f, TestConfig.defaults("tracking.operation-priority", "A,B").tracking());
    assertThat(value(byPriority, "idp_stock|NG008021|month|2024-01-01")).isEqualTo(200.0);
    assertThat(
            byPriority.get("idp_stock|NG008021|month|2024-01-01").<String>getAs("source_operation"))
        .isEqualTo("A");
  }

  @Test
  void monthsRollUpToQuartersAndYearsWithChangesAgainstThePreviousPeriod() {
    ConformedFixture f =
        ConformedFixture.create()
            .admin2("NE", MAIDUGURI, "2024-01-15", 1, "conflict", 100) // January
            .admin2("NE", MAIDUGURI, "2024-02-15", 2, "conflict", 110) // February: Q1 figure
            .admin2("NE", MAIDUGURI, "2024-05-15", 3, "conflict", 121) // May (no April): Q2 figure
            .admin2(
                "NE", MAIDUGURI, "2024-11-15", 4, "conflict", 90) // November (no Q3): Q4 and 2024
            .admin2("NE", MAIDUGURI, "2025-01-15", 5, "conflict", 99); // January 2025: 2025
    Map<String, Row> out = compute(f, TestConfig.defaults().tracking());
    assertThat(value(out, "idp_stock|NG008021|quarter|2024-01-01")).isEqualTo(110.0);
    assertThat(value(out, "idp_stock|NG008021|quarter|2024-04-01")).isEqualTo(121.0);
    assertThat(value(out, "idp_stock|NG008021|quarter|2024-10-01")).isEqualTo(90.0);
    assertThat(value(out, "idp_stock|NG008021|year|2024-01-01")).isEqualTo(90.0);
    assertThat(value(out, "idp_stock|NG008021|year|2025-01-01")).isEqualTo(99.0);
    // February against January: +10, +10%
    assertThat(value(out, "idp_change|NG008021|month|2024-02-01")).isEqualTo(10.0);
    assertThat(value(out, "idp_change_pct|NG008021|month|2024-02-01"))
        .isCloseTo(10.0, within(1e-9));
    // May has no April figure before it: no change row
    assertThat(out).doesNotContainKey("idp_change|NG008021|month|2024-05-01");
    // Q2 against Q1: 121 - 110 = 11, 10%; Q4 has no Q3 before it
    assertThat(value(out, "idp_change|NG008021|quarter|2024-04-01")).isEqualTo(11.0);
    assertThat(value(out, "idp_change_pct|NG008021|quarter|2024-04-01"))
        .isCloseTo(10.0, within(1e-9));
    assertThat(out).doesNotContainKey("idp_change|NG008021|quarter|2024-10-01");
    // 2025 against 2024: 99 - 90 = 9, 10%
    assertThat(value(out, "idp_change|NG008021|year|2025-01-01")).isEqualTo(9.0);
    assertThat(value(out, "idp_change_pct|NG008021|year|2025-01-01")).isCloseTo(10.0, within(1e-9));
  }

  @Test
  void fromAFirstPeriodWithStoredStocksBeforeItAsAFullComputation() {
    ConformedFixture f =
        ConformedFixture.create()
            .admin2("NE", MAIDUGURI, "2023-03-15", 1, "conflict", 80) // 2023 without December
            .admin2("NE", MAIDUGURI, "2023-11-15", 2, "conflict", 90) //   Q4 and year 2023
            .admin2("NE", JERE, "2023-12-10", 2, "disaster", 40) // Jere: December 2023 too
            .admin1("NE", "NG008", "2023-12-10", 2, 135)
            .admin2("NE", MAIDUGURI, "2024-01-15", 3, "conflict", 100) // January 2024
            .admin2("NE", JERE, "2024-01-15", 3, "disaster", 44)
            .admin2("NE", MADAGALI, "2024-02-15", 4, "conflict", 70) // Adamawa, derived
            .admin2("NE", MAIDUGURI, "2024-05-15", 5, "conflict", 121);
    SparkSession spark = SparkTestSession.get();
    TrackingSettings settings = TestConfig.defaults().tracking();
    Dataset<Row> conformed = f.toDataset(spark);
    Dataset<Row> full = TrackingIndicators.compute(conformed, settings, "run").localCheckpoint();
    LocalDate first = LocalDate.parse("2024-01-01");
    Dataset<Row> previous = TrackingIndicators.previousStocks(full, Map.of("NGA", first));
    // the year, quarter and month before 2024 at every level that had a figure
    assertThat(previous.where("admin_pcode = 'NG008021'").count()).isEqualTo(2); // year, quarter
    assertThat(previous.where("admin_pcode = 'NG008013'").count()).isEqualTo(3);
    Dataset<Row> scoped =
        TrackingIndicators.compute(
            conformed.where(col("reporting_date").geq(lit(first))),
            previous,
            null,
            settings,
            "run");
    Dataset<Row> expected = full.where(col("period_start").geq(lit(first)));
    // the changes of January 2024, Q1 and 2024 against December, Q4 and 2023 are there
    assertThat(
            expected
                .where("indicator_id = 'idp_change' AND period_start = DATE'2024-01-01'")
                .count())
        .isGreaterThanOrEqualTo(9);
    SameRows.assertSame(
        scoped,
        expected,
        List.of("indicator_id", "population_group", "admin_code", "period_type", "period_start"));
  }

  @Test
  void onlyThePeriodsFromALatestUnchangedReportAsAFullComputation() {
    // the stage's incremental case: L = 2024-02-10 is the latest unchanged report, so February's
    // month, Q1 and 2024 on are computed, from the reports of 2024, with January, Q4 2023 and
    // 2023 read back from the full computation's stocks
    ConformedFixture f =
        ConformedFixture.create()
            .admin2("NE", MAIDUGURI, "2023-03-15", 1, "conflict", 80)
            .admin2("NE", MAIDUGURI, "2023-11-15", 2, "conflict", 90)
            .admin2("NE", JERE, "2023-12-10", 2, "disaster", 40)
            .admin1("NE", "NG008", "2023-12-10", 2, 135)
            .admin2("NE", MAIDUGURI, "2024-01-15", 3, "conflict", 100)
            .admin2("NE", JERE, "2024-01-15", 3, "disaster", 44)
            .admin2("NE", MAIDUGURI, "2024-02-10", 4, "conflict", 104)
            .admin2("NE", MADAGALI, "2024-02-10", 4, "conflict", 70)
            .admin2("NE", MAIDUGURI, "2024-05-15", 5, "conflict", 121)
            .admin2("NE", JERE, "2024-05-15", 5, "disaster", 30);
    SparkSession spark = SparkTestSession.get();
    TrackingSettings settings = TestConfig.defaults().tracking();
    Dataset<Row> conformed = f.toDataset(spark);
    Dataset<Row> full = TrackingIndicators.compute(conformed, settings, "run").localCheckpoint();
    Map<String, LocalDate> latest = Map.of("NGA", LocalDate.parse("2024-02-10"));
    Dataset<Row> previous = TrackingIndicators.previousStocks(full, latest);
    // January's month, Q4 2023 and 2023 (Maiduguri has all three)
    assertThat(
            previous
                .where("admin_pcode = 'NG008021'")
                .select("period_type", "period_start")
                .collectAsList()
                .stream()
                .map(Row::toString))
        .containsExactlyInAnyOrder(
            "[month,2024-01-01]", "[quarter,2023-10-01]", "[year,2023-01-01]");
    Dataset<Row> scoped =
        TrackingIndicators.compute(
            conformed.where(col("reporting_date").geq(lit(LocalDate.parse("2024-01-01")))),
            previous,
            functions.expr(TrackingIndicatorsStage.changedPeriodsSql(latest, "country_code")),
            settings,
            "run");
    Dataset<Row> expected =
        full.where(TrackingIndicatorsStage.changedPeriodsSql(latest, "country"));
    // Maiduguri: February against January, Q1 against Q4, Q2 against Q1 and 2024 against 2023
    // (May has no April); no month before February is computed
    assertThat(expected.where("indicator_id = 'idp_change' AND admin_code = 'NG008021'").count())
        .isEqualTo(4);
    assertThat(scoped.where("period_type = 'month' AND period_start < DATE'2024-02-01'").count())
        .isZero();
    SameRows.assertSame(
        scoped,
        expected,
        List.of("indicator_id", "population_group", "admin_code", "period_type", "period_start"));
  }

  @Test
  void eachTaskHoldsItsRowsInTheFileOrderOfIndicatorValues() {
    // the stage writes them as they come (Lakehouse.overwriteInFileOrder): files in period order
    ConformedFixture f =
        ConformedFixture.create()
            .admin2("NE", MAIDUGURI, "2023-03-15", 1, "conflict", 80)
            .admin2("NE", JERE, "2023-12-10", 2, "disaster", 40)
            .admin1("NE", "NG008", "2023-12-10", 2, 135)
            .admin2("NE", MAIDUGURI, "2024-01-15", 3, "conflict", 100)
            .admin2("NE", MADAGALI, "2024-02-15", 4, "conflict", 70);
    SparkSession spark = SparkTestSession.get();
    List<List<Row>> tasks;
    try (var write =
        org.idsolutions.pipeline.lakehouse.SparkSessions.setUntilClosed(
            spark, Lakehouse.IN_FILE_ORDER)) {
      tasks =
          TrackingIndicators.compute(f.toDataset(spark), TestConfig.defaults().tracking(), "run")
              .select(
                  Lakehouse.fileOrder(Tables.INDICATOR_VALUES).stream()
                      .map(functions::col)
                      .toArray(Column[]::new))
              .toJavaRDD()
              .glom()
              .collect();
    }
    long rows = 0;
    for (List<Row> task : tasks) {
      for (int i = 1; i < task.size(); i++) {
        String before = task.get(i - 1).mkString("|");
        String row = task.get(i).mkString("|");
        assertThat(row).as("row %d of a task after %s", i, before).isGreaterThanOrEqualTo(before);
      }
      rows += task.size();
    }
    assertThat(rows).isGreaterThan(20); // several units, levels, period types and periods
  }

  @Test
  void admin1IsReportedOrDerivedAndFlaggedWhenAdmin2Differs() {
    ConformedFixture f =
        ConformedFixture.create()
            .admin1("NE", "NG008", "2024-01-15", 1, 300) // Borno reported at admin 1
            .admin2("NE", MAIDUGURI, "2024-01-15", 1, "conflict", 200) // Borno admin 2 sum: 280,
            .admin2("NE", JERE, "2024-01-15", 1, "conflict", 80) //   6.7% below 300: flagged
            .admin2("NE", MADAGALI, "2024-01-15", 1, "conflict", 100) // Adamawa: admin 2 only,
            .admin2("NE", CENTRAL, "2024-01-15", 1, "conflict", 50) //   derived 150
            .admin1("NE", "NG008", "2024-02-15", 2, 300) // February: admin 2 sum 290,
            .admin2("NE", MAIDUGURI, "2024-02-15", 2, "conflict", 210) //   3.3% below: not flagged
            .admin2("NE", JERE, "2024-02-15", 2, "conflict", 80);
    Map<String, Row> out = compute(f, TestConfig.defaults().tracking());
    assertThat(value(out, "idp_stock|NG008|month|2024-01-01")).isEqualTo(300.0);
    assertThat(flags(out, "idp_stock|NG008|month|2024-01-01"))
        .containsExactly("admin2_sum_differs");
    assertThat(value(out, "idp_stock|NG002|month|2024-01-01")).isEqualTo(150.0);
    assertThat(flags(out, "idp_stock|NG002|month|2024-01-01"))
        .containsExactly("derived_from_admin2");
    assertThat(flags(out, "idp_stock|NG008|month|2024-02-01")).isEmpty();
    // by reason: the reported admin 1 figure's own (300 conflict), the derived one's admin 2 sums
    assertThat(value(out, "idp_stock_conflict|NG008|month|2024-01-01")).isEqualTo(300.0);
    assertThat(value(out, "idp_stock_disaster|NG008|month|2024-01-01")).isEqualTo(0.0);
    assertThat(value(out, "idp_stock_conflict|NG002|month|2024-01-01")).isEqualTo(150.0);
    assertThat(value(out, "idp_stock_other|NG002|month|2024-01-01")).isEqualTo(0.0);
    // National January: 300 + 150; shares 300/450 and 150/450; admin 2 share of the national figure
    assertThat(value(out, "idp_stock|NGA|month|2024-01-01")).isEqualTo(450.0);
    assertThat(value(out, "idp_share_of_country|NG008|month|2024-01-01"))
        .isCloseTo(2 / 3.0, within(1e-12));
    assertThat(value(out, "idp_share_of_country|NG002|month|2024-01-01"))
        .isCloseTo(1 / 3.0, within(1e-12));
    assertThat(value(out, "idp_share_of_country|NG008021|month|2024-01-01"))
        .isCloseTo(200 / 450.0, within(1e-12));
  }

  /**
   * A round's admin 2 units report on different days. Borno's figure of round 5 is derived from
   * every unit's latest day in the round (Maiduguri 28 March, Jere 2 April), dated the latest of
   * them; Adamawa's own admin 1 row of 28 March stands against its admin 2 row of 3 April.
   */
  @Test
  void admin1OfARoundWhoseUnitsReportOnDifferentDays() {
    ConformedFixture f =
        ConformedFixture.create()
            .withReturnees("NE", MAIDUGURI, "2024-03-20", 5, 90, 7) // Maiduguri's earlier day,
            .withReturnees("NE", MAIDUGURI, "2024-03-28", 5, 100, 10) //   and its latest
            .withReturnees("NE", JERE, "2024-04-02", 5, 50, 5)
            .admin2("NE", JERE, "2024-04-02", 5, "disaster", 30) // Jere: 80 on 2 April
            .admin1("NE", "NG002", "2024-03-20", 5, 290) // Adamawa reported at admin 1 twice,
            .admin1("NE", "NG002", "2024-03-28", 5, 300) //   the latest day standing
            .admin2("NE", MADAGALI, "2024-04-03", 5, "conflict", 280); // 6.7 % off: flagged
    Map<String, Row> out = compute(f, TestConfig.defaults().tracking());
    // Borno: 100 + 80 (not Jere's 80 alone), in April and the second quarter
    assertThat(value(out, "idp_stock|NG008|month|2024-04-01")).isEqualTo(180.0);
    assertThat(value(out, "idp_stock|NG008|quarter|2024-04-01")).isEqualTo(180.0);
    assertThat(value(out, "idp_stock|NG008|year|2024-01-01")).isEqualTo(180.0);
    assertThat(value(out, "idp_stock_conflict|NG008|year|2024-01-01")).isEqualTo(150.0);
    assertThat(value(out, "idp_stock_disaster|NG008|year|2024-01-01")).isEqualTo(30.0);
    assertThat(value(out, "returnee_stock|NG008|year|2024-01-01")).isEqualTo(15.0); // 10 + 5
    assertThat(flags(out, "idp_stock|NG008|year|2024-01-01"))
        .containsExactly("derived_from_admin2");
    assertThat(lastReportDate(out, "idp_stock|NG008|year|2024-01-01")).isEqualTo("2024-04-02");
    assertThat(out).doesNotContainKeys("idp_stock|NG008|month|2024-03-01");
    // the admin 2 units keep their own days: Maiduguri's latest March figure
    assertThat(value(out, "idp_stock|NG008021|month|2024-03-01")).isEqualTo(100.0);
    // Adamawa: its own figure of its latest day, 28 March, in March only
    assertThat(value(out, "idp_stock|NG002|month|2024-03-01")).isEqualTo(300.0);
    assertThat(value(out, "idp_stock|NG002|year|2024-01-01")).isEqualTo(300.0);
    assertThat(flags(out, "idp_stock|NG002|year|2024-01-01")).containsExactly("admin2_sum_differs");
    assertThat(out).doesNotContainKeys("idp_stock|NG002|month|2024-04-01");
    // the nation's year: 180 + 300
    assertThat(value(out, "idp_stock|NGA|year|2024-01-01")).isEqualTo(480.0);
  }

  @Test
  void staleWhenTheLatestFigureIsOlderThanTheLimitAtPeriodEnd() {
    ConformedFixture f =
        ConformedFixture.create()
            .admin2("NE", MAIDUGURI, "2024-01-15", 1, "conflict", 100) // only report of Maiduguri
            .admin2("NE", JERE, "2024-06-15", 2, "conflict", 50); // the country's data runs to June
    Map<String, Row> out = compute(f, TestConfig.defaults().tracking());
    // 2024 ends (for this country's data) on 2024-06-15: 5 months after Maiduguri's report > 3
    assertThat(flags(out, "idp_stock|NG008021|year|2024-01-01")).contains("stale");
    assertThat(flags(out, "idp_stock|NG008021|month|2024-01-01")).doesNotContain("stale");
    assertThat(flags(out, "idp_stock|NG008013|year|2024-01-01")).doesNotContain("stale");
    // With a 6-month limit Maiduguri's 2024 figure is not stale
    Map<String, Row> lenient =
        compute(f, TestConfig.defaults("tracking.stale-after-months", "6").tracking());
    assertThat(flags(lenient, "idp_stock|NG008021|year|2024-01-01")).doesNotContain("stale");
  }

  @Test
  void returneeStockOnlyWhereReported() {
    ConformedFixture f =
        ConformedFixture.create()
            .withReturnees("NE", MAIDUGURI, "2024-01-15", 1, 100, 40) // reports returnees
            .admin2("NE", JERE, "2024-01-15", 1, "conflict", 50); // does not
    Map<String, Row> out = compute(f, TestConfig.defaults().tracking());
    assertThat(value(out, "returnee_stock|NG008021|month|2024-01-01")).isEqualTo(40.0);
    assertThat(
            out.get("returnee_stock|NG008021|month|2024-01-01").<String>getAs("population_group"))
        .isEqualTo("returnee");
    assertThat(out).doesNotContainKey("returnee_stock|NG008013|month|2024-01-01");
  }

  @Test
  void persistedStocksGiveTheSameRowsAndAreNotAggregatedAgain() {
    // the stage computes the units' stocks once and persists them; the indicators over them then
    // aggregate only the nation's stocks (for its rows and for the shares' totals), where one
    // query recomputed the reports' three aggregations for each read of the stocks
    // (docs/performance.md, change 87)
    ConformedFixture f =
        ConformedFixture.create()
            .admin2("NE", MAIDUGURI, "2024-01-15", 1, "conflict", 100)
            .admin2("NE", JERE, "2024-01-15", 1, "disaster", 44)
            .admin1("NE", "NG008", "2024-01-15", 1, 150)
            .admin2("NE", MADAGALI, "2024-02-15", 2, "conflict", 70)
            .admin2("NE", MAIDUGURI, "2024-05-15", 3, "conflict", 121);
    SparkSession spark = SparkTestSession.get();
    TrackingSettings settings = TestConfig.defaults().tracking();
    Dataset<Row> conformed = f.toDataset(spark);
    // one query, planned before the stocks are cached (the cache would then serve its stocks)
    List<Row> expected = TrackingIndicators.compute(conformed, settings, "run").collectAsList();
    assertThat(
            aggregates(
                TrackingIndicators.compute(conformed, settings, "run")
                    .queryExecution()
                    .optimizedPlan()))
        .isGreaterThan(4);
    Dataset<Row> stocks = TrackingIndicators.stocks(conformed, null, settings).persist();
    try {
      Dataset<Row> fromStocks = TrackingIndicators.fromStocks(stocks, null, settings, "run");
      // the nation's stocks, in each of the two halves (the older periods, the latest ones)
      assertThat(aggregates(fromStocks.queryExecution().optimizedPlan())).isEqualTo(4);
      SameRows.assertSame(
          fromStocks,
          spark.createDataFrame(expected, fromStocks.schema()),
          List.of("indicator_id", "population_group", "admin_code", "period_type", "period_start"));
    } finally {
      stocks.unpersist();
    }
  }

  private static Map<String, String> with(Map<String, String> a, Map<String, String> b) {
    Map<String, String> out = new HashMap<>(a);
    out.putAll(b);
    return out;
  }

  /** The aggregations in a logical plan, not counting those inside a cached relation. */
  private static int aggregates(org.apache.spark.sql.catalyst.plans.logical.LogicalPlan plan) {
    int n = plan instanceof org.apache.spark.sql.catalyst.plans.logical.Aggregate ? 1 : 0;
    for (var child : scala.jdk.javaapi.CollectionConverters.asJava(plan.children())) {
      n += aggregates(child);
    }
    return n;
  }

  @Test
  void eachCountrysOlderPeriodsComeFromOneTaskAndItsLatestPeriodsFromAnother() {
    // indicator_values is written in each task's row order, one file per country and task: a
    // country's older rows in one task make files in period order, and the periods that hold its
    // latest report (February 2024, the first quarter and 2024) files of their own, so the next
    // run's replaceWhere, from those periods on, rewrites whole files (docs/performance.md,
    // changes 87 and 93)
    ConformedFixture f =
        ConformedFixture.create()
            .admin2("NE", MAIDUGURI, "2024-01-15", 1, "conflict", 100)
            .admin2("NE", JERE, "2024-01-15", 1, "disaster", 44)
            .admin2("NE", MADAGALI, "2024-01-15", 1, "conflict", 70)
            .admin2("NE", CENTRAL, "2024-01-15", 1, "conflict", 50)
            .admin2("NE", MAIDUGURI, "2024-02-15", 2, "conflict", 110)
            .admin2("NE", JERE, "2024-02-15", 2, "disaster", 40)
            .admin2("NE", MADAGALI, "2024-02-15", 2, "conflict", 75)
            .admin2("NE", CENTRAL, "2024-02-15", 2, "conflict", 52);
    SparkSession spark = SparkTestSession.get();
    // no merging of small partitions, so that rows spread over the tasks would show, and no
    // broadcast, as when the stocks are too large for one (the shares' join then shuffles)
    try (var restore =
        org.idsolutions.pipeline.lakehouse.SparkSessions.setUntilClosed(
            spark,
            with(
                Lakehouse.IN_FILE_ORDER,
                Map.of(
                    "spark.sql.adaptive.coalescePartitions.enabled",
                    "false",
                    "spark.sql.autoBroadcastJoinThreshold",
                    "-1")))) {
      // from persisted stocks, as the stage computes them, every column collected (fewer would
      // prune the windows away)
      TrackingSettings settings = TestConfig.defaults().tracking();
      Dataset<Row> stocks = TrackingIndicators.stocks(f.toDataset(spark), null, settings).persist();
      List<Row> rows;
      try {
        rows =
            TrackingIndicators.fromStocks(stocks, null, settings, "run")
                .withColumn("task", functions.spark_partition_id())
                .collectAsList();
      } finally {
        stocks.unpersist();
      }
      assertThat(rows).hasSizeGreaterThan(40);
      assertThat(rows.stream().map(r -> r.<String>getAs("country")).distinct()).hasSize(1);
      Map<String, Set<Integer>> tasks = new TreeMap<>();
      for (Row r : rows) {
        tasks
            .computeIfAbsent(
                r.<String>getAs("period_type") + " " + r.getAs("period_start"),
                k -> new TreeSet<>())
            .add(r.<Integer>getAs("task"));
      }
      assertThat(tasks.keySet())
          .containsExactly(
              "month 2024-01-01", "month 2024-02-01", "quarter 2024-01-01", "year 2024-01-01");
      assertThat(tasks.values()).allSatisfy(t -> assertThat(t).hasSize(1));
      int older = tasks.get("month 2024-01-01").iterator().next();
      assertThat(tasks.get("month 2024-02-01"))
          .isEqualTo(tasks.get("quarter 2024-01-01"))
          .isEqualTo(tasks.get("year 2024-01-01"))
          .doesNotContain(older);
    }
  }
}
