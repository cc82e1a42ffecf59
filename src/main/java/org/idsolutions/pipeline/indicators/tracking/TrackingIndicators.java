package org.idsolutions.pipeline.indicators.tracking;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.add_months;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_compact;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_sub;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.months_between;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.trunc;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.idsolutions.pipeline.config.PipelineConfig.TrackingSettings;
import org.idsolutions.pipeline.lakehouse.Sql;
import org.idsolutions.pipeline.lakehouse.Tables;

/**
 * Tracking indicators (DESIGN 5) from conformed.tracking_counts, for admin 1, admin 2 and the
 * nation, per month, quarter and year, in the indicators.indicator_values shape. Pure transforms,
 * no I/O.
 *
 * <p>The rule that matters most: a period's stock is one report per unit, never a sum of rounds.
 * Within a unit and period the report chosen is the first by (operation priority, latest reporting
 * date, latest round, assessment-type priority, operation name). That is "the latest round of each
 * operation; across operations the most recent, unless tracking.operation-priority orders them".
 */
public final class TrackingIndicators {
  public static final String IDP_STOCK = "idp_stock";
  public static final String IDP_CHANGE = "idp_change";
  public static final String IDP_CHANGE_PCT = "idp_change_pct";
  public static final String IDP_SHARE_OF_COUNTRY = "idp_share_of_country";
  public static final String RETURNEE_STOCK = "returnee_stock";
  public static final String STOCK_CONFLICT = "idp_stock_conflict";
  public static final String STOCK_DISASTER = "idp_stock_disaster";
  public static final String STOCK_OTHER = "idp_stock_other";

  public static final String FLAG_STALE = "stale";
  public static final String FLAG_ADMIN2_DIFFERS = "admin2_sum_differs";
  public static final String FLAG_DERIVED = "derived_from_admin2";

  private static final String REPORT_KEY_DOC =
      "country, operation, level, unit, assessment, round, date";
  private static final String ROUND_KEY_DOC = "country, operation, assessment, round";

  private TrackingIndicators() {}

  /** All tracking indicator rows. */
  public static Dataset<Row> compute(
      Dataset<Row> conformed, TrackingSettings settings, String runId) {
    return compute(conformed, null, null, settings, runId);
  }

  /**
   * The indicator rows of the periods the given reports fall in that {@code wanted} keeps (all when
   * null), with the changes of each type's first period taken against {@code previous} stocks (from
   * {@link #previousStocks}) instead of recomputing those from their reports; {@code previous}
   * null: none. {@code wanted} is a condition on country_code, period_type and period_start; it is
   * applied to each report's periods before anything is computed from them, so the periods an
   * incremental run does not write cost nothing (docs/performance.md, change 81). Each task's rows
   * come in indicator_values' file order (country, then period start), for {@link
   * org.idsolutions.pipeline.lakehouse.Lakehouse#overwriteInFileOrder}.
   */
  public static Dataset<Row> compute(
      Dataset<Row> conformed,
      Dataset<Row> previous,
      Column wanted,
      TrackingSettings settings,
      String runId) {
    return fromStocks(stocks(conformed, wanted, settings), previous, settings, runId);
  }

  /**
   * The one report per unit (admin 1 and 2) and period that {@code wanted} keeps (all when null),
   * as the unit's stock for the period: the input of {@link #fromStocks}. {@code wanted} is a
   * condition on country_code, period_type and period_start.
   */
  public static Dataset<Row> stocks(
      Dataset<Row> conformed, Column wanted, TrackingSettings settings) {
    Dataset<Row> reportPeriods = periods(unitReports(conformed, settings));
    if (wanted != null) {
      reportPeriods = reportPeriods.where(wanted);
    }
    return selectReports(reportPeriods, settings);
  }

  /**
   * The indicator rows from the units' stocks ({@link #stocks}): {@link #fromEnriched} of {@link
   * #enriched}. The enriched rows are read twice: persist them first (as the stage does) when they
   * come from a large plan.
   */
  public static Dataset<Row> fromStocks(
      Dataset<Row> stocks, Dataset<Row> previous, TrackingSettings settings, String runId) {
    return fromEnriched(enriched(stocks, previous, settings), runId);
  }

