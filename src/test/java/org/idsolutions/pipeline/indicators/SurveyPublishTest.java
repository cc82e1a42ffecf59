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
