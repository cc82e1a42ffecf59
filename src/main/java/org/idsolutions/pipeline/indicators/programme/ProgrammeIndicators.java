package org.idsolutions.pipeline.indicators.programme;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_compact;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.date_diff;
import static org.apache.spark.sql.functions.date_sub;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.last_day;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.trunc;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.idsolutions.pipeline.lakehouse.Tables;

/**
 * Programme indicators (DESIGN 5) per admin 1 (with the "unspecified" bucket for country-wide
 * activities) and the nation, per month, quarter and year. Everything is computed at month grain,
 * by days of overlap, and summed (amounts) or distinct-counted (activities, organisations) into
 * quarters and years.
 *
 * <ul>
 *   <li>{@code budget_usd}: each budget line's USD amount x (days of the line's period in the month
 *       / days of the period) x the area's location share; {@code budget_usd_<group>} x the sector
 *       share as well;
 *   <li>{@code disbursed_usd}, {@code spent_usd}: transactions in the month of their date x
 *       location share;
 *   <li>{@code people_reached}: in the month of the activity's end x location share;
 *   <li>{@code activities_active}, {@code organisations_active}, {@code joint_activities}:
 *       activities whose dates overlap the period and that have a share in the area.
 * </ul>
 */
public final class ProgrammeIndicators {
  private ProgrammeIndicators() {}

  /** One row per (activity or line, month) with the days of [start, end] in that month. */
  static Dataset<Row> months(Dataset<Row> df, String start, String end) {
    return df.withColumn(
            "month",
            explode(
                expr(
                    "sequence(trunc("
                        + start
                        + ", 'MM'), trunc("
                        + end
                        + ", 'MM'), interval 1 month)")))
        .withColumn(
            "days_in_month",
            date_diff(least(col(end), last_day(col("month"))), greatest(col(start), col("month")))
                .plus(1));
  }

