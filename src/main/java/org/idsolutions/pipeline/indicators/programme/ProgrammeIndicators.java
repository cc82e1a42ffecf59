package org.idsolutions.pipeline.indicators.programme;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_compact;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.date_diff;
import static org.apache.spark.sql.functions.date_sub;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.last_day;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.posexplode_outer;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.trunc;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.idsolutions.pipeline.lakehouse.Sql;
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

  /**
   * The cells an incremental run recomputes: those of the given countries whose period holds a day
   * from {@code first} to {@code last}, the dates the changed rows cover. A month's figures come
   * from the rows that overlap it, and a quarter's and a year's from their months, so a change from
   * {@code first} on leaves the months, quarters and years that end before it as they are (a new
   * activity from November leaves January to October's months and the first three quarters).
   */
  public record Scope(Set<String> countries, LocalDate first, LocalDate last) {
    /** The first day of the first changed year: the input the year cells need starts there. */
    LocalDate from() {
      return first.withDayOfYear(1);
    }

    /** The last day of the last changed year. */
    LocalDate to() {
      return last.withMonth(12).withDayOfMonth(31);
    }

    /** The scope's cells, as a condition on indicator_values rows: {@link #sql()} parsed. */
    public Column cells() {
      return expr(sql());
    }

    /** The scope's cells in SQL, for replaceWhere. */
    public String sql() {
      return Sql.in("country", countries)
          + " AND period_start <= DATE'"
          + last
          + "' AND "
          + Sql.periodsFrom(first);
    }
  }

  /**
   * The indicator rows of the scope's cells, from the input rows that can reach them: locations in
   * its countries, and activities, budget lines, transactions and reach whose dates overlap its
   * years, which the year cells need whole (a budget line that spans years is kept whole and
   * pro-rated as usual).
   */
  public static Dataset<Row> compute(
      Dataset<Row> activities,
      Dataset<Row> locations,
      Dataset<Row> finance,
      Dataset<Row> sectors,
      Dataset<Row> reach,
      Scope scope,
      String runId) {
    Column from = lit(scope.from());
    Column to = lit(scope.to());
    return compute(
        activities.where(col("start_date").leq(to).and(col("end_date").geq(from))),
        locations.where(col("country").isin(scope.countries().toArray())),
        finance.where(col("period_start").leq(to).and(col("period_end").geq(from))),
        sectors,
        reach.where(col("reach_date").between(from, to)),
        scope.cells(),
        runId);
  }

  public static Dataset<Row> compute(
      Dataset<Row> activities,
      Dataset<Row> locations,
      Dataset<Row> finance,
      Dataset<Row> sectors,
      Dataset<Row> reach,
      String runId) {
    return compute(activities, locations, finance, sectors, reach, lit(true), runId);
  }

  /**
   * The (activity_id, source_file) of the versions of an IATI activity that count for nothing: an
   * activity in several files (the IATI downloads of a multi-country activity by country overlap,
   * each file holding all of it) counts once, in the version of the file loaded last, of files
   * loaded together the later in the load's order, as tracking reports do (README, "Conformed by
   * grain"). The order holds across forced reloads (LoadLedger.Loaded#inLoadOrder). Counting every
   * version multiplied its amounts twice over (each version's budget lines times every version's
   * locations). Usually none: the anti-joins of {@link #kept} then drop nothing.
   *
   * @param loadOrder file_path and last_loaded (when the file last loaded, in milliseconds;
   *     LoadLedger.Loaded#lastLoaded); a file without a row counts as loaded after every file with
   *     one, and files of one time by the later name
   */
  public static Dataset<Row> superseded(Dataset<Row> activities, Dataset<Row> loadOrder) {
    Dataset<Row> several = several(activities);
    Column latestFirst =
        row_number()
            .over(
                Window.partitionBy(col("activity_id"))
                    .orderBy(
                        coalesce(col("last_loaded"), lit(Long.MAX_VALUE)).desc(),
                        col("source_file").desc()));
    return activities
        .join(broadcast(several), col("activity_id").equalTo(col("v_id")))
        .join(broadcast(loadOrder), col("source_file").equalTo(col("file_path")), "left")
        .withColumn("version", latestFirst)
        .where(col("version").gt(1))
        .select(col("activity_id").as("s_id"), col("source_file").as("s_file"));
  }

  /** Whether any activity is in several files ({@link #superseded}): one pass over the ids. */
  public static boolean hasVersions(Dataset<Row> activities) {
    return !several(activities).isEmpty();
  }

  /**
   * The ids of the IATI activities in several files, as v_id. (A 3W row's id names its file by its
   * path and its row: two sheets of one name in two folders are two activities.)
   */
  private static Dataset<Row> several(Dataset<Row> activities) {
    return activities
        .where(col("source_format").equalTo("iati"))
        .groupBy(col("activity_id").as("v_id"))
        .agg(count(lit(1)).as("versions"))
        .where(col("versions").gt(1));
  }

  /** The rows of a programme table that belong to no {@link #superseded} version. */
  public static Dataset<Row> kept(Dataset<Row> rows, Dataset<Row> superseded) {
    return rows.join(
        broadcast(superseded),
        col("activity_id").equalTo(col("s_id")).and(col("source_file").equalTo(col("s_file"))),
        "left_anti");
  }

  /**
   * The indicator rows of the cells {@code wanted} keeps (a condition on country, period_type and
   * period_start). It is applied to each row's cells before they are aggregated, so that an
   * incremental run does not sum the months and quarters before its scope only to drop them: a
   * change from November still reads the year's rows, but for the year's cell alone.
   */
  private static Dataset<Row> compute(
      Dataset<Row> activities,
      Dataset<Row> locations,
      Dataset<Row> finance,
      Dataset<Row> sectors,
      Dataset<Row> reach,
      Column wanted,
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

    // every row counted in the six (period type, level) cells it belongs to: one aggregation for
    // the amounts and one for the counts, not one per cell
    Column cells = explode(cellKeys()).as("k");
    Dataset<Row> sums =
        amounts
            .select(col("country"), cells, col("indicator_id"), col("amount"))
            .select(col("country"), col("k.*"), col("indicator_id"), col("amount"))
            .where(wanted)
            .groupBy(cell(col("indicator_id")))
            .agg(sum(col("amount")).as("value"));
    // Each activity once per cell (its months, locations and areas meet there several times),
    // then its organisations: an activity is counted on its first organisation's row, so the only
    // distinct count left is the organisations'. Three distinct counts in one aggregation made
    // Spark expand every row three times (docs/performance.md, change 45). The organisations, one
    // list per activity, are a grouping key: max() of an array has no hash aggregation, and made
    // Spark sort every activity's cell rows (change 84).
    Dataset<Row> activityCells =
        active
            .select(col("country"), cells, col("activity_id"), col("joint"), col("organisations"))
            .select(
                col("country"), col("k.*"), col("activity_id"), col("joint"), col("organisations"))
            .where(wanted)
            .groupBy(cell(col("activity_id"), col("organisations")))
            .agg(max(col("joint")).as("joint"));
    Column once = coalesce(col("pos"), lit(0)).equalTo(0);
    Dataset<Row> countRows =
        activityCells
            .select(
                cell(
                    col("joint"),
                    posexplode_outer(col("organisations")).as(new String[] {"pos", "org"})))
            .groupBy(cell())
            .agg(
                count(when(once, lit(1))).as("activities_active"),
                countDistinct(col("org")).as("organisations_active"),
                count(when(once.and(col("joint")), lit(1))).as("joint_activities"))
            .select(
                cell(
                    explode(
                            array(
                                countCell("activities_active"),
                                countCell("organisations_active"),
                                countCell("joint_activities")))
                        .as("x")))
            .select(cell(col("x.id").as("indicator_id"), col("x.v").as("value")));
    Dataset<Row> all =
        sums.unionByName(countRows)
            .withColumn(
                "period_end",
                date_sub(
                    expr(
                        "add_months(period_start, CASE period_type WHEN 'month' THEN 1 WHEN"
                            + " 'quarter' THEN 3 ELSE 12 END)"),
                    1));
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

  /**
   * The cells a row at month grain belongs to: its month, quarter and year, each for its admin 1
   * area and for the nation.
   */
  private static Column cellKeys() {
    List<Column> keys = new ArrayList<>();
    for (String type : List.of("month", "quarter", "year")) {
      Column start = type.equals("month") ? col("month") : trunc(col("month"), type);
      for (boolean national : new boolean[] {false, true}) {
        keys.add(
            struct(
                lit(national ? 0 : 1).as("admin_level"),
                (national ? col("country") : col("admin1_pcode")).as("admin_code"),
                lit(type).as("period_type"),
                start.as("period_start")));
      }
    }
    return array(keys.toArray(new Column[0]));
  }

  /** The cell's columns (country, level, area, period), then {@code more}. */
  private static Column[] cell(Column... more) {
    List<Column> out = new ArrayList<>();
    for (String c :
        List.of("country", "admin_level", "admin_code", "period_type", "period_start")) {
      out.add(col(c));
    }
    out.addAll(List.of(more));
    return out.toArray(new Column[0]);
  }

  private static Column countCell(String id) {
    return struct(lit(id).as("id"), col(id).cast("double").as("v"));
  }
}