  /**
   * One row per area and period from the units' stocks ({@link #stocks}): with the nation's,
   * staleness, shares and changes, the changes of each type's first period taken against {@code
   * previous} stocks (null: none). The stocks are read four times (the nation, the shares' totals,
   * the staleness and the rows themselves): persist them first when they come from a large plan
   * (docs/performance.md, change 87).
   */
  public static Dataset<Row> enriched(
      Dataset<Row> stocks, Dataset<Row> previous, TrackingSettings settings) {
    Dataset<Row> withNational = stocks.unionByName(national(stocks));
    // staleness last: its window by country gathers each country's rows in one task, so that the
    // task writes the country's files in period order and a later replaceWhere from a recent
    // period touches only its last files (with the rows of a country spread over the tasks by
    // the changes' window, every task's files spanned all periods, and the scale 10 incremental
    // run copied 7.4 M rows instead of 1.4 M; docs/performance.md, change 87)
    return stale(changes(shares(withNational), previous), settings);
  }

  /**
   * The indicator rows from {@link #enriched} rows, in two halves: each country's older periods,
   * then its latest month, quarter and year (those holding its latest report), each half's tasks
   * holding their rows in the file order of indicator_values. Written with {@link
   * org.idsolutions.pipeline.lakehouse.Lakehouse#overwriteInFileOrder}, the halves are in tasks,
   * and so files, of their own: the next run's replaceWhere replaces exactly the latest periods and
   * later ones (TrackingIndicatorsStage), so it rewrites whole files and copies no kept row (with
   * the periods in 25,000-row files, the scale 10 incremental run copied 1.35 M rows;
   * docs/performance.md, change 93). Each half reads the enriched rows: persist them first (a
   * cached relation's scans share no shuffle under adaptive execution, so the halves would
   * otherwise compute them twice).
   */
  public static Dataset<Row> fromEnriched(Dataset<Row> enriched, String runId) {
    Column latest = holdsCountryLatest();
    return inFileOrder(enriched.where(not(latest)), runId)
        .union(inFileOrder(enriched.where(latest), runId));
  }

  /**
   * Whether the row's period holds its country's latest report date ({@link #COUNTRY_LATEST}, from
   * {@link #stale}): the country's latest month, quarter and year.
   */
  static Column holdsCountryLatest() {
    Column latest = col(COUNTRY_LATEST);
    Column start =
        when(col("period_type").equalTo("year"), trunc(latest, "year"))
            .when(col("period_type").equalTo("quarter"), trunc(latest, "quarter"))
            .otherwise(trunc(latest, "month"));
    return coalesce(col("period_start").geq(start), lit(false));
  }

  /**
   * The long rows, each task's in the file order of indicator_values (Lakehouse.fileOrder: family,
   * country, period type and start): sorted while each area and period is one row, not after it
   * became up to eight.
   */
  private static Dataset<Row> inFileOrder(Dataset<Row> enriched, String runId) {
    return longFormat(
        enriched.sortWithinPartitions(col("country_code"), col("period_type"), col("period_start")),
        runId);
  }

