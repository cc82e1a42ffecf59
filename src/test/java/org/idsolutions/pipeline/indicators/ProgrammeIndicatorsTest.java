package org.idsolutions.pipeline.indicators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.sql.Date;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.idsolutions.pipeline.indicators.programme.ProgrammeIndicators;
import org.idsolutions.pipeline.lakehouse.Tables;
import org.idsolutions.pipeline.support.SameRows;
import org.idsolutions.pipeline.support.SparkTestSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Pro-rating by days and location share, hand-worked. */
class ProgrammeIndicatorsTest {
  static Map<String, Double> out = new HashMap<>();
  static Dataset<Row> activities;
  static Dataset<Row> locations;
  static Dataset<Row> finance;
  static Dataset<Row> sectors;
  static Dataset<Row> reach;

  static Date d(String s) {
    return Date.valueOf(s);
  }

  @BeforeAll
  static void compute() {
    SparkSession spark = SparkTestSession.get();
    activities =
        spark.createDataFrame(
            List.of(
                // A1: joint (X and Y), all of 2024, in Borno (60%) and Adamawa (40%)
                RowFactory.create(
                    "A1",
                    "iati",
                    "NGA",
                    "t",
                    "X",
                    List.of("X", "Y"),
                    2,
                    true,
                    "2",
                    d("2024-01-01"),
                    d("2024-12-31"),
                    "f",
                    "r"),
                // A2: one organisation, Dec 2023 - Jan 2024, country-wide in Chad
                RowFactory.create(
                    "A2",
                    "iati",
                    "TCD",
                    "t",
                    "Z",
                    List.of("Z"),
                    1,
                    false,
                    "2",
                    d("2023-12-01"),
                    d("2024-01-31"),
                    "f",
                    "r")),
            Tables.PROGRAMME_ACTIVITIES.schema());
    locations =
        spark.createDataFrame(
            List.of(
                RowFactory.create("A1", "NGA", "NG008", null, 0.6, "exact", "f"),
                RowFactory.create("A1", "NGA", "NG002", null, 0.4, "exact", "f"),
                RowFactory.create("A2", "TCD", "unspecified", null, 1.0, "country", "f")),
            Tables.PROGRAMME_LOCATIONS.schema());
    finance =
        spark.createDataFrame(
            List.of(
                // 30 days across the leap day: 15 in February (15-29), 15 in March (1-15)
                RowFactory.create(
                    "A1",
                    "NGA",
                    "budget",
                    d("2024-02-15"),
                    d("2024-03-15"),
                    2700.0,
                    "EUR",
                    2024,
                    1.1111111111111112,
                    3000.0,
                    "f"),
                // 62 days: 31 in December 2023, 31 in January 2024
                RowFactory.create(
                    "A2",
                    "TCD",
                    "budget",
                    d("2023-12-01"),
                    d("2024-01-31"),
                    6200.0,
                    "USD",
                    2023,
                    1.0,
                    6200.0,
                    "f"),
                RowFactory.create(
                    "A2",
                    "TCD",
                    "disbursement",
                    d("2024-01-10"),
                    d("2024-01-10"),
                    1000.0,
                    "USD",
                    2024,
                    1.0,
                    1000.0,
                    "f")),
            Tables.PROGRAMME_FINANCE.schema());
    sectors =
        spark.createDataFrame(
            List.of(
                RowFactory.create("A1", "1", "72010", "basic_services", 0.75, "f"),
                RowFactory.create("A1", "1", "15220", "social_cohesion_peacebuilding", 0.25, "f"),
                RowFactory.create("A2", "cluster", "protection", "protection", 1.0, "f")),
            Tables.PROGRAMME_SECTORS.schema());
    reach =
        spark.createDataFrame(
            List.of(RowFactory.create("A2", "TCD", d("2024-01-31"), 500.0, "f")),
            Tables.PROGRAMME_REACH.schema());
    for (Row r :
        ProgrammeIndicators.compute(activities, locations, finance, sectors, reach, "run")
            .collectAsList()) {
      String key =
          r.<String>getAs("indicator_id")
              + "|"
              + r.<String>getAs("admin_code")
              + "|"
              + r.<String>getAs("period_type")
              + "|"
              + r.getAs("period_start");
      assertThat(out.put(key, r.<Double>getAs("value"))).as(key).isNull();
    }
  }

