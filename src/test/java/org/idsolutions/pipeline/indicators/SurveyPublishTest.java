package org.idsolutions.pipeline.indicators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.sql.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.idsolutions.pipeline.config.PipelineConfig.SuppressionSettings;
import org.idsolutions.pipeline.indicators.survey.SurveyIndicators;
import org.idsolutions.pipeline.support.SparkTestSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Suppression, low precision and the comparator gap on hand-made estimates. */
class SurveyPublishTest {
  static Map<String, Row> byGroup = new HashMap<>();

  static Row est(String group, long n, double mean, double se) {
    return RowFactory.create(
        "s1",
        "NGA",
        0,
        "NGA",
        "NGA",
        group,
        "employed",
        n,
        n * 10.0,
        mean,
        se,
        1.5,
        20L,
        mean - 0.1,
        mean + 0.1);
  }

  @BeforeAll
  static void publish() {
    SparkSession spark = SparkTestSession.get();
    StructType schema = estSchema();
    Dataset<Row> est =
        spark.createDataFrame(
            List.of(
                est("non_displaced", 200, 0.55, 0.03), // comparator
                est("idp", 150, 0.40, 0.04), // fine: gap (0.40 - 0.55) * 100 = -15 pp
                est("returnee", 9, 0.30, 0.10)), // 9 respondents < 10: suppressed
            schema);
    Dataset<Row> info =
        spark.createDataFrame(
            List.of(
                RowFactory.create(
                    "s1", "2024", Date.valueOf("2024-08-05"), Date.valueOf("2024-10-25"))),
            new StructType()
                .add("survey_id", DataTypes.StringType)
                .add("round", DataTypes.StringType)
                .add("first_interview", DataTypes.DateType)
                .add("last_interview", DataTypes.DateType));
    for (Row r :
        SurveyIndicators.publish(est, info, new SuppressionSettings(10, 30, 0.3), "run")
            .collectAsList()) {
      byGroup.put(r.getAs("population_group"), r);
    }
  }

  @Test
  void cellsBelowTheMinimumAreSuppressed() {
    Row r = byGroup.get("returnee");
    assertThat(r.<Boolean>getAs("suppressed")).isTrue();
    assertThat(r.<Double>getAs("value")).isNull();
    assertThat(r.<Double>getAs("se")).isNull();
    assertThat(r.<Double>getAs("ci_low")).isNull();
    assertThat(r.<Double>getAs("comparator_gap_pp")).isNull();
    assertThat(r.<Long>getAs("n")).isEqualTo(9L);
  }

  @Test
  void gapToTheComparatorIsInPercentagePoints() {
    Row r = byGroup.get("idp");
    assertThat(r.<Boolean>getAs("suppressed")).isFalse();
    assertThat(r.<Double>getAs("value")).isEqualTo(0.40);
    assertThat(r.<Double>getAs("comparator_gap_pp")).isCloseTo(-15.0, within(1e-9));
    assertThat(byGroup.get("non_displaced").<Double>getAs("comparator_gap_pp")).isNull();
    assertThat(r.getAs("period_start").toString()).isEqualTo("2024-01-01");
    assertThat(r.<String>getAs("survey_round")).isEqualTo("2024");
  }

  @Test
  void lowPrecisionBelowThirtyRespondentsOrAboveTheCvLimit() {
    // idp: n 150, cv 0.04 / 0.40 = 0.1: fine
    assertThat(byGroup.get("idp").getList(byGroup.get("idp").fieldIndex("quality_flags")))
        .isEmpty();
    SparkSession spark = SparkTestSession.get();
    // the same cells with the CV limit at 0.09: idp's 0.1 is above it
    Row strict =
        SurveyIndicators.publish(
                spark.createDataFrame(List.of(est("idp", 150, 0.40, 0.04)), estSchema()),
                infoOf(spark),
                new SuppressionSettings(10, 30, 0.09),
                "run")
            .first();
    assertThat(strict.getList(strict.fieldIndex("quality_flags"))).containsExactly("low_precision");
    // 20 respondents (>= 10, < 30): shown but flagged
    Row few =
        SurveyIndicators.publish(
                spark.createDataFrame(List.of(est("idp", 20, 0.40, 0.04)), estSchema()),
                infoOf(spark),
                new SuppressionSettings(10, 30, 0.3),
                "run")
            .first();
    assertThat(few.<Boolean>getAs("suppressed")).isFalse();
    assertThat(few.getList(few.fieldIndex("quality_flags"))).containsExactly("low_precision");
  }

  static Row cell(String survey, int level, String code, String group, long n, double mean) {
    return RowFactory.create(
        survey,
        "NGA",
        level,
        code,
        code,
        group,
        "employed",
        n,
        n * 10.0,
        mean,
        0.05,
        1.5,
        20L,
        mean - 0.1,
        mean + 0.1);
  }

