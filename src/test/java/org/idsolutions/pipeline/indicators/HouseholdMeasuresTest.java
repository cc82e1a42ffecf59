package org.idsolutions.pipeline.indicators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.idsolutions.pipeline.config.IndicatorRules;
import org.idsolutions.pipeline.config.SurveyConfigs;
import org.idsolutions.pipeline.indicators.survey.HouseholdMeasures;
import org.idsolutions.pipeline.support.SparkTestSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Sub-criteria, criteria and exit measures of conf/indicators.yaml on hand-made households. */
class HouseholdMeasuresTest {
  static final String[] FIELDS = {
    "victim_violence_12m", "free_movement", "fies_raw_score", "shelter_adequate", "health_access",
    "school_age_children", "children_enrolled", "employed", "income_covers_needs", "tenure_secure",
    "has_civil_documentation"
  };
  static Map<String, Row> byId = new HashMap<>();

  /** The country and round of each survey of the fixture. */
  static final Map<String, List<String>> SURVEYS =
      Map.of(
          "s1", List.of("NGA", "2024"),
          "s2", List.of("NGA", "2025"),
          "s3", List.of("TCD", "2024"),
          "s4", List.of("TCD", "2024"),
          "s5", List.of("TCD", "2023"));

  /** A household of survey s1 that passes everything, with overrides as field/value pairs. */
  static Row household(String id, String group, double weight, Object... overrides) {
    return household("s1", id, group, weight, overrides);
  }

  /** A household that passes everything, with overrides as field/value pairs (null allowed). */
  static Row household(String survey, String id, String group, double weight, Object... overrides) {
    Map<String, Integer> v = new HashMap<>();
    v.put("victim_violence_12m", 0);
    v.put("free_movement", 1);
    v.put("fies_raw_score", 2);
    v.put("shelter_adequate", 1);
    v.put("health_access", 1);
    v.put("school_age_children", 2);
    v.put("children_enrolled", 2);
    v.put("employed", 1);
    v.put("income_covers_needs", 1);
    v.put("tenure_secure", 1);
    v.put("has_civil_documentation", 1);
    for (int i = 0; i < overrides.length; i += 2) {
      v.put((String) overrides[i], (Integer) overrides[i + 1]);
    }
    List<Object> values =
        new ArrayList<>(
            List.of(
                survey, SURVEYS.get(survey).get(0), SURVEYS.get(survey).get(1), id, group, weight));
    for (String f : FIELDS) {
      values.add(v.get(f));
    }
    return RowFactory.create(values.toArray());
  }

  @BeforeAll
  static void compute() {
    SparkSession spark = SparkTestSession.get();
    StructType schema =
        new StructType()
            .add("survey_id", DataTypes.StringType)
            .add("country", DataTypes.StringType)
            .add("round", DataTypes.StringType)
            .add("household_id", DataTypes.StringType)
            .add("population_group", DataTypes.StringType)
            .add("weight", DataTypes.DoubleType);
    for (String f : FIELDS) {
      schema = schema.add(f, DataTypes.IntegerType);
    }
    List<Row> rows =
        List.of(
            household("all", "idp", 1), // every sub-criterion overcome: S = 10
            household("violence", "idp", 1, "victim_violence_12m", 1), // fails 1.1 only: S = 9
            household("hungry", "idp", 1, "fies_raw_score", 4), // FIES 4 is not < 4: fails 2.1
            household(
                "nokids", "idp", 1, "school_age_children", 0, "children_enrolled", null), // 2.4 n/a
            household("dropout", "idp", 1, "children_enrolled", 1), // 1 of 2 enrolled: fails 2.4
            household(
                "unknown", "idp", 1, "employed", null), // 3.1 missing: null, criterion not passed
            household(
                "kidsunknown", "idp", 1, "school_age_children", null), // applicability unknown
            household(
                "h1", "non_displaced", 3, "employed", 0, "tenure_secure", 0), // S = 8, weight 3
            household("h2", "non_displaced", 1), // S = 10, weight 1 -> B = (3*8 + 1*10) / 4 = 8.5
            // each country and round has its own benchmark: s2 (NGA, 2025)'s comparators have S =
            // 10
            household("s2", "s2violence", "idp", 1, "victim_violence_12m", 1), // S = 9
            household("s2", "s2h1", "non_displaced", 2),
            // s3, an IDP survey of TCD 2024, takes the benchmark of s4, the host community's survey
            // of the same country and round: B = 9
            household("s3", "s3violence", "idp", 1, "victim_violence_12m", 1), // S = 9
            household("s3", "s3hungry", "idp", 1, "fies_raw_score", 5, "employed", 0), // S = 8
            household("s4", "s4h1", "non_displaced", 1, "victim_violence_12m", 1), // S = 9
            // and a country and round without comparator households has none
            household("s5", "s5all", "idp", 1));
    IndicatorRules rules = SurveyConfigs.rules("conf/indicators.yaml");
    for (Row r :
        HouseholdMeasures.compute(spark.createDataFrame(rows, schema), rules).collectAsList()) {
      byId.put(r.getAs("household_id"), r);
    }
  }