  /**
   * The IDP stocks of the periods just before each country's first recomputed periods (the year,
   * quarter and month before those that hold its first day), read back from
   * indicators.indicator_values rows: all the changes of the recomputed periods need from the
   * periods before them (a period ending before the first recomputed one does not change; see
   * TrackingIndicatorsStage).
   *
   * @param values indicators.indicator_values rows
   * @param firstDays country -> a day of its first recomputed month, quarter and year
   */
  public static Dataset<Row> previousStocks(Dataset<Row> values, Map<String, LocalDate> firstDays) {
    Column wanted = lit(false);
    for (Map.Entry<String, LocalDate> e : firstDays.entrySet()) {
      LocalDate day = e.getValue();
      Column before =
          col("period_type")
              .equalTo("year")
              .and(col("period_start").equalTo(lit(Sql.periodStart("year", day).minusYears(1))))
              .or(
                  col("period_type")
                      .equalTo("quarter")
                      .and(
                          col("period_start")
                              .equalTo(lit(Sql.periodStart("quarter", day).minusMonths(3)))))
              .or(
                  col("period_type")
                      .equalTo("month")
                      .and(
                          col("period_start")
                              .equalTo(lit(Sql.periodStart("month", day).minusMonths(1)))));
      wanted = wanted.or(col("country").equalTo(e.getKey()).and(before));
    }
    return values
        .where(
            col("source_family")
                .equalTo("tracking")
                .and(col("indicator_id").equalTo(IDP_STOCK))
                .and(col("population_group").equalTo("idp"))
                .and(wanted))
        .select(
            col("country").as("country_code"),
            col("admin_level"),
            col("admin_code").as("admin_pcode"),
            col("period_type"),
            col("period_start"),
            when(col("period_type").equalTo("year"), lit(12))
                .when(col("period_type").equalTo("quarter"), lit(3))
                .otherwise(lit(1))
                .as("period_months"),
            col("value").cast(DataTypes.LongType).as("idp"));
  }

  /**
   * One row per report at admin 1 and 2, summed over reasons, with stock by reason group. An admin
   * 2 report is one unit's rows of one ({@value #REPORT_KEY_DOC}). An admin 1 report is one per
   * unit and round ({@value #ROUND_KEY_DOC}), as a round's admin 2 units can report on different
   * days: the unit's own admin 1 rows of its latest day in the round where the operation reported
   * it (the admin 2 sum then only sets the consistency flag), else derived from the round's admin 2
   * units, each unit's rows of its latest day in the round, dated the latest of those days.
   *
   * <p>The rows are gathered by round once: each unit's day sums, its latest day in the round and
   * the admin 1 units' figures then need no shuffle of their own (docs/performance.md, change 110).
   */
  static Dataset<Row> unitReports(Dataset<Row> conformed, TrackingSettings settings) {
    Column[] roundKey = roundKey();
    Column date = col("reporting_date");
    Column own = col("admin_level").equalTo(1);
    Column fromAdmin2 = col("admin_level").equalTo(2);
    // each unit's report: its rows of one day, summed
    Dataset<Row> days =
        conformed
            .where(col("admin_level").isin(1, 2))
            .repartition(roundKey)
            .groupBy(concat(roundKey, date, col("admin_level"), col("admin_pcode")))
            .agg(
                first(col("admin_name"), true).as("admin_name"),
                first(col("admin1_pcode"), true).as("admin1_pcode"),
                sum(col("idp_individuals")).as("idp"),
                sum(col("returnee_individuals")).as("returnees"),
                reasonSum(lit(true), "conflict").as("idp_conflict"),
                reasonSum(lit(true), "disaster").as("idp_disaster"),
                reasonSum(lit(true), "other").as("idp_other"));
    // each unit's latest day in the round
    Dataset<Row> latest =
        days.withColumn(
                "_latest",
                max(date)
                    .over(
                        Window.partitionBy(
                            concat(roundKey, col("admin_level"), col("admin_pcode")))))
            .where(date.equalTo(col("_latest")))
            .drop("_latest");
    Dataset<Row> units1 =
        latest
            .groupBy(
                concat(
                    roundKey,
                    when(own, col("admin_pcode"))
                        .otherwise(col("admin1_pcode"))
                        .as("admin1_pcode")))
            .agg(
                max(when(own, date)).as("own_date"),
                max(when(fromAdmin2, date)).as("d_date"),
                first(when(own, col("admin_name")), true).as("admin_name"),
                sum(when(own, col("idp"))).as("idp"),
                sum(when(own, col("returnees"))).as("returnees"),
                sum(when(own, col("idp_conflict"))).as("idp_conflict"),
                sum(when(own, col("idp_disaster"))).as("idp_disaster"),
                sum(when(own, col("idp_other"))).as("idp_other"),
                sum(when(fromAdmin2, col("idp"))).as("d_idp"),
                sum(when(fromAdmin2, col("returnees"))).as("d_returnees"),
                sum(when(fromAdmin2, col("idp_conflict"))).as("d_conflict"),
                sum(when(fromAdmin2, col("idp_disaster"))).as("d_disaster"),
                sum(when(fromAdmin2, col("idp_other"))).as("d_other"));
    Dataset<Row> names =
        conformed
            .where(col("admin_level").geq(1))
            .groupBy(col("admin1_pcode"))
            .agg(first(col("admin1_name")).as("a1_name"));
    Column reported = col("own_date").isNotNull();
    Dataset<Row> admin1 =
        units1
            .join(names, scala(List.of("admin1_pcode")), "left")
            .select(
                concat(
                    roundKey,
                    coalesce(col("own_date"), col("d_date")).as("reporting_date"),
                    lit(1).as("admin_level"),
                    col("admin1_pcode").as("admin_pcode"),
                    coalesce(col("admin_name"), col("a1_name")).as("admin_name"),
                    col("admin1_pcode"),
                    when(reported, col("idp")).otherwise(col("d_idp")).as("idp"),
                    when(reported, col("returnees")).otherwise(col("d_returnees")).as("returnees"),
                    when(reported, col("idp_conflict"))
                        .otherwise(col("d_conflict"))
                        .as("idp_conflict"),
                    when(reported, col("idp_disaster"))
                        .otherwise(col("d_disaster"))
                        .as("idp_disaster"),
                    when(reported, col("idp_other")).otherwise(col("d_other")).as("idp_other"),
                    reported.unary_$bang().as("derived"),
                    reported
                        .and(col("d_idp").isNotNull())
                        .and(
                            abs(col("d_idp").minus(col("idp")))
                                .gt(col("idp").multiply(settings.admin2Tolerance())))
                        .as("admin2_differs")));
    Dataset<Row> admin2 =
        days.where(fromAdmin2)
            .select(
                concat(
                    roundKey,
                    date,
                    col("admin_level"),
                    col("admin_pcode"),
                    col("admin_name"),
                    col("admin1_pcode"),
                    col("idp"),
                    col("returnees"),
                    col("idp_conflict"),
                    col("idp_disaster"),
                    col("idp_other"),
                    lit(false).as("derived"),
                    lit(false).as("admin2_differs")));
    return admin1.unionByName(admin2);
  }