  @Test
  void aScopeRecomputesItsCellsAsTheFullComputationDoes() {
    Dataset<Row> full =
        ProgrammeIndicators.compute(activities, locations, finance, sectors, reach, "run")
            .localCheckpoint();
    for (ProgrammeIndicators.Scope scope :
        List.of(
            // A2's budget line runs from December 2023 into January 2024
            scope(Set.of("TCD"), "2024-01-01", "2024-12-31"),
            scope(Set.of("NGA", "TCD"), "2023-01-01", "2023-12-31"),
            scope(Set.of("NGA"), "2024-01-01", "2025-12-31"),
            // from within a year: its earlier months and quarters are left out
            scope(Set.of("TCD"), "2023-12-20", "2024-01-05"),
            scope(Set.of("NGA"), "2024-03-10", "2024-05-20"))) {
      Dataset<Row> scoped =
          ProgrammeIndicators.compute(activities, locations, finance, sectors, reach, scope, "run");
      assertThat(scoped.count()).as(scope.toString()).isPositive();
      SameRows.assertSame(
          scoped,
          full.where(scope.cells()),
          List.of("indicator_id", "admin_code", "period_type", "period_start"));
    }
  }

  /**
   * A1 again in two more files, as IATI downloads by country repeat a multi-country activity: the
   * version of "e", whose file loaded last, counts alone, though "g" sorts after it; a file the
   * ledger does not know counts as loaded after all. The same figures come from the tables holding
   * only the counted version.
   */
  @Test
  void anActivityInSeveralFilesCountsOnceInTheVersionLoadedLast() {
    SparkSession spark = SparkTestSession.get();
    // the same A1 in both files, loaded by run "s": its first half of 2024, one organisation
    Dataset<Row> allActivities =
        activities.unionByName(
            spark.createDataFrame(
                List.of("g", "e").stream()
                    .map(
                        file ->
                            RowFactory.create(
                                "A1",
                                "iati",
                                "NGA",
                                "t",
                                "X",
                                List.of("X"),
                                1,
                                false,
                                "2",
                                d("2024-01-01"),
                                d("2024-06-30"),
                                file,
                                "s"))
                    .toList(),
                Tables.PROGRAMME_ACTIVITIES.schema()));
    Dataset<Row> allLocations =
        locations.unionByName(
            spark.createDataFrame(
                List.of(
                    RowFactory.create("A1", "NGA", "NG036", null, 1.0, "exact", "g"),
                    RowFactory.create("A1", "NGA", "NG036", null, 1.0, "exact", "e")),
                Tables.PROGRAMME_LOCATIONS.schema()));
    Dataset<Row> allFinance =
        finance.unionByName(
            spark.createDataFrame(
                List.of(
                    RowFactory.create(
                        "A1",
                        "NGA",
                        "budget",
                        d("2024-01-01"),
                        d("2024-06-30"),
                        9999.0,
                        "USD",
                        2024,
                        1.0,
                        9999.0,
                        "g"),
                    RowFactory.create(
                        "A1",
                        "NGA",
                        "budget",
                        d("2024-01-01"),
                        d("2024-06-30"),
                        1820.0,
                        "USD",
                        2024,
                        1.0,
                        1820.0,
                        "e")),
                Tables.PROGRAMME_FINANCE.schema()));
    Dataset<Row> allSectors =
        sectors.unionByName(
            spark.createDataFrame(
                List.of(
                    RowFactory.create("A1", "1", "72010", "basic_services", 1.0, "g"),
                    RowFactory.create("A1", "1", "72010", "basic_services", 1.0, "e")),
                Tables.PROGRAMME_SECTORS.schema()));
    Dataset<Row> loadOrder =
        spark.createDataFrame(
            List.of(
                RowFactory.create("f", 1500L),
                RowFactory.create("g", 1000L),
                RowFactory.create("e", 2000L)),
            new StructType()
                .add("file_path", DataTypes.StringType)
                .add("last_loaded", DataTypes.LongType));
    Dataset<Row> superseded = ProgrammeIndicators.superseded(allActivities, loadOrder);
    assertThat(superseded.collectAsList())
        .extracting(Row::toString)
        .containsExactlyInAnyOrder("[A1,f]", "[A1,g]");
    Dataset<Row> all =
        ProgrammeIndicators.compute(
            ProgrammeIndicators.kept(allActivities, superseded),
            ProgrammeIndicators.kept(allLocations, superseded),
            ProgrammeIndicators.kept(allFinance, superseded),
            ProgrammeIndicators.kept(allSectors, superseded),
            reach,
            "run");
    String e = "source_file = 'e' OR activity_id != 'A1'";
    Dataset<Row> kept =
        ProgrammeIndicators.compute(
            allActivities.where(e),
            allLocations.where(e),
            allFinance.where(e),
            allSectors.where(e),
            reach,
            "run");
    List<String> keys = List.of("indicator_id", "admin_code", "period_type", "period_start");
    SameRows.assertSame(all, kept, keys);
    // hand-worked: 1,820 USD over 182 days, 10 a day, all in Yobe; A1 no longer in Borno
    Map<String, Double> year = new HashMap<>();
    for (Row r :
        all.where("period_type = 'year' AND indicator_id = 'budget_usd'").collectAsList()) {
      year.put(r.getAs("admin_code"), r.getAs("value"));
    }
    assertThat(year.get("NG036")).isCloseTo(1820.0, within(1e-9));
    assertThat(year).doesNotContainKey("NG008").doesNotContainKey("NG002");
    // without the ledger's order, the later file name
    assertThat(ProgrammeIndicators.superseded(allActivities, loadOrder.limit(0)).collectAsList())
        .extracting(Row::toString)
        .containsExactlyInAnyOrder("[A1,f]", "[A1,e]");
  }

