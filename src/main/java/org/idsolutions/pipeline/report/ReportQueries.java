package org.idsolutions.pipeline.report;

import static org.apache.spark.sql.functions.array_contains;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.sql.Date;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The report's tables as queries over the gold tables, one per CSV in the report's {@code data/}
 * folder. Each is small: a row per country, region, year or survey estimate.
 */
final class ReportQueries {
  /** The regional_summary columns of the country and region tables, in order. */
  static final List<String> SUMMARY_COLUMNS =
      List.of(
          "country",
          "admin_code",
          "admin_name",
          "idp_stock",
          "idp_change_pct",
          "returnee_stock",
          "budget_usd",
          "people_reached",
          "usd_per_idp",
          "exited_composite_idp",
          "exited_composite_idp_ci_low",
          "exited_composite_idp_ci_high",
          "est_idps_overcome",
          "est_idps_overcome_ci_low",
          "est_idps_overcome_ci_high",
          "solutions_index",
          "quality_flags");

  static final String COUNTRIES = "countries";
  static final String REGIONS = "regions";
  static final String STOCK = "stock-over-time";
  static final String FUNDING = "funding-vs-need";
  static final String CRITERIA = "criteria";
  static final String COVERAGE = "data-coverage";

  private ReportQueries() {}

  /**
   * The queries by CSV name, in the order of the page.
   *
   * @param summary indicators.regional_summary
   * @param yearValues the year's rows of indicators.indicator_values ({@link #ofYear})
   * @param criteria the survey indicators of the criteria charts
   */
  static Map<String, Dataset<Row>> of(
      Dataset<Row> summary, Dataset<Row> yearValues, List<String> criteria, int year) {
    Column ofYear = col("year").equalTo(year);
    Column national = col("admin_level").equalTo(0);
    Column admin1 = col("admin_level").equalTo(1);
    Column[] columns = SUMMARY_COLUMNS.stream().map(c -> col(c)).toArray(Column[]::new);
    Map<String, Dataset<Row>> q = new LinkedHashMap<>();
    q.put(COUNTRIES, summary.where(national.and(ofYear)).select(columns).orderBy("country"));
    q.put(
        REGIONS,
        summary
            .where(admin1.and(ofYear))
            .select(columns)
            .orderBy("country", "admin_name", "admin_code"));
    q.put(
        STOCK,
        summary
            .where(national.and(col("year").leq(year)).and(col("idp_stock").isNotNull()))
            .select("country", "year", "idp_stock")
            .orderBy("country", "year"));
    q.put(
        FUNDING,
        summary
            .where(
                admin1
                    .and(ofYear)
                    .and(col("idp_stock").isNotNull())
                    .and(col("budget_usd").isNotNull()))
            .select("country", "admin_code", "admin_name", "idp_stock", "budget_usd", "usd_per_idp")
            .orderBy("country", "admin_code"));
    q.put(CRITERIA, criteria(yearValues, criteria));
    q.put(COVERAGE, coverage(summary.where(ofYear), yearValues));
    return q;
  }

  /** The values of the year period {@code year} (the criteria and the annex read only those). */
  static Dataset<Row> ofYear(Dataset<Row> values, int year) {
    return values.where(
        col("period_type")
            .equalTo("year")
            .and(col("period_start").equalTo(lit(Date.valueOf(LocalDate.of(year, 1, 1))))));
  }

  /** The national survey estimates of the year for IDPs and the comparator. */
  static Dataset<Row> criteria(Dataset<Row> yearValues, List<String> criteria) {
    return yearValues
        .where(
            col("source_family")
                .equalTo("survey")
                .and(col("admin_level").equalTo(0))
                .and(col("indicator_id").isin(criteria.toArray()))
                .and(col("population_group").isin("idp", "non_displaced")))
        .select(
            col("country"),
            col("source_operation").as("survey_id"),
            col("survey_round"),
            col("indicator_id"),
            col("population_group"),
            col("value"),
            col("ci_low"),
            col("ci_high"),
            col("n"),
            col("suppressed"))
        .orderBy("country", "survey_id", "survey_round", "indicator_id", "population_group");
  }

  /**
   * Per country with a national row: its admin 1 rows and which data they have, the tracking report
   * behind the national stock, and the survey cells (one pass over the year's values).
   */
  static Dataset<Row> coverage(Dataset<Row> yearSummary, Dataset<Row> yearValues) {
    Column tracking =
        col("source_family")
            .equalTo("tracking")
            .and(col("admin_level").equalTo(0))
            .and(col("indicator_id").equalTo("idp_stock"));
    Column survey = col("source_family").equalTo("survey");
    Dataset<Row> perCountry =
        yearValues
            .groupBy("country")
            .agg(
                max(when(tracking, col("last_report_date"))).as("last_tracking_report"),
                max(when(tracking, array_contains(col("quality_flags"), "stale")))
                    .as("tracking_stale"),
                concat_ws(" ", sort_array(collect_set(when(survey, col("source_operation")))))
                    .as("surveys"),
                countWhere(survey).as("survey_cells"),
                countWhere(survey.and(col("suppressed"))).as("survey_cells_suppressed"),
                countWhere(survey.and(array_contains(col("quality_flags"), "low_precision")))
                    .as("survey_cells_low_precision"));
    Dataset<Row> regions =
        yearSummary
            .where(col("admin_level").equalTo(1))
            .groupBy("country")
            .agg(
                count(lit(1)).as("admin1_regions"),
                countWhere(col("has_tracking")).as("with_tracking"),
                countWhere(col("has_survey")).as("with_survey"),
                countWhere(col("has_programme")).as("with_programme"));
    return yearSummary
        .where(col("admin_level").equalTo(0))
        .select("country")
        .join(regions, new String[] {"country"}, "left")
        .join(perCountry, new String[] {"country"}, "left")
        .orderBy("country");
  }

  private static Column countWhere(Column condition) {
    return sum(when(condition, 1L).otherwise(0L));
  }
}