  /** The columns of conformed.tracking_counts that identify a round. */
  private static Column[] roundKey() {
    return new Column[] {
      col("country_code"), col("operation"), col("assessment_type"), col("round_number")
    };
  }

  private static Column[] concat(Column[] key, Column... more) {
    Column[] out = new Column[key.length + more.length];
    System.arraycopy(key, 0, out, 0, key.length);
    System.arraycopy(more, 0, out, key.length, more.length);
    return out;
  }

  private static scala.collection.immutable.Seq<String> scala(List<String> cols) {
    return scala.jdk.javaapi.CollectionConverters.asScala(cols).toList();
  }

  /** The IDP stock of the rows {@code which} selects with the reason group, 0 when none. */
  private static Column reasonSum(Column which, String group) {
    return coalesce(
        sum(when(which.and(col("reason_group").equalTo(group)), col("idp_individuals"))), lit(0L));
  }

  /** Each report once per period type it falls in: its month, quarter and year. */
  static Dataset<Row> periods(Dataset<Row> reports) {
    Column date = col("reporting_date");
    Column month =
        struct(lit("month").as("type"), trunc(date, "month").as("start"), lit(1).as("months"));
    Column quarter =
        struct(lit("quarter").as("type"), trunc(date, "quarter").as("start"), lit(3).as("months"));
    Column year =
        struct(lit("year").as("type"), trunc(date, "year").as("start"), lit(12).as("months"));
    return reports
        .withColumn("p", explode(array(month, quarter, year)))
        .withColumn("period_type", col("p.type"))
        .withColumn("period_start", col("p.start"))
        .withColumn("period_months", col("p.months"))
        .withColumn("period_end", date_sub(add_months(col("p.start"), col("p.months")), 1))
        .drop("p");
  }