  public static Dataset<Row> compute(
      Dataset<Row> activities,
      Dataset<Row> locations,
      Dataset<Row> finance,
      Dataset<Row> sectors,
      Dataset<Row> reach,
      String runId) {
    Dataset<Row> loc =
        locations.select(
            col("activity_id").as("l_id"),
            col("country").as("l_country"),
            col("admin1_pcode"),
            col("share"));

    // amounts by month and area, per indicator id
    Dataset<Row> budgets =
        months(finance.where(col("kind").equalTo("budget")), "period_start", "period_end")
            .withColumn(
                "part",
                col("amount_usd")
                    .multiply(col("days_in_month"))
                    .divide(date_diff(col("period_end"), col("period_start")).plus(1)));
    Dataset<Row> budgetByArea =
        budgets
            .join(loc, col("activity_id").equalTo(col("l_id")))
            .select(
                col("l_country").as("country"),
                col("admin1_pcode"),
                col("month"),
                col("activity_id"),
                lit("budget_usd").as("indicator_id"),
                col("part").multiply(col("share")).as("amount"));
    Dataset<Row> budgetBySector =
        budgetByArea
            .join(
                sectors.select(
                    col("activity_id").as("s_id"), col("sector_group"), col("share").as("s_share")),
                col("activity_id").equalTo(col("s_id")))
            .select(
                col("country"),
                col("admin1_pcode"),
                col("month"),
                col("activity_id"),
                expr("concat('budget_usd_', sector_group)").as("indicator_id"),
                col("amount").multiply(col("s_share")).as("amount"));
    Dataset<Row> transactions =
        finance
            .where(col("kind").isin("disbursement", "expenditure"))
            .join(loc, col("activity_id").equalTo(col("l_id")))
            .select(
                col("l_country").as("country"),
                col("admin1_pcode"),
                trunc(col("period_start"), "MM").as("month"),
                col("activity_id"),
                when(col("kind").equalTo("disbursement"), lit("disbursed_usd"))
                    .otherwise(lit("spent_usd"))
                    .as("indicator_id"),
                col("amount_usd").multiply(col("share")).as("amount"));
    Dataset<Row> reached =
        reach
            .join(loc, col("activity_id").equalTo(col("l_id")))
            .select(
                col("l_country").as("country"),
                col("admin1_pcode"),
                trunc(col("reach_date"), "MM").as("month"),
                col("activity_id"),
                lit("people_reached").as("indicator_id"),
                col("people_reached").multiply(col("share")).as("amount"));
    Dataset<Row> amounts =
        budgetByArea.unionByName(budgetBySector).unionByName(transactions).unionByName(reached);

    // activities active by month and area
    Dataset<Row> active =
        months(activities, "start_date", "end_date")
            .join(loc, col("activity_id").equalTo(col("l_id")))
            .where(col("share").gt(0))
            .select(
                col("l_country").as("country"),
                col("admin1_pcode"),
                col("month"),
                col("activity_id"),
                col("joint"),
                col("organisations"));

    List<Dataset<Row>> out = new ArrayList<>();
    for (String[] p : new String[][] {{"month", "1"}, {"quarter", "3"}, {"year", "12"}}) {
      Column start = p[0].equals("month") ? col("month") : trunc(col("month"), p[0]);
      for (boolean national : new boolean[] {false, true}) {
        Column level = lit(national ? 0 : 1);
        Column area = national ? col("country") : col("admin1_pcode");
        Dataset<Row> sums =
            amounts
                .withColumn("period_start", start)
                .groupBy(
                    col("country"), area.as("admin_code"), col("period_start"), col("indicator_id"))
                .agg(sum(col("amount")).as("value"));
        Dataset<Row> counts =
            active
                .withColumn("period_start", start)
                .withColumn("org", explode(coalesce(col("organisations"), array())))
                .groupBy(col("country"), area.as("admin_code"), col("period_start"))
                .agg(
                    countDistinct(col("activity_id")).as("activities_active"),
                    countDistinct(col("org")).as("organisations_active"),
                    countDistinct(when(col("joint"), col("activity_id"))).as("joint_activities"));
        Dataset<Row> activeNoOrgs =
            active
                .withColumn("period_start", start)
                .groupBy(col("country"), area.as("admin_code"), col("period_start"))
                .agg(
                    countDistinct(col("activity_id")).as("activities_all"),
                    countDistinct(when(col("joint"), col("activity_id"))).as("joint_all"));
        Dataset<Row> countRows =
            activeNoOrgs
                .join(counts, scalaSeq("country", "admin_code", "period_start"), "left")
                .select(
                    col("country"),
                    col("admin_code"),
                    col("period_start"),
                    explode(
                            array(
                                struct(
                                    lit("activities_active").as("id"),
                                    col("activities_all").cast("double").as("v")),
                                struct(
                                    lit("organisations_active").as("id"),
                                    coalesce(col("organisations_active"), lit(0))
                                        .cast("double")
                                        .as("v")),
                                struct(
                                    lit("joint_activities").as("id"),
                                    col("joint_all").cast("double").as("v"))))
                        .as("x"))
                .select(
                    col("country"),
                    col("admin_code"),
                    col("period_start"),
                    col("x.id").as("indicator_id"),
                    col("x.v").as("value"));
        out.add(
            sums.unionByName(countRows)
                .withColumn("admin_level", level)
                .withColumn("period_type", lit(p[0]))
                .withColumn(
                    "period_end", date_sub(expr("add_months(period_start, " + p[1] + ")"), 1)));
      }
    }
    Dataset<Row> all = out.get(0);
    for (int i = 1; i < out.size(); i++) {
      all = all.unionByName(out.get(i));
    }
    Dataset<Row> shaped =
        all.withColumn("source_family", lit("programme"))
            .withColumn("admin_name", lit(null).cast(DataTypes.StringType))
            .withColumn("admin1_code", when(col("admin_level").equalTo(1), col("admin_code")))
            .withColumn("population_group", lit("all"))
            .withColumn("suppressed", lit(false))
            .withColumn(
                "quality_flags",
                array_compact(array().cast(DataTypes.createArrayType(DataTypes.StringType))))
            .withColumn("run_id", lit(runId));
    List<Column> cols = new ArrayList<>();
    for (StructField f : Tables.INDICATOR_VALUES.schema().fields()) {
      cols.add(
          (List.of(shaped.columns()).contains(f.name()) ? col(f.name()) : lit(null))
              .cast(f.dataType())
              .as(f.name()));
    }
    return shaped.select(cols.toArray(new Column[0]));
  }

  private static scala.collection.immutable.Seq<String> scalaSeq(String... names) {
    return scala.jdk.javaapi.CollectionConverters.asScala(List.of(names)).toList();
  }
}
