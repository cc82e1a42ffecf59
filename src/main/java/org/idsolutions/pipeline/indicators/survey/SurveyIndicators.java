package org.idsolutions.pipeline.indicators.survey;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_compact;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_sub;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.make_date;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.year;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.idsolutions.pipeline.config.IndicatorRules;
import org.idsolutions.pipeline.config.PipelineConfig.SuppressionSettings;
import org.idsolutions.pipeline.lakehouse.Tables;

/**
 * Survey indicators per country (admin level 0) and admin 1, population group and survey round, in
 * the indicators.indicator_values shape: weighted proportion with SE, logit CI, design effect,
 * unweighted n, weighted total, gap to the non-displaced comparator in percentage points,
 * suppression and low-precision flags. A round is published as the calendar year its interviews
 * started in.
 */
public final class SurveyIndicators {
  public static final String FLAG_LOW_PRECISION = "low_precision";
  public static final String FLAG_NO_CI = "no_confidence_interval";

  /**
   * On a cell suppressed although it has enough respondents, so that a suppressed neighbour cannot
   * be worked out from it ({@link #suppress}).
   */
  public static final String FLAG_COMPLEMENTARY = "complementary_suppression";

  static final List<String> DOMAIN =
      List.of(
          "survey_id",
          "country",
          "admin_level",
          "admin_code",
          "admin_name",
          "population_group",
          "indicator_id");

  private SurveyIndicators() {}

  public static Dataset<Row> compute(
      SparkSession spark,
      Dataset<Row> households,
      IndicatorRules rules,
      SuppressionSettings suppression,
      double confidenceLevel,
      String runId) {
    Dataset<Row> measured = HouseholdMeasures.compute(households, rules);
    List<Column> values = new ArrayList<>();
    for (String id : HouseholdMeasures.indicatorIds(rules)) {
      values.add(struct(lit(id).as("id"), col(id).cast(DataTypes.DoubleType).as("y")));
    }
    Column areas =
        array(
            struct(lit(0).as("level"), col("country").as("code"), col("country").as("name")),
            struct(
                lit(1).as("level"),
                col("admin1_pcode").as("code"),
                coalesce(col("admin1_name"), col("admin1_pcode")).as("name")));
    Dataset<Row> obs =
        measured
            .withColumn("v", explode(array(values.toArray(new Column[0]))))
            .where(col("v.y").isNotNull())
            .withColumn("a", explode(areas))
            .select(
                col("survey_id"),
                col("country"),
                col("a.level").as("admin_level"),
                col("a.code").as("admin_code"),
                col("a.name").as("admin_name"),
                col("population_group"),
                col("v.id").as("indicator_id"),
                col("stratum"),
                col("cluster"),
                col("weight"),
                col("v.y").as("y"));
    Dataset<Row> est =
        SurveyEstimates.withLogitCi(
            spark,
            SurveyEstimates.estimate(
                obs,
                DOMAIN,
                List.of("survey_id"),
                households.select("survey_id", "stratum", "cluster")),
            confidenceLevel);
    return publish(est, surveyInfo(households), suppression, runId);
  }

  /** Per survey: round, period (the year its interviews started) and admin 1 names. */
  static Dataset<Row> surveyInfo(Dataset<Row> households) {
    return households
        .groupBy("survey_id")
        .agg(
            first(col("round")).as("round"),
            min(col("survey_date")).as("first_interview"),
            max(col("survey_date")).as("last_interview"));
  }

  /**
   * Which cells are suppressed: those with fewer than {@code min} respondents (primary), and, so
   * that no suppressed admin 1 value can be worked out from the published national cell and the
   * other admin 1 cells (every household of a survey is in one admin 1 unit, and the national cell
   * is their union), the fewest other admin 1 cells of the same survey, measure and group that make
   * the suppressed ones at least two, with {@code min} respondents together (complementary: the
   * smallest first, then by p-code). Adds the columns {@code suppressed} and {@code complementary}.
   */
  static Dataset<Row> suppress(Dataset<Row> est, int min) {
    WindowSpec cells =
        Window.partitionBy("survey_id", "indicator_id", "population_group", "admin_level");
    Column primary = col("n").lt(min);
    WindowSpec order = cells.orderBy(primary.desc(), col("n").asc(), col("admin_code").asc());
    Dataset<Row> ranked =
        est.withColumn("_primaries", sum(when(primary, 1).otherwise(0)).over(cells))
            .withColumn("_before", row_number().over(order).minus(1))
            .withColumn(
                "_n_before",
                coalesce(
                    sum(col("n")).over(order.rowsBetween(Window.unboundedPreceding(), -1)),
                    lit(0L)));
    Column complementary =
        col("admin_level")
            .equalTo(1)
            .and(primary.unary_$bang())
            .and(col("_primaries").gt(0))
            .and(col("_before").lt(2).or(col("_n_before").lt(min)));
    return ranked
        .withColumn("complementary", complementary)
        .withColumn("suppressed", primary.or(complementary))
        .drop("_primaries", "_before", "_n_before");
  }

