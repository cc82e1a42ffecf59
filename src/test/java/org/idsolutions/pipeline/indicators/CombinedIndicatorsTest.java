package org.idsolutions.pipeline.indicators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.sql.Date;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.idsolutions.pipeline.indicators.combined.CombinedIndicators;
import org.idsolutions.pipeline.lakehouse.Tables;
import org.idsolutions.pipeline.support.IndicatorValueRow;
import org.idsolutions.pipeline.support.SparkTestSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Combined indicators and the regional summary on hand-made yearly values. */
class CombinedIndicatorsTest {
  static Map<String, Row> summary = new HashMap<>();
  static List<Row> combined;

  static Row v(
      String family,
      String code,
      int year,
      String indicator,
      String group,
      double value,
      Double lo,
      Double hi) {
    return IndicatorValueRow.of(
        "source_family", family,
        "country", "NGA",
        "admin_level", 1,
        "admin_code", code,
        "period_type", "year",
        "period_start", Date.valueOf(year + "-01-01"),
        "period_end", Date.valueOf(year + "-12-31"),
        "indicator_id", indicator,
        "population_group", group,
        "value", value,
        "ci_low", lo,
        "ci_high", hi);
  }

  @BeforeAll
  static void compute() {
    SparkSession spark = SparkTestSession.get();
    List<Row> rows = new ArrayList<>();
    rows.add(
        v(
            "tracking",
            "NG008",
            2024,
            "idp_stock",
            "idp",
            1000,
            null,
            null)); // Borno: all three families
    rows.add(v("programme", "NG008", 2024, "budget_usd", "all", 50000, null, null));
    rows.add(v("programme", "NG008", 2024, "people_reached", "all", 300, null, null));
    rows.add(v("survey", "NG008", 2024, "exited_composite", "idp", 0.2, 0.1, 0.3));
    String[] criteria = {
      "c1_safety",
      "c2_standard_of_living",
      "c3_livelihoods",
      "c4_housing_land_property",
      "c5_documentation"
    };
    double[] idp = {
      0.5, 0.4, 0.6, 0.8, 0.9
    }; // ratios to the comparator: 0.5, 0.5, 1.2 -> 1, 1, 1.5 -> 1
    double[] comparator = {1.0, 0.8, 0.5, 0.8, 0.6};
    for (int i = 0; i < 5; i++) {
      rows.add(v("survey", "NG008", 2024, criteria[i], "idp", idp[i], null, null));
      rows.add(v("survey", "NG008", 2024, criteria[i], "non_displaced", comparator[i], null, null));
    }
    rows.add(
        v(
            "tracking",
            "NG002",
            2024,
            "idp_stock",
            "idp",
            400,
            null,
            null)); // Adamawa: tracking only
    rows.add(
        v(
            "programme",
            "NG036",
            2023,
            "budget_usd",
            "all",
            7000,
            null,
            null)); // Yobe 2023: programme only
    // two survey rounds in Yobe 2023: the later one (2023b) gives the year's figure and its bounds
    rows.add(
        withRound(v("survey", "NG036", 2023, "exited_composite", "idp", 0.9, 0.8, 0.95), "2023a"));
    rows.add(
        withRound(v("survey", "NG036", 2023, "exited_composite", "idp", 0.3, 0.2, 0.4), "2023b"));
    // Gombe 2023: rounds "9" and "10", in the order of their numbers, not of their text
    rows.add(
        withRound(v("survey", "NG016", 2023, "exited_composite", "idp", 0.35, 0.3, 0.4), "10"));
    rows.add(withRound(v("survey", "NG016", 2023, "exited_composite", "idp", 0.2, 0.1, 0.3), "9"));
    // Kano 2024: two surveys with the same round; the one whose id sorts last gives every figure,
    // even where the other has one (its interval, its criteria) and it has none
    rows.add(
        withSurvey(
            v("survey", "NG020", 2024, "exited_composite", "idp", 0.6, 0.5, 0.7),
            "a-survey",
            "2024"));
    rows.add(
        withSurvey(
            v("survey", "NG020", 2024, "exited_composite", "idp", 0.4, null, null),
            "z-survey",
            "2024"));
    for (int i = 0; i < 5; i++) {
      rows.add(
          withSurvey(
              v("survey", "NG020", 2024, criteria[i], "idp", 0.5, null, null), "a-survey", "2024"));
      rows.add(
          withSurvey(
              v("survey", "NG020", 2024, criteria[i], "non_displaced", 0.5, null, null),
              "a-survey",
              "2024"));
    }
    rows.add(v("tracking", "NG020", 2024, "idp_stock", "idp", 100, null, null));
    // Kaduna 2024: an IDP survey and a host community survey of one round, each its own group's,
    // and Kaduna 2025: rounds "2025-R9" and "2025-R10" (R10 later)
    for (int i = 0; i < 5; i++) {
      rows.add(
          withSurvey(
              v("survey", "NG018", 2024, criteria[i], "idp", idp[i], null, null),
              "idp-2024",
              "2024"));
      rows.add(
          withSurvey(
              v("survey", "NG018", 2024, criteria[i], "non_displaced", comparator[i], null, null),
              "host-2024",
              "2024"));
    }
    rows.add(
        withSurvey(
            v("survey", "NG018", 2025, "exited_composite", "idp", 0.5, 0.4, 0.6), "k", "2025-R10"));
    rows.add(
        withSurvey(
            v("survey", "NG018", 2025, "exited_composite", "idp", 0.1, 0.0, 0.2), "k", "2025-R9"));
    var values = spark.createDataFrame(rows, Tables.INDICATOR_VALUES.schema());
    var s = CombinedIndicators.regionalSummary(values, "run");
    for (Row r : s.collectAsList()) {
      summary.put(r.<String>getAs("admin_code") + "|" + r.<Integer>getAs("year"), r);
    }
    combined = CombinedIndicators.longFormat(s).collectAsList();
  }

