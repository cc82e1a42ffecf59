package org.idsolutions.pipeline.indicators.combined;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_compact;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.dense_rank;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.make_date;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.year;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.idsolutions.pipeline.lakehouse.Tables;

/**
 * The yearly headline figures of every region (admin 1 and national), across the three families
 * (DESIGN 5, combined): one wide row per (country, level, area, year) present in any family, and
 * the combined indicators in long format. A missing input gives null and a flag, never zero.
 */
public final class CombinedIndicators {
  /** (source family, indicator, population group, column) of the wide row. */
  static final String[][] WIDE = {
    {"tracking", "idp_stock", "idp", "idp_stock"},
    {"tracking", "idp_change_pct", "idp", "idp_change_pct"},
    {"tracking", "returnee_stock", "returnee", "returnee_stock"},
    {"programme", "budget_usd", "all", "budget_usd"},
    {"programme", "disbursed_usd", "all", "disbursed_usd"},
    {"programme", "spent_usd", "all", "spent_usd"},
    {"programme", "people_reached", "all", "people_reached"},
    {"programme", "activities_active", "all", "activities_active"},
    {"programme", "organisations_active", "all", "organisations_active"},
    {"survey", "exited_composite", "idp", "exited_composite_idp"},
    {"survey", "exited_all_criteria", "idp", "exited_all_criteria_idp"},
    {"survey", "exited_composite", "non_displaced", "exited_composite_non_displaced"},
  };

  static final String[] CRITERIA = {
    "c1_safety",
    "c2_standard_of_living",
    "c3_livelihoods",
    "c4_housing_land_property",
    "c5_documentation"
  };

  private CombinedIndicators() {}

  static Column key() {
    return concat(
        col("source_family"), lit("|"), col("indicator_id"), lit("|"), col("population_group"));
  }

  /**
   * The order that puts an area's latest survey of a year first, for each population group: by the
   * first number in its round label, then the second, compared as numbers ("10" after "9", "R10"
   * after "R9", "2025-1" after "2024-3", "2024-R10" after "2024-R9"), then by the whole label
   * ("2023b" after "2023"), then by survey id, so that exactly one survey ranks first for a group
   * and a value, its interval and the group's criteria all come from it (an IDP survey and a host
   * community survey of one round each give their own group's figures). Rows of the other families
   * have neither and all rank first.
   */
  static Column[] latestSurveyFirst() {
    Column round = coalesce(col("survey_round"), lit(""));
    return new Column[] {
      regexp_extract(round, "(\\d{1,18})", 1).try_cast(DataTypes.LongType).desc_nulls_last(),
      regexp_extract(round, "\\d+\\D+(\\d{1,18})", 1)
          .try_cast(DataTypes.LongType)
          .desc_nulls_last(),
      round.desc(),
      // a survey's id is its rows' source_operation; other families' rows name an operation there
      when(col("source_family").equalTo("survey"), col("source_operation")).desc_nulls_last()
    };
  }

  /** One wide row per region and year, with the combined indicators and their flags. */
  public static Dataset<Row> regionalSummary(Dataset<Row> values, String runId) {
    List<String> keys = new ArrayList<>();
    List<Column> aggs = new ArrayList<>();
    for (String[] w : WIDE) {
      String k = w[0] + "|" + w[1] + "|" + w[2];
      keys.add(k);
      aggs.add(first(when(key().equalTo(k), col("value")), true).as(w[3]));
    }
    aggs.add(
        first(when(key().equalTo("survey|exited_composite|idp"), col("ci_low")), true)
            .as("exited_composite_idp_ci_low"));
    aggs.add(
        first(when(key().equalTo("survey|exited_composite|idp"), col("ci_high")), true)
            .as("exited_composite_idp_ci_high"));
    for (String c : CRITERIA) {
      for (String g : new String[] {"idp", "non_displaced"}) {
        String k = "survey|" + c + "|" + g;
        keys.add(k);
        aggs.add(first(when(key().equalTo(k), col("value")), true).as("_" + c + "_" + g));
      }
    }
    aggs.add(first(col("admin_name"), true).as("admin_name"));
    aggs.add(max(when(col("source_family").equalTo("tracking"), 1)).as("_t"));
    aggs.add(max(when(col("source_family").equalTo("survey"), 1)).as("_s"));
    aggs.add(max(when(col("source_family").equalTo("programme"), 1)).as("_p"));
    Dataset<Row> wide =
        values
            .where(
                col("period_type")
                    .equalTo("year")
                    .and(col("source_family").notEqual("combined"))
                    .and(col("admin_level").isin(0, 1)))
            .withColumn("year", year(col("period_start")))
            // several surveys of one area in one year: one of them gives all the year's figures
            .withColumn(
                "_round_rank",
                dense_rank()
                    .over(
                        Window.partitionBy(
                                col("source_family"),
                                col("country"),
                                col("admin_level"),
                                col("admin_code"),
                                col("year"),
                                col("population_group"))
                            .orderBy(latestSurveyFirst())))
            .where(col("_round_rank").equalTo(1))
            .groupBy(col("country"), col("admin_level"), col("admin_code"), col("year"))
            .agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(new Column[0]));