  /** Suppression, flags, comparator gap, and the indicator_values columns. */
  public static Dataset<Row> publish(
      Dataset<Row> est, Dataset<Row> info, SuppressionSettings s, String runId) {
    Dataset<Row> flagged = suppress(est, s.minRespondents());
    Dataset<Row> comparator =
        flagged
            .where(col("population_group").equalTo(HouseholdMeasures.COMPARATOR))
            .select(
                col("survey_id").as("c_survey"),
                col("admin_level").as("c_level"),
                col("admin_code").as("c_code"),
                col("indicator_id").as("c_indicator"),
                col("mean").as("c_mean"),
                col("suppressed").as("c_suppressed"));
    Column suppressed = col("suppressed");
    Column comparatorShown = col("c_suppressed").equalTo(false);
    Column cv = when(col("mean").gt(0), col("se").divide(col("mean")));
    Dataset<Row> joined =
        flagged
            .join(
                comparator,
                col("survey_id")
                    .equalTo(col("c_survey"))
                    .and(col("admin_level").equalTo(col("c_level")))
                    .and(col("admin_code").equalTo(col("c_code")))
                    .and(col("indicator_id").equalTo(col("c_indicator"))),
                "left")
            .join(info, "survey_id");
    Column periodStart = make_date(year(col("first_interview")), lit(1), lit(1));
    Dataset<Row> out =
        joined
            .withColumn("source_family", lit("survey"))
            .withColumn("admin1_code", when(col("admin_level").equalTo(1), col("admin_code")))
            .withColumn("period_type", lit("year"))
            .withColumn("period_start", periodStart)
            .withColumn(
                "period_end",
                date_sub(make_date(year(col("first_interview")).plus(1), lit(1), lit(1)), 1))
            .withColumn("value", when(suppressed.unary_$bang(), col("mean")))
            .withColumn("se", when(suppressed.unary_$bang(), col("se")))
            .withColumn("ci_low", when(suppressed.unary_$bang(), col("ci_low")))
            .withColumn("ci_high", when(suppressed.unary_$bang(), col("ci_high")))
            .withColumn("deff", when(suppressed.unary_$bang(), col("deff")))
            .withColumn("weighted_n", when(suppressed.unary_$bang(), col("weighted_n")))
            .withColumn(
                "comparator_gap_pp",
                when(
                    suppressed
                        .unary_$bang()
                        .and(comparatorShown)
                        .and(col("population_group").notEqual(HouseholdMeasures.COMPARATOR)),
                    col("mean").minus(col("c_mean")).multiply(100)))
            .withColumn(
                "quality_flags",
                array_compact(
                    array(
                        when(col("complementary"), lit(FLAG_COMPLEMENTARY)),
                        when(
                            suppressed
                                .unary_$bang()
                                .and(col("n").lt(s.lowPrecisionRespondents()).or(cv.gt(s.maxCv()))),
                            lit(FLAG_LOW_PRECISION)),
                        when(
                            suppressed.unary_$bang().and(col("ci_low").isNull()),
                            lit(FLAG_NO_CI)))))
            .withColumn("last_report_date", col("last_interview"))
            .withColumn("source_operation", col("survey_id"))
            .withColumn("survey_round", col("round"))
            .withColumn("run_id", lit(runId));
    List<Column> cols = new ArrayList<>();
    for (StructField f : Tables.INDICATOR_VALUES.schema().fields()) {
      cols.add(col(f.name()).cast(f.dataType()).as(f.name()));
    }
    return out.select(cols.toArray(new Column[0]));
  }
}