  static Row withRound(Row r, String round) {
    return withSurvey(r, null, round);
  }

  static Row withSurvey(Row r, String surveyId, String round) {
    Object[] cells = new Object[r.size()];
    for (int i = 0; i < r.size(); i++) {
      cells[i] = r.get(i);
    }
    cells[Tables.INDICATOR_VALUES.schema().fieldIndex("source_operation")] = surveyId;
    cells[Tables.INDICATOR_VALUES.schema().fieldIndex("survey_round")] = round;
    return RowFactory.create(cells);
  }

  @Test
  void theLatestSurveyRoundOfTheYearGivesTheFiguresWithItsOwnBounds() {
    Row y = summary.get("NG036|2023");
    assertThat(y.<Double>getAs("exited_composite_idp")).isEqualTo(0.3);
    assertThat(y.<Double>getAs("exited_composite_idp_ci_low")).isEqualTo(0.2);
    assertThat(y.<Double>getAs("exited_composite_idp_ci_high")).isEqualTo(0.4);
    Row gombe = summary.get("NG016|2023");
    assertThat(gombe.<Double>getAs("exited_composite_idp")).isEqualTo(0.35);
    assertThat(gombe.<Double>getAs("exited_composite_idp_ci_low")).isEqualTo(0.3);
  }

  @Test
  void anIdpSurveyAndAHostSurveyOfOneRoundGiveTheIndexTogether() {
    // the same criteria as Borno's, from two surveys: 100 x (0.5 + 0.5 + 1 + 1 + 1) / 5 = 80
    assertThat(summary.get("NG018|2024").<Double>getAs("solutions_index"))
        .isCloseTo(80.0, within(1e-9));
    assertThat(summary.get("NG018|2025").<Double>getAs("exited_composite_idp")).isEqualTo(0.5);
  }

  @Test
  void twoSurveysOfOneRoundNeverMixTheirFigures() {
    Row kano = summary.get("NG020|2024");
    assertThat(kano.<Double>getAs("exited_composite_idp")).isEqualTo(0.4);
    assertThat(kano.<Double>getAs("exited_composite_idp_ci_low")).isNull();
    assertThat(kano.<Double>getAs("exited_composite_idp_ci_high")).isNull();
    assertThat(kano.<Double>getAs("est_idps_overcome")).isEqualTo(40.0);
    assertThat(kano.<Double>getAs("est_idps_overcome_ci_low")).isNull();
    // the criteria are a-survey's: z-survey has none, so no index
    assertThat(kano.<Double>getAs("solutions_index")).isNull();
  }

  @Test
  void oneRowPerRegionAndYearPresentInAnyFamily() {
    assertThat(summary.keySet())
        .containsExactlyInAnyOrder(
            "NG008|2024",
            "NG002|2024",
            "NG036|2023",
            "NG016|2023",
            "NG020|2024",
            "NG018|2024",
            "NG018|2025");
  }

  @Test
  void combinedIndicatorsFromAllThreeFamilies() {
    Row b = summary.get("NG008|2024");
    assertThat(b.<Double>getAs("usd_per_idp")).isCloseTo(50.0, within(1e-12));
    assertThat(b.<Double>getAs("reach_per_idp")).isCloseTo(0.3, within(1e-12));
    assertThat(b.<Double>getAs("est_idps_overcome")).isCloseTo(200.0, within(1e-9));
    assertThat(b.<Double>getAs("est_idps_overcome_ci_low")).isCloseTo(100.0, within(1e-9));
    assertThat(b.<Double>getAs("est_idps_overcome_ci_high")).isCloseTo(300.0, within(1e-9));
    // 100 x mean(0.5, 0.5, 1, 1, 1) = 80
    assertThat(b.<Double>getAs("solutions_index")).isCloseTo(80.0, within(1e-9));
    assertThat(b.getList(b.fieldIndex("quality_flags"))).isEmpty();
  }

  @Test
  void missingInputsGiveNullAndAFlagNeverZero() {
    Row a = summary.get("NG002|2024");
    assertThat(a.<Boolean>getAs("has_tracking")).isTrue();
    assertThat(a.<Boolean>getAs("has_survey")).isFalse();
    assertThat(a.<Double>getAs("exited_composite_idp")).isNull();
    assertThat(a.<Double>getAs("usd_per_idp")).isNull();
    assertThat(a.<Double>getAs("solutions_index")).isNull();
    assertThat(a.getList(a.fieldIndex("quality_flags")))
        .containsExactlyInAnyOrder("missing_survey", "missing_programme");
    Row y = summary.get("NG036|2023");
    assertThat(y.<Double>getAs("idp_stock")).isNull();
    assertThat(y.getList(y.fieldIndex("quality_flags"))).contains("missing_tracking");
  }

  @Test
  void combinedRowsInLongFormat() {
    assertThat(
            combined.stream()
                .filter(
                    r -> r.<String>getAs("admin_code").equals("NG008") && r.getAs("value") != null)
                .map(r -> r.<String>getAs("indicator_id"))
                .toList())
        .containsExactlyInAnyOrder(
            "usd_per_idp", "reach_per_idp", "est_idps_overcome", "solutions_index");
    assertThat(combined)
        .allSatisfy(r -> assertThat(r.<String>getAs("source_family")).isEqualTo("combined"));
  }
}