  /**
   * The one report per unit and period (see the class comment), as the unit's stock for the period.
   */
  static Dataset<Row> selectReports(Dataset<Row> reportPeriods, TrackingSettings settings) {
    Column opRank = rank(col("operation"), settings.operationPriority());
    Column assessmentRank = rank(col("assessment_type"), settings.assessmentTypePriority());
    WindowSpec unitPeriod =
        Window.partitionBy(
                col("country_code"),
                col("admin_level"),
                col("admin_pcode"),
                col("period_type"),
                col("period_start"))
            .orderBy(
                opRank.asc(),
                col("reporting_date").desc(),
                col("round_number").desc(),
                assessmentRank.asc(),
                col("operation").asc());
    return reportPeriods
        .withColumn("_pick", row_number().over(unitPeriod))
        .where(col("_pick").equalTo(1))
        .drop("_pick")
        .withColumnRenamed("reporting_date", "last_report_date")
        .withColumnRenamed("operation", "source_operation");
  }

  /** Position in a priority list; values not listed come after all listed ones. */
  private static Column rank(Column value, List<String> priority) {
    Column r = lit(priority.size());
    for (int i = priority.size() - 1; i >= 0; i--) {
      r = when(value.equalTo(priority.get(i)), lit(i)).otherwise(r);
    }
    return r;
  }

  /** National stock: the sum of the admin 1 stocks of the period. */
  static Dataset<Row> national(Dataset<Row> stocks) {
    return stocks
        .where(col("admin_level").equalTo(1))
        .groupBy(
            col("country_code"),
            col("period_type"),
            col("period_start"),
            col("period_end"),
            col("period_months"))
        .agg(
            sum(col("idp")).as("idp"),
            sum(col("returnees")).as("returnees"),
            sum(col("idp_conflict")).as("idp_conflict"),
            sum(col("idp_disaster")).as("idp_disaster"),
            sum(col("idp_other")).as("idp_other"),
            max(col("last_report_date")).as("last_report_date"),
            count(lit(1)).as("units"))
        .select(
            col("country_code"),
            lit(null).cast(DataTypes.StringType).as("source_operation"),
            lit(null).cast(DataTypes.StringType).as("assessment_type"),
            lit(null).cast(DataTypes.IntegerType).as("round_number"),
            col("last_report_date"),
            lit(0).as("admin_level"),
            col("country_code").as("admin_pcode"),
            col("country_code").as("admin_name"),
            lit(null).cast(DataTypes.StringType).as("admin1_pcode"),
            col("idp"),
            col("returnees"),
            col("idp_conflict"),
            col("idp_disaster"),
            col("idp_other"),
            lit(false).as("derived"),
            lit(false).as("admin2_differs"),
            col("period_type"),
            col("period_start"),
            col("period_months"),
            col("period_end"));
  }

  /**
   * Stale: the unit's figure is more than tracking.stale-after-months older than the end of the
   * period (or the country's latest report, when that comes first).
   */
  static Dataset<Row> stale(Dataset<Row> stocks, TrackingSettings settings) {
    return stocks
        .withColumn(
            COUNTRY_LATEST,
            max(col("last_report_date")).over(Window.partitionBy(col("country_code"))))
        .withColumn(
            "stale",
            months_between(least(col("period_end"), col(COUNTRY_LATEST)), col("last_report_date"))
                .gt(settings.staleAfterMonths()));
  }

  /** The country's latest report date, on each row of {@link #stale}. */
  static final String COUNTRY_LATEST = "_country_latest";

  /** Share of the national stock of the same period. */
  static Dataset<Row> shares(Dataset<Row> stocks) {
    Dataset<Row> totals =
        stocks
            .where(col("admin_level").equalTo(0))
            .select(
                col("country_code").as("t_country"),
                col("period_type").as("t_type"),
                col("period_start").as("t_start"),
                col("idp").as("country_idp"));
    return stocks
        .join(
            totals,
            col("country_code")
                .equalTo(col("t_country"))
                .and(col("period_type").equalTo(col("t_type")))
                .and(col("period_start").equalTo(col("t_start"))),
            "left")
        .withColumn("share", when(col("country_idp").gt(0), col("idp").divide(col("country_idp"))))
        .drop("t_country", "t_type", "t_start", "country_idp");
  }