  @Test
  void aSuppressedRegionCannotBeWorkedOutFromTheNationalCellAndTheOtherRegions() {
    SparkSession spark = SparkTestSession.get();
    List<Row> cells =
        List.of(
            // idp: A has 6 respondents (primary); the next smallest, B (12), goes with it; C shows
            cell("s1", 0, "NGA", "idp", 48, 0.5),
            cell("s1", 1, "A", "idp", 6, 0.2),
            cell("s1", 1, "B", "idp", 12, 0.4),
            cell("s1", 1, "C", "idp", 30, 0.6),
            // non_displaced: A (5) and C (15); B (50) shows, and C's idp cell has no gap
            cell("s1", 0, "NGA", "non_displaced", 70, 0.7),
            cell("s1", 1, "A", "non_displaced", 5, 0.9),
            cell("s1", 1, "B", "non_displaced", 50, 0.7),
            cell("s1", 1, "C", "non_displaced", 15, 0.6),
            // returnee: A (3) and B (4) are two, but 7 respondents together: C (20) too; D shows
            cell("s1", 0, "NGA", "returnee", 107, 0.5),
            cell("s1", 1, "A", "returnee", 3, 0.5),
            cell("s1", 1, "B", "returnee", 4, 0.5),
            cell("s1", 1, "C", "returnee", 20, 0.5),
            cell("s1", 1, "D", "returnee", 80, 0.5),
            // another survey without a small cell: all shown
            cell("s2", 0, "NGA", "idp", 40, 0.5),
            cell("s2", 1, "A", "idp", 10, 0.5),
            cell("s2", 1, "B", "idp", 30, 0.5));
    Map<String, Row> out = new HashMap<>();
    for (Row r :
        SurveyIndicators.publish(
                spark.createDataFrame(cells, estSchema()),
                infoOf(spark),
                new SuppressionSettings(10, 30, 0.3),
                "run")
            .collectAsList()) {
      out.put(
          r.getAs("source_operation")
              + "|"
              + r.getAs("population_group")
              + "|"
              + r.getAs("admin_code"),
          r);
    }
    Map<String, String> expected = new HashMap<>();
    for (String k : out.keySet()) {
      expected.put(k, "shown");
    }
    expected.put("s1|idp|A", "primary");
    expected.put("s1|idp|B", "complementary");
    expected.put("s1|non_displaced|A", "primary");
    expected.put("s1|non_displaced|C", "complementary");
    expected.put("s1|returnee|A", "primary");
    expected.put("s1|returnee|B", "primary");
    expected.put("s1|returnee|C", "complementary");
    Map<String, String> actual = new HashMap<>();
    out.forEach(
        (k, r) -> {
          boolean suppressed = r.getAs("suppressed");
          List<Object> flags = r.getList(r.fieldIndex("quality_flags"));
          actual.put(
              k,
              !suppressed
                  ? "shown"
                  : flags.contains(SurveyIndicators.FLAG_COMPLEMENTARY)
                      ? "complementary"
                      : "primary");
          if (suppressed) {
            assertThat(r.<Double>getAs("value")).as(k).isNull();
            assertThat(r.<Double>getAs("weighted_n")).as(k).isNull();
          }
        });
    assertThat(actual).isEqualTo(expected);
    // C's idp cell shows, but its comparator is suppressed: no gap, which would give it away
    assertThat(out.get("s1|idp|C").<Double>getAs("comparator_gap_pp")).isNull();
    assertThat(out.get("s1|idp|NGA").<Double>getAs("comparator_gap_pp"))
        .isCloseTo(-20.0, within(1e-9));
    // a second check, by the rule itself: wherever a region is suppressed under a shown national
    // cell, at least two are, with at least 10 respondents together
    Map<String, long[]> hidden = new HashMap<>();
    out.forEach(
        (k, r) -> {
          if (r.<Integer>getAs("admin_level") == 1 && r.<Boolean>getAs("suppressed")) {
            long[] a = hidden.computeIfAbsent(k.substring(0, k.lastIndexOf('|')), x -> new long[2]);
            a[0]++;
            a[1] += r.<Long>getAs("n");
          }
        });
    assertThat(hidden).isNotEmpty();
    hidden.forEach(
        (k, a) -> {
          assertThat(a[0]).as(k).isGreaterThanOrEqualTo(2);
          assertThat(a[1]).as(k).isGreaterThanOrEqualTo(10);
        });
  }

  private static StructType estSchema() {
    return new StructType()
        .add("survey_id", DataTypes.StringType)
        .add("country", DataTypes.StringType)
        .add("admin_level", DataTypes.IntegerType)
        .add("admin_code", DataTypes.StringType)
        .add("admin_name", DataTypes.StringType)
        .add("population_group", DataTypes.StringType)
        .add("indicator_id", DataTypes.StringType)
        .add("n", DataTypes.LongType)
        .add("weighted_n", DataTypes.DoubleType)
        .add("mean", DataTypes.DoubleType)
        .add("se", DataTypes.DoubleType)
        .add("deff", DataTypes.DoubleType)
        .add("df", DataTypes.LongType)
        .add("ci_low", DataTypes.DoubleType)
        .add("ci_high", DataTypes.DoubleType);
  }

  private static Dataset<Row> infoOf(SparkSession spark) {
    return spark.createDataFrame(
        List.of(
            RowFactory.create(
                "s1", "2024", Date.valueOf("2024-08-05"), Date.valueOf("2024-10-25"))),
        new StructType()
            .add("survey_id", DataTypes.StringType)
            .add("round", DataTypes.StringType)
            .add("first_interview", DataTypes.DateType)
            .add("last_interview", DataTypes.DateType));
  }
}