    Column ratioSum = lit(0.0);
    Column allCriteria = lit(true);
    for (String c : CRITERIA) {
      Column idp = col("_" + c + "_idp");
      Column comp = col("_" + c + "_non_displaced");
      ratioSum =
          ratioSum.plus(when(comp.gt(0), least(idp.divide(comp), lit(1.0))).otherwise(lit(1.0)));
      allCriteria = allCriteria.and(idp.isNotNull()).and(comp.isNotNull());
    }
    Column stock = when(col("idp_stock").gt(0), col("idp_stock"));
    Dataset<Row> out =
        wide.withColumn("has_tracking", col("_t").isNotNull())
            .withColumn("has_survey", col("_s").isNotNull())
            .withColumn("has_programme", col("_p").isNotNull())
            .withColumn("usd_per_idp", col("budget_usd").divide(stock))
            .withColumn("reach_per_idp", col("people_reached").divide(stock))
            .withColumn("est_idps_overcome", col("idp_stock").multiply(col("exited_composite_idp")))
            .withColumn(
                "est_idps_overcome_ci_low",
                col("idp_stock").multiply(col("exited_composite_idp_ci_low")))
            .withColumn(
                "est_idps_overcome_ci_high",
                col("idp_stock").multiply(col("exited_composite_idp_ci_high")))
            .withColumn(
                "solutions_index",
                when(allCriteria, ratioSum.divide(CRITERIA.length).multiply(100)))
            .withColumn(
                "quality_flags",
                array_compact(
                    array(
                        when(col("idp_stock").isNull(), lit("missing_tracking")),
                        when(col("exited_composite_idp").isNull(), lit("missing_survey")),
                        when(col("budget_usd").isNull(), lit("missing_programme")))))
            .withColumn("run_id", lit(runId));
    List<Column> cols = new ArrayList<>();
    for (StructField f : Tables.REGIONAL_SUMMARY.schema().fields()) {
      cols.add(col(f.name()).cast(f.dataType()).as(f.name()));
    }
    return out.select(cols.toArray(new Column[0]));
  }

  /**
   * The combined indicators of the summary in the indicator_values shape (source family combined).
   */
  public static Dataset<Row> longFormat(Dataset<Row> summary) {
    Column items =
        array(
            item("usd_per_idp", col("usd_per_idp"), null, null),
            item("reach_per_idp", col("reach_per_idp"), null, null),
            item(
                "est_idps_overcome",
                col("est_idps_overcome"),
                col("est_idps_overcome_ci_low"),
                col("est_idps_overcome_ci_high")),
            item("solutions_index", col("solutions_index"), null, null));
    Dataset<Row> long_ =
        summary
            .withColumn("i", explode(items))
            .withColumn("source_family", lit("combined"))
            .withColumn("admin1_code", when(col("admin_level").equalTo(1), col("admin_code")))
            .withColumn("period_type", lit("year"))
            .withColumn("period_start", make_date(col("year"), lit(1), lit(1)))
            .withColumn("period_end", make_date(col("year"), lit(12), lit(31)))
            .withColumn("indicator_id", col("i.id"))
            .withColumn("population_group", lit("idp"))
            .withColumn("value", col("i.value"))
            .withColumn("ci_low", col("i.low"))
            .withColumn("ci_high", col("i.high"))
            .withColumn("suppressed", lit(false));
    List<Column> cols = new ArrayList<>();
    List<String> have = List.of(long_.columns());
    for (StructField f : Tables.INDICATOR_VALUES.schema().fields()) {
      cols.add(
          (have.contains(f.name()) ? col(f.name()) : lit(null)).cast(f.dataType()).as(f.name()));
    }
    return long_.select(cols.toArray(new Column[0]));
  }

  private static Column item(String id, Column value, Column low, Column high) {
    return struct(
        lit(id).as("id"),
        value.cast(DataTypes.DoubleType).as("value"),
        (low == null ? lit(null) : low).cast(DataTypes.DoubleType).as("low"),
        (high == null ? lit(null) : high).cast(DataTypes.DoubleType).as("high"));
  }
}