  private static ProgrammeIndicators.Scope scope(Set<String> countries, String first, String last) {
    return new ProgrammeIndicators.Scope(countries, LocalDate.parse(first), LocalDate.parse(last));
  }

  /**
   * Every aggregation hashes: an aggregate over an array (the organisations) has no hash
   * aggregation, and Spark sorted every activity's cell rows for it (docs/performance.md, change
   * 84). The plan is checked, not a time.
   */
  @Test
  void everyAggregationIsAHashAggregation() {
    String plan =
        ProgrammeIndicators.compute(activities, locations, finance, sectors, reach, "run")
            .queryExecution()
            .executedPlan()
            .toString();
    assertThat(plan).contains("HashAggregate").doesNotContain("SortAggregate");
  }

  /**
   * A change from 10 March 2024 reaches March's month, the first quarter and 2024, not February.
   */
  @Test
  void aScopeFromWithinAYearHoldsThePeriodsThatHoldItsDays() {
    Dataset<Row> full =
        ProgrammeIndicators.compute(activities, locations, finance, sectors, reach, "run");
    List<String> periods =
        full.where(scope(Set.of("NGA"), "2024-03-10", "2024-05-20").cells())
            .where("indicator_id = 'budget_usd' AND admin_code = 'NGA'")
            .selectExpr("concat(period_type, ' ', period_start)")
            .distinct()
            .as(org.apache.spark.sql.Encoders.STRING())
            .collectAsList();
    assertThat(periods)
        .contains("month 2024-03-01", "quarter 2024-01-01", "year 2024-01-01")
        .doesNotContain("month 2024-02-01", "month 2024-06-01", "quarter 2024-07-01");
    assertThat(periods).filteredOn(p -> p.startsWith("year")).containsExactly("year 2024-01-01");
  }

  @Test
  void budgetsAreProRatedByDaysAcrossTheLeapDay() {
    // 3000 USD: 1500 in February, 1500 in March; Borno's 60% is 900 each
    assertThat(out.get("budget_usd|NG008|month|2024-02-01")).isCloseTo(900.0, within(1e-9));
    assertThat(out.get("budget_usd|NG008|month|2024-03-01")).isCloseTo(900.0, within(1e-9));
    assertThat(out.get("budget_usd|NG002|month|2024-02-01")).isCloseTo(600.0, within(1e-9));
    assertThat(out.get("budget_usd|NG008|quarter|2024-01-01")).isCloseTo(1800.0, within(1e-9));
    assertThat(out.get("budget_usd|NGA|month|2024-02-01")).isCloseTo(1500.0, within(1e-9));
  }

  @Test
  void countryWideActivitiesGoToTheUnspecifiedBucketAcrossYears() {
    assertThat(out.get("budget_usd|unspecified|month|2023-12-01")).isCloseTo(3100.0, within(1e-9));
    assertThat(out.get("budget_usd|unspecified|year|2023-01-01")).isCloseTo(3100.0, within(1e-9));
    assertThat(out.get("budget_usd|unspecified|year|2024-01-01")).isCloseTo(3100.0, within(1e-9));
  }

  @Test
  void budgetsSplitBySectorGroup() {
    assertThat(out.get("budget_usd_basic_services|NG008|month|2024-02-01"))
        .isCloseTo(675.0, within(1e-9));
    assertThat(out.get("budget_usd_social_cohesion_peacebuilding|NG008|month|2024-02-01"))
        .isCloseTo(225.0, within(1e-9));
  }

  @Test
  void transactionsAndReachLandInTheirMonth() {
    assertThat(out.get("disbursed_usd|unspecified|month|2024-01-01"))
        .isCloseTo(1000.0, within(1e-9));
    assertThat(out.get("people_reached|unspecified|month|2024-01-01"))
        .isCloseTo(500.0, within(1e-9));
    assertThat(out.get("people_reached|TCD|year|2024-01-01")).isCloseTo(500.0, within(1e-9));
  }