  /**
   * Change against the immediately preceding period of the same type; null when that period has no
   * figure. The preceding periods can come from {@code previous} stocks (left out of the result).
   */
  static Dataset<Row> changes(Dataset<Row> stocks, Dataset<Row> previous) {
    if (previous != null) {
      stocks =
          stocks
              .withColumn("_previous", lit(false))
              .unionByName(previous.withColumn("_previous", lit(true)), true);
    }
    WindowSpec series =
        Window.partitionBy(
                col("country_code"), col("admin_level"), col("admin_pcode"), col("period_type"))
            .orderBy(col("period_start"));
    Column previousStart = lag(col("period_start"), 1).over(series);
    Column lagged = lag(col("idp"), 1).over(series);
    Column adjacent =
        previousStart.equalTo(add_months(col("period_start"), col("period_months").multiply(-1)));
    Column previousIdp = when(adjacent, lagged);
    Dataset<Row> out =
        stocks
            .withColumn("previous_idp", previousIdp)
            .withColumn("change", col("idp").minus(col("previous_idp")))
            .withColumn(
                "change_pct",
                when(
                    col("previous_idp").gt(0),
                    col("change").multiply(100.0).divide(col("previous_idp"))));
    return previous == null ? out : out.where(col("_previous").unary_$bang()).drop("_previous");
  }

  /**
   * One row per indicator value, in the indicators.indicator_values column order; null values are
   * left out.
   */
  static Dataset<Row> longFormat(Dataset<Row> stocks, String runId) {
    Column values =
        array(
            value(IDP_STOCK, "idp", col("idp")),
            value(IDP_CHANGE, "idp", col("change")),
            value(IDP_CHANGE_PCT, "idp", col("change_pct")),
            value(IDP_SHARE_OF_COUNTRY, "idp", col("share")),
            value(STOCK_CONFLICT, "idp", col("idp_conflict")),
            value(STOCK_DISASTER, "idp", col("idp_disaster")),
            value(STOCK_OTHER, "idp", col("idp_other")),
            value(RETURNEE_STOCK, "returnee", col("returnees")));
    Column flags =
        array_compact(
            array(
                when(col("stale"), lit(FLAG_STALE)),
                when(col("admin2_differs"), lit(FLAG_ADMIN2_DIFFERS)),
                when(col("derived"), lit(FLAG_DERIVED))));
    Dataset<Row> exploded =
        stocks
            .withColumn("v", explode(values))
            .where(col("v.value").isNotNull())
            .withColumn("source_family", lit("tracking"))
            .withColumn("country", col("country_code"))
            .withColumn("admin_code", col("admin_pcode"))
            .withColumn("admin1_code", col("admin1_pcode"))
            .withColumn("indicator_id", col("v.id"))
            .withColumn("population_group", col("v.group"))
            .withColumn("value", col("v.value"))
            .withColumn("ci_low", lit(null))
            .withColumn("ci_high", lit(null))
            .withColumn("se", lit(null))
            .withColumn("n", lit(null))
            .withColumn("weighted_n", lit(null))
            .withColumn("deff", lit(null))
            .withColumn("comparator_gap_pp", lit(null))
            .withColumn("survey_round", lit(null))
            .withColumn("suppressed", lit(false))
            .withColumn("quality_flags", flags)
            .withColumn("run_id", lit(runId));
    List<Column> out = new ArrayList<>();
    for (StructField f : Tables.INDICATOR_VALUES.schema().fields()) {
      out.add(col(f.name()).cast(f.dataType()).as(f.name()));
    }
    return exploded.select(out.toArray(new Column[0]));
  }

  private static Column value(String id, String group, Column v) {
    return struct(
        lit(id).as("id"), lit(group).as("group"), v.cast(DataTypes.DoubleType).as("value"));
  }
}
