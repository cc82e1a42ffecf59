package org.idsolutions.pipeline.indicators.survey;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.idsolutions.pipeline.config.IndicatorRules;
import org.idsolutions.pipeline.config.IndicatorRules.SubCriterion;

/**
 * Household measures from conf/indicators.yaml (DESIGN 5, surveys): each sub-criterion (1 overcome,
 * 0 not, null missing; not applicable counts as overcome), each criterion (all its sub-criteria
 * overcome; missing = not passed), {@code exited_all_criteria}, the score S (sub-criteria overcome)
 * and {@code exited_composite} (S at least the weighted mean S of non-displaced households of the
 * same country and survey round, IRIS option 1).
 */
public final class HouseholdMeasures {
  public static final String EXITED_ALL = "exited_all_criteria";
  public static final String EXITED_COMPOSITE = "exited_composite";
  public static final String SCORE = "subcriteria_overcome";
  public static final String BENCHMARK = "comparator_benchmark";
  public static final String COMPARATOR = "non_displaced";

  private HouseholdMeasures() {}

  /** The indicator ids computed, in order: sub-criteria, criteria, then the two exit measures. */
  public static List<String> indicatorIds(IndicatorRules rules) {
    List<String> ids = new ArrayList<>();
    rules.subCriteria().forEach(s -> ids.add(s.id()));
    ids.addAll(rules.criteria());
    ids.add(EXITED_ALL);
    ids.add(EXITED_COMPOSITE);
    return ids;
  }

  static Column subCriterion(SubCriterion s) {
    Column holds = expr(s.expression());
    Column value = when(holds.isNull(), lit(null)).when(holds, lit(1)).otherwise(lit(0));
    if (s.appliesWhen() == null || s.appliesWhen().isBlank()) {
      return value.cast(DataTypes.IntegerType);
    }
    Column applies = expr(s.appliesWhen());
    return when(applies.isNull(), lit(null))
        .when(applies.unary_$bang(), lit(1))
        .otherwise(value)
        .cast(DataTypes.IntegerType);
  }

  /** Adds one column per indicator id, the score and the benchmark, to conformed households. */
  public static Dataset<Row> compute(Dataset<Row> households, IndicatorRules rules) {
    Dataset<Row> df = households;
    for (SubCriterion s : rules.subCriteria()) {
      df = df.withColumn(s.id(), subCriterion(s));
    }
    Column allCriteria = lit(true);
    for (String criterion : rules.criteria()) {
      Column passed = lit(true);
      for (SubCriterion s : rules.subCriteria()) {
        if (s.criterion().equals(criterion)) {
          passed = passed.and(coalesce(col(s.id()), lit(0)).equalTo(1));
        }
      }
      df = df.withColumn(criterion, when(passed, 1).otherwise(0));
      allCriteria = allCriteria.and(col(criterion).equalTo(1));
    }
    Column score = lit(0);
    for (SubCriterion s : rules.subCriteria()) {
      score = score.plus(coalesce(col(s.id()), lit(0)));
    }
    Column comparatorWeight = when(col("population_group").equalTo(COMPARATOR), col("weight"));
    Dataset<Row> scored =
        df.withColumn(EXITED_ALL, when(allCriteria, 1).otherwise(0)).withColumn(SCORE, score);
    // The benchmark per country and survey round (DESIGN 5: the comparator households of the same
    // country and round, so an IDP survey and a host-community survey of one round share one) is a
    // small aggregate joined back by broadcast, not a window: a window hashes the households by its
    // keys, and every later aggregation of the estimates (all keyed by survey and more) keeps that
    // partitioning, so each survey's work stays in one task; at scale 1 the 49 surveys ran in one
    // or two (docs/performance.md, change 64).
    Dataset<Row> benchmarks =
        scored
            .groupBy(col("country").as("b_country"), col("round").as("b_round"))
            .agg(
                sum(comparatorWeight.multiply(col(SCORE)))
                    .divide(sum(comparatorWeight))
                    .as(BENCHMARK));
    return scored
        .join(
            broadcast(benchmarks),
            col("country")
                .eqNullSafe(col("b_country"))
                .and(col("round").eqNullSafe(col("b_round"))),
            "left")
        .drop("b_country", "b_round")
        .withColumn(
            EXITED_COMPOSITE,
            when(col(BENCHMARK).isNotNull(), when(col(SCORE).geq(col(BENCHMARK)), 1).otherwise(0)));
  }
}