  @Test
  void activeActivitiesOrganisationsAndJointOnes() {
    assertThat(out.get("activities_active|NG008|month|2024-06-01")).isEqualTo(1.0);
    assertThat(out.get("joint_activities|NG008|month|2024-06-01")).isEqualTo(1.0);
    assertThat(out.get("organisations_active|NG008|month|2024-06-01")).isEqualTo(2.0);
    assertThat(out.get("joint_activities|unspecified|month|2024-01-01")).isEqualTo(0.0);
    assertThat(out.get("organisations_active|unspecified|year|2024-01-01")).isEqualTo(1.0);
    assertThat(out).doesNotContainKey("activities_active|unspecified|month|2024-02-01");
  }

  @Test
  void anActivityCountsOnceInAQuarterYearOrNationWhateverItsMonthsAndAreas() {
    // A1: 12 months in two areas of Nigeria; A2: two months of two years in Chad
    assertThat(out.get("activities_active|NGA|quarter|2024-01-01")).isEqualTo(1.0);
    assertThat(out.get("activities_active|NGA|year|2024-01-01")).isEqualTo(1.0);
    assertThat(out.get("joint_activities|NGA|year|2024-01-01")).isEqualTo(1.0);
    assertThat(out.get("organisations_active|NGA|year|2024-01-01")).isEqualTo(2.0);
    assertThat(out.get("activities_active|NG002|quarter|2024-04-01")).isEqualTo(1.0);
    assertThat(out.get("organisations_active|NG002|quarter|2024-04-01")).isEqualTo(2.0);
    assertThat(out.get("activities_active|TCD|year|2023-01-01")).isEqualTo(1.0);
    assertThat(out.get("activities_active|TCD|year|2024-01-01")).isEqualTo(1.0);
    assertThat(out.get("organisations_active|unspecified|quarter|2023-10-01")).isEqualTo(1.0);
    assertThat(out.get("joint_activities|TCD|year|2024-01-01")).isEqualTo(0.0);
  }

  @Test
  void anActivityWithoutOrganisationsIsActiveWithNoOrganisation() {
    SparkSession spark = SparkTestSession.get();
    Dataset<Row> none =
        spark.createDataFrame(
            List.of(
                RowFactory.create(
                    "A3",
                    "3w",
                    "NGA",
                    "t",
                    null,
                    List.of(),
                    0,
                    false,
                    "2",
                    d("2024-05-01"),
                    d("2024-06-30"),
                    "f",
                    "r"),
                RowFactory.create(
                    "A1",
                    "iati",
                    "NGA",
                    "t",
                    "X",
                    List.of("X", "Y"),
                    2,
                    true,
                    "2",
                    d("2024-06-01"),
                    d("2024-06-30"),
                    "f",
                    "r")),
            Tables.PROGRAMME_ACTIVITIES.schema());
    Dataset<Row> where =
        spark.createDataFrame(
            List.of(
                RowFactory.create("A3", "NGA", "NG008", null, 1.0, "exact", "f"),
                RowFactory.create("A1", "NGA", "NG008", null, 1.0, "exact", "f")),
            Tables.PROGRAMME_LOCATIONS.schema());
    Map<String, Double> counts = new HashMap<>();
    for (Row r :
        ProgrammeIndicators.compute(
                none, where, finance.limit(0), sectors.limit(0), reach.limit(0), "run")
            .where("admin_code = 'NG008'")
            .collectAsList()) {
      counts.put(
          r.<String>getAs("indicator_id")
              + "|"
              + r.<String>getAs("period_type")
              + "|"
              + r.getAs("period_start"),
          r.<Double>getAs("value"));
    }
    assertThat(counts)
        .containsEntry("activities_active|month|2024-05-01", 1.0)
        .containsEntry("organisations_active|month|2024-05-01", 0.0)
        .containsEntry("activities_active|quarter|2024-04-01", 2.0)
        .containsEntry("organisations_active|quarter|2024-04-01", 2.0)
        .containsEntry("joint_activities|quarter|2024-04-01", 1.0);
  }

  @Test
  void budgetsReconcileWithTheActivitiesTotal() {
    double sum =
        out.entrySet().stream()
            .filter(e -> e.getKey().startsWith("budget_usd|") && e.getKey().contains("|month|"))
            .filter(e -> !e.getKey().contains("|NGA|") && !e.getKey().contains("|TCD|"))
            .mapToDouble(Map.Entry::getValue)
            .sum();
    assertThat(sum).isCloseTo(9200.0, within(9200.0 * 1e-9));
  }
}