  static Integer value(String household, String indicator) {
    return byId.get(household).getAs(indicator);
  }

  @Test
  void subCriteriaFollowTheirExpressions() {
    assertThat(value("all", "c1_1_no_violence")).isEqualTo(1);
    assertThat(value("violence", "c1_1_no_violence")).isEqualTo(0);
    assertThat(value("hungry", "c2_1_food_security")).isEqualTo(0);
    assertThat(value("dropout", "c2_4_school_enrolment")).isEqualTo(0);
  }

  @Test
  void notApplicableCountsAsOvercomeAndUnknownApplicabilityIsMissing() {
    assertThat(value("nokids", "c2_4_school_enrolment")).isEqualTo(1);
    assertThat(value("kidsunknown", "c2_4_school_enrolment")).isNull();
  }

  @Test
  void missingIsNullForTheSubCriterionAndNotPassedForTheCriterion() {
    assertThat(value("unknown", "c3_1_employment")).isNull();
    assertThat(value("unknown", "c3_livelihoods")).isZero();
    assertThat(value("unknown", "exited_all_criteria")).isZero();
    assertThat(value("unknown", "subcriteria_overcome")).isEqualTo(9);
  }

  @Test
  void criteriaNeedAllTheirSubCriteria() {
    assertThat(value("all", "c1_safety")).isEqualTo(1);
    assertThat(value("violence", "c1_safety")).isZero();
    assertThat(value("violence", "c2_standard_of_living")).isEqualTo(1);
    assertThat(value("all", "exited_all_criteria")).isEqualTo(1);
    assertThat(value("violence", "exited_all_criteria")).isZero();
  }

  @Test
  void compositeUsesTheWeightedComparatorBenchmark() {
    double b = byId.get("all").getAs("comparator_benchmark");
    assertThat(b).isCloseTo(8.5, within(1e-12));
    assertThat(value("all", "exited_composite")).isEqualTo(1); // 10 >= 8.5
    assertThat(value("violence", "exited_composite")).isEqualTo(1); // 9 >= 8.5
    assertThat(value("h1", "exited_composite")).isZero(); // 8 < 8.5
  }

  @Test
  void theBenchmarkIsPerCountryAndRound() {
    double b = byId.get("s2violence").getAs("comparator_benchmark");
    assertThat(b).isCloseTo(10, within(1e-12));
    assertThat(value("s2violence", "exited_composite")).isZero(); // 9 < 10, while 9 >= 8.5 in s1
    // another survey of the same country and round gives the comparator
    assertThat(byId.get("s3violence").<Double>getAs("comparator_benchmark"))
        .isCloseTo(9, within(1e-12));
    assertThat(value("s3violence", "exited_composite")).isEqualTo(1); // 9 >= 9
    assertThat(value("s3hungry", "exited_composite")).isZero(); // 8 < 9
    assertThat(byId.get("s5all").<Double>getAs("comparator_benchmark")).isNull();
    assertThat(value("s5all", "exited_composite")).isNull();
    assertThat(byId).hasSize(15); // one row per household: the join adds none and drops none
  }
}
