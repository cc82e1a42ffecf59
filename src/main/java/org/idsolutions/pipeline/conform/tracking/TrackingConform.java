package org.idsolutions.pipeline.conform.tracking;

import static org.apache.spark.sql.functions.array_join;
import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.idsolutions.pipeline.config.PipelineConfig.TrackingSettings;
import org.idsolutions.pipeline.lakehouse.Tables;

/** Turns checked tracking rows into conformed.tracking_counts rows (DESIGN 4). */
public final class TrackingConform {
  /** The grain of conformed.tracking_counts. */
  public static final List<String> GRAIN =
      List.of(
          "country_code",
          "operation",
          "admin_level",
          "admin_pcode",
          "assessment_type",
          "round_number",
          "reporting_date",
          "displacement_reason");

  private TrackingConform() {}

  /** Rows that broke no rule. */
  public static Dataset<Row> accepted(Dataset<Row> checked) {
    return checked.where(col("reject_rule").isNull());
  }

  /**
   * The tracking_counts rows of the countries dated on or after each country's date, all of a
   * country's rows when its date is null: the tracking indicators' input from each country's first
   * year, and the stored reports a new batch could match.
   */
  public static Column reportsFrom(Map<String, LocalDate> from) {
    Column any = lit(false);
    for (Map.Entry<String, LocalDate> e : from.entrySet()) {
      Column country = col("country_code").equalTo(e.getKey());
      if (e.getValue() != null) {
        country = country.and(col("reporting_date").geq(lit(e.getValue())));
      }
      any = any.or(country);
    }
    return any;
  }

  /** Rows that broke a rule, in the quarantine.rejected_rows shape. */
  public static Dataset<Row> rejected(Dataset<Row> checked, String runId) {
    return checked
        .where(col("reject_rule").isNotNull())
        .select(
            lit("tracking").as("family"),
            col("source_file"),
            col("row_number"),
            TrackingRules.rawRowJson().as("raw_row"),
            col("reject_rule").as("rule"),
            col("reject_message").as("message"),
            lit(runId).as("run_id"));
  }

  /**
   * Sums accepted rows over origins (and any other split) to the grain. When the same grain key
   * comes from two files of one batch, the later file ({@code file_seq}) wins, as a later load
   * would.
   */
  public static Dataset<Row> aggregate(Dataset<Row> accepted, TrackingSettings settings) {
    Column level = col("admin_level_int");
    Dataset<Row> units =
        accepted
            .withColumn("country_code", col("country"))
            .withColumn("operation", col("operation_name"))
            .withColumn("admin_level", level)
            .withColumn(
                "admin_pcode",
                when(level.equalTo(0), col("country"))
                    .when(level.equalTo(1), col("a1.pcode"))
                    .otherwise(col("a2.pcode")))
            .withColumn(
                "admin_name",
                when(level.equalTo(0), col("country"))
                    .when(level.equalTo(1), col("a1.name"))
                    .otherwise(col("a2.name")))
            .withColumn("admin1_pcode", when(level.geq(1), col("a1.pcode")))
            .withColumn("admin1_name", when(level.geq(1), col("a1.name")))
            .withColumn("admin2_pcode", when(level.equalTo(2), col("a2.pcode")))
            .withColumn("admin2_name", when(level.equalTo(2), col("a2.name")))
            .withColumn(
                "method",
                when(level.equalTo(0), lit("exact"))
                    .when(level.equalTo(1), col("a1_method"))
                    .otherwise(col("a2_method")))
            .withColumn("assessment_type", col("assessment"))
            .withColumn("round_number", col("round").cast(DataTypes.IntegerType))
            .withColumn("reporting_date", col("report_date"))
            .withColumn("displacement_reason", col("reason"));

    List<Column> keys = new ArrayList<>();
    for (String g : GRAIN) {
      keys.add(col(g));
    }
    List<Column> perFile = new ArrayList<>(keys);
    perFile.add(col("file_seq"));
    perFile.add(col("source_file"));
    perFile.add(col("load_run_id"));
    // One shuffle for both steps: rows hashed by the grain are already grouped for the per-file
    // sums and for the window that keeps the latest file's (most keys come from one file, so a
    // partial aggregation before the shuffle would save little)
    Dataset<Row> summed =
        units
            .repartition(keys.toArray(new Column[0]))
            .groupBy(perFile.toArray(new Column[0]))
            .agg(
                first(col("admin_name")).as("admin_name"),
                first(col("admin1_pcode")).as("admin1_pcode"),
                first(col("admin1_name")).as("admin1_name"),
                first(col("admin2_pcode")).as("admin2_pcode"),
                first(col("admin2_name")).as("admin2_name"),
                array_join(array_sort(collect_set(col("method"))), ",").as("match_method"),
                sum(col("idp")).as("idp_individuals"),
                completeSum("returnees").as("returnee_individuals"),
                completeSum("males_n").as("males"),
                completeSum("females_n").as("females"),
                // distinct non-null origins; countDistinct would plan a second aggregation
                size(collect_set(col("origin"))).as("origin_count"),
                count(lit(1)).cast(DataTypes.IntegerType).as("source_rows"))
            .withColumn(
                "reason_group", TrackingRules.reasonGroup(col("displacement_reason"), settings));
    Dataset<Row> latestFile =
        summed
            .withColumn(
                "_rank",
                row_number()
                    .over(
                        Window.partitionBy(keys.toArray(new Column[0]))
                            .orderBy(col("file_seq").desc())))
            .where(col("_rank").equalTo(1));
    List<Column> out = new ArrayList<>();
    for (StructField f : Tables.TRACKING_COUNTS.schema().fields()) {
      out.add(col(f.name()).cast(f.dataType()).as(f.name()));
    }
    return latestFile.select(out.toArray(new Column[0]));
  }

  /** The sum when every row has a value, else null (a partial sum would understate). */
  private static Column completeSum(String column) {
    return when(count(col(column)).equalTo(count(lit(1))), sum(col(column)));
  }
}
