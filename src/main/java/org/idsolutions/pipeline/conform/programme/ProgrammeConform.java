package org.idsolutions.pipeline.conform.programme;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.min_by;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.upper;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.year;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.idsolutions.pipeline.conform.tracking.TrackingRules;
import org.idsolutions.pipeline.lakehouse.Sql;

/**
 * Programme records (IATI activities, 3W rows) in one normalised shape, then checked and split into
 * the conformed programme tables. An activity with any bad part (dates, area, currency, amount) is
 * quarantined whole with the first reason, so each input record is either conformed or quarantined.
 *
 * <p>The normalised shape: {@code source_file, row_number, raw_json, quarantine_json, activity_id,
 * title, reporting_org, organisations (array), status, start_text, end_text, country_codes (array
 * of ISO2 or ISO3), locations (array of struct code, percentage), sectors (array of struct
 * vocabulary, code, percentage), finance (array of struct kind, start_text, end_text, amount_text,
 * currency, value_date_text), reached_text}.
 */
public final class ProgrammeConform {
  public static final String DUPLICATE_ACTIVITY = "duplicate_activity";
  public static final String MISSING_ID = "missing_id";
  public static final String MISSING_DATES = "missing_dates";
  public static final String END_BEFORE_START = "end_before_start";
  public static final String UNKNOWN_COUNTRY = "unknown_country";
  public static final String UNKNOWN_ADMIN_UNIT = "unknown_admin_unit";
  public static final String INVALID_AMOUNT = "invalid_amount";
  public static final String UNKNOWN_CURRENCY = "unknown_currency";
  public static final String INVALID_COUNT = "invalid_count";
  public static final String INVALID_PERCENTAGE = "invalid_percentage";
  public static final String UNSPECIFIED = "unspecified";

  private ProgrammeConform() {}

  /** IATI activities (IatiReader rows) in the normalised shape. */
  public static Dataset<Row> fromIati(Dataset<Row> iati) {
    // a revised budget (type 2) replaces the originals (type 1, or no type) of its period, the one
    // starting on the same day (dates read as everywhere else; an unreadable start replaces
    // nothing)
    Column budgets = coalesce(col("activity.budget"), array());
    Column kept =
        functions.filter(
            budgets,
            b ->
                not(
                    coalesce(b.getField("_type"), lit("1"))
                        .equalTo("1")
                        .and(
                            functions.exists(
                                budgets,
                                r ->
                                    coalesce(
                                        r.getField("_type")
                                            .equalTo("2")
                                            .and(startDay(r).equalTo(startDay(b))),
                                        lit(false))))));
    return iati.withColumn("kept_budgets", kept)
        .selectExpr(
            "source_file",
            "row_number",
            "raw_json",
            // the reader's schema leaves out contact-info, the one part of an activity with
            // personal data
            "raw_json AS quarantine_json",
            "trim(activity.`iati-identifier`) AS activity_id",
            "try_element_at(activity.title.narrative, 1) AS title",
            "coalesce(try_element_at(activity.`reporting-org`.narrative, 1), activity.`reporting-org`._ref)"
                + " AS reporting_org",
            "array_distinct(transform(filter(coalesce(activity.`participating-org`, array()), o -> o._role"
                + " IN ('2', '4')), o -> coalesce(try_element_at(o.narrative, 1), o._ref))) AS organisations",
            "activity.`activity-status`._code AS status",
            "coalesce(try_element_at(filter(activity.`activity-date`, d -> d._type = '2'), 1).`_iso-date`,"
                + " try_element_at(filter(activity.`activity-date`, d -> d._type = '1'), 1).`_iso-date`)"
                + " AS start_text",
            "coalesce(try_element_at(filter(activity.`activity-date`, d -> d._type = '4'), 1).`_iso-date`,"
                + " try_element_at(filter(activity.`activity-date`, d -> d._type = '3'), 1).`_iso-date`)"
                + " AS end_text",
            "transform(activity.`recipient-country`, c -> named_struct('code', c._code, 'percentage',"
                + " c._percentage)) AS countries",
            "transform(activity.location, l -> named_struct('code',"
                + " try_element_at(l.administrative, 1)._code, 'percentage', l._percentage)) AS locations",
            "transform(activity.sector, s -> named_struct('vocabulary', coalesce(s._vocabulary, '1'), 'code',"
                + " s._code, 'percentage', s._percentage)) AS sectors",
            "concat("
                + "transform(kept_budgets, b -> named_struct('kind', 'budget',"
                + " 'start_text', b.`period-start`.`_iso-date`, 'end_text', b.`period-end`.`_iso-date`,"
                + " 'amount_text', b.value._VALUE, 'currency', coalesce(b.value._currency,"
                + " activity.`_default-currency`), 'value_date_text', coalesce(b.value.`_value-date`,"
                + " b.`period-start`.`_iso-date`))),"
                + " transform(filter(coalesce(activity.transaction, array()), t ->"
                + " t.`transaction-type`._code IN ('2', '3', '4')), t -> named_struct('kind', CASE"
                + " t.`transaction-type`._code WHEN '2' THEN 'commitment' WHEN '3' THEN 'disbursement'"
                + " ELSE 'expenditure' END, 'start_text', coalesce(t.`transaction-date`.`_iso-date`,"
                + " t.value.`_value-date`), 'end_text', coalesce(t.`transaction-date`.`_iso-date`,"
                + " t.value.`_value-date`), 'amount_text', t.value._VALUE, 'currency',"
                + " coalesce(t.value._currency, activity.`_default-currency`), 'value_date_text',"
                + " coalesce(t.value.`_value-date`, t.`transaction-date`.`_iso-date`))))"
                + " AS finance",
            "CAST(NULL AS STRING) AS reached_text",
            "'iati' AS source_format");
  }

  /**
   * The 3W tags a rejected row keeps in quarantine: those of the activity's fields (read below) and
   * the admin names. A sheet's other tagged columns, such as a focal point's {@code #contact+name}
   * or {@code #contact+phone}, stay in raw.programme_records (DESIGN 9).
   */
  public static final List<String> THREE_W_QUARANTINED =
      List.of(
          "#activity+name",
          "#org+name",
          "#org+impl+name",
          "#status",
          "#date+start",
          "#date+end",
          "#adm1+code",
          "#adm1+name",
          "#adm2+code",
          "#adm2+name",
          "#sector",
          "#sector+name",
          "#sector+cluster+name",
          "#value+budget+usd",
          "#value+usd",
          "#reached",
          "#reached+ind");

  /**
   * 3W rows (a map of canonical HXL tag to value per row) in the normalised shape: one activity per
   * row, its admin 2 (or admin 1) code as the one location, the budget in USD over the activity's
   * dates.
   */
  public static Dataset<Row> fromThreeW(Dataset<Row> rows) {
    return rows.selectExpr(
        "source_file",
        "row_number",
        "to_json(record) AS raw_json",
        "to_json(map_filter(record, (k, v) -> k IN ("
            + String.join(", ", THREE_W_QUARANTINED.stream().map(Sql::literal).toList())
            + "))) AS quarantine_json",
        // the file's whole path: two sheets of one name in two folders are two sets of activities
        "concat('3W:', source_file, ':', CAST(row_number AS STRING)) AS activity_id",
        "record['#activity+name'] AS title",
        "record['#org+name'] AS reporting_org",
        "array_distinct(filter(array(trim(record['#org+name']), trim(record['#org+impl+name'])),"
            + " o -> o IS NOT NULL AND o != '')) AS organisations",
        "record['#status'] AS status",
        "record['#date+start'] AS start_text",
        "record['#date+end'] AS end_text",
        "CAST(array() AS array<struct<code: string, percentage: string>>) AS countries",
        "array(named_struct('code', coalesce(nullif(trim(record['#adm2+code']), ''),"
            + " trim(record['#adm1+code'])), 'percentage', CAST(NULL AS STRING))) AS locations",
        "array(named_struct('vocabulary', 'cluster', 'code', lower(trim(coalesce(record['#sector+cluster+name'],"
            + " record['#sector+name'], record['#sector']))), 'percentage', CAST(NULL AS STRING)))"
            + " AS sectors",
        "array(named_struct('kind', 'budget', 'start_text', record['#date+start'], 'end_text',"
            + " record['#date+end'], 'amount_text', coalesce(record['#value+budget+usd'],"
            + " record['#value+usd']), 'currency', 'USD', 'value_date_text', record['#date+start']))"
            + " AS finance",
        "coalesce(record['#reached+ind'], record['#reached']) AS reached_text",
        "'3w' AS source_format");
  }

  /**
   * The day a budget's period starts, parsed as every date is ({@link TrackingRules#parseDate}).
   */
  private static Column startDay(Column budget) {
    return TrackingRules.parseDate(budget.getField("period-start").getField("_iso-date"));
  }

  /** "what percentage 'text' is negative" for a negative number, else null. */
  private static Column negative(Column number, String what, Column text) {
    return when(
        number.lt(0), concat(lit(what + " percentage '"), trim(text), lit("' is negative")));
  }

  static Column number(Column text) {
    Column t = regexp(trim(text));
    return when(t.rlike("^-?[0-9]+(\\.[0-9]+)?$"), t.cast(DataTypes.DoubleType));
  }

  private static Column regexp(Column c) {
    return regexp_replace(c, ",", "");
  }

  /**
   * Checks normalised records and adds {@code reject_rule}, {@code reject_message}, typed dates and
   * the resolved country. Locations and finance are checked in {@link #locations} and {@link
   * #finance}; their problems come back through {@code location_problem} and {@code
   * finance_problem}.
   */
  public static Dataset<Row> check(
      Dataset<Row> records, Dataset<Row> adminUnits, ProgrammeReference ref) {
    // an activity id given again in one file: the first record is checked, the others rejected
    // (with both, the activity's locations, budget lines and shares would count twice)
    Dataset<Row> repeated =
        records
            .where(col("activity_id").isNotNull().and(col("activity_id").notEqual("")))
            .groupBy(col("activity_id").as("r_id"), col("source_file").as("r_file"))
            .agg(min(col("row_number")).as("first_record"), count(lit(1)).as("records"))
            .where(col("records").gt(1))
            .drop("records");
    Dataset<Row> marked =
        records
            .join(
                broadcast(repeated),
                col("activity_id")
                    .equalTo(col("r_id"))
                    .and(col("source_file").equalTo(col("r_file"))),
                "left")
            .drop("r_id", "r_file");
    Column again = coalesce(col("first_record").lt(col("row_number")), lit(false));
    Dataset<Row> repeats =
        marked
            .where(again)
            .withColumn("reject_rule", lit(DUPLICATE_ACTIVITY))
            .withColumn(
                "reject_message",
                concat(
                    lit("activity '"),
                    col("activity_id"),
                    lit("' was first given at record "),
                    col("first_record").cast("string"),
                    lit(" of the file: an activity id is given once a file")))
            .drop("first_record");
    Dataset<Row> typed =
        marked
            .where(not(again))
            .drop("first_record")
            .withColumn("start_date", TrackingRules.parseDate(col("start_text")))
            .withColumn("end_date", TrackingRules.parseDate(col("end_text")));
    Dataset<Row> locs = locations(typed, adminUnits, ref);
    Dataset<Row> locProblems =
        locs.groupBy(col("activity_id").as("lp_id"), col("source_file").as("lp_file"))
            .agg(
                first(when(col("area_problem").isNotNull(), col("area_problem")), true)
                    .as("location_problem"),
                first(when(col("pct_problem").isNotNull(), col("pct_problem")), true)
                    .as("percentage_problem"),
                first(col("loc_country"), true).as("country"));
    Dataset<Row> fin = finance(typed, ref);
    Dataset<Row> finProblems =
        fin.where(col("finance_problem").isNotNull())
            .groupBy(col("activity_id").as("fp_id"), col("source_file").as("fp_file"))
            .agg(min_by(col("finance_problem"), col("finance_rank")).as("finance_problem"));
    Column reached = TrackingRules.text(col("reached_text"));
    // a negative sector percentage, read as shares read it (locations' are checked in locations())
    Column negativeSector =
        functions
            .try_element_at(
                functions.filter(
                    col("sectors"),
                    x -> coalesce(number(x.getField("percentage")).lt(0), lit(false))),
                lit(1))
            .getField("percentage");
    Dataset<Row> joined =
        typed
            .join(
                locProblems,
                col("activity_id")
                    .equalTo(col("lp_id"))
                    .and(col("source_file").equalTo(col("lp_file"))),
                "left")
            .join(
                finProblems,
                col("activity_id")
                    .equalTo(col("fp_id"))
                    .and(col("source_file").equalTo(col("fp_file"))),
                "left")
            .drop("lp_id", "lp_file", "fp_id", "fp_file")
            .withColumn(
                "percentage_problem",
                coalesce(
                    col("percentage_problem"),
                    negative(number(negativeSector), "sector", negativeSector)))
            .withColumn("people_reached", number(reached));
    Column noDates = col("start_date").isNull().or(col("end_date").isNull());
    Column backwards = col("end_date").lt(col("start_date"));
    Column badReach =
        reached.isNotNull().and(col("people_reached").isNull().or(col("people_reached").lt(0)));
    // an IATI activity without an identifier cannot be told from another one (3W ids are made)
    Column noId = coalesce(trim(col("activity_id")), lit("")).equalTo("");
    Column rule =
        when(noId, lit(MISSING_ID))
            .when(noDates, lit(MISSING_DATES))
            .when(backwards, lit(END_BEFORE_START))
            .when(col("location_problem").isNotNull(), lit(UNKNOWN_ADMIN_UNIT))
            .when(col("country").isNull(), lit(UNKNOWN_COUNTRY))
            .when(col("percentage_problem").isNotNull(), lit(INVALID_PERCENTAGE))
            .when(col("finance_problem").isNotNull(), expr("split(finance_problem, ':')[0]"))
            .when(badReach, lit(INVALID_COUNT));
    Column message =
        when(noId, lit("activity has no iati-identifier"))
            .when(
                noDates,
                concat(
                    lit("activity needs a start and an end date (found start '"),
                    coalesce(col("start_text"), lit("")),
                    lit("', end '"),
                    coalesce(col("end_text"), lit("")),
                    lit("')")))
            .when(
                backwards,
                concat(
                    lit("end date "),
                    col("end_date").cast("string"),
                    lit(" is before start date "),
                    col("start_date").cast("string")))
            .when(col("location_problem").isNotNull(), col("location_problem"))
            .when(
                col("country").isNull(), lit("no recipient country or area known in the reference"))
            .when(col("percentage_problem").isNotNull(), col("percentage_problem"))
            .when(
                col("finance_problem").isNotNull(),
                expr("substring_index(finance_problem, ':', -1)"))
            .when(
                badReach,
                concat(lit("people reached '"), reached, lit("' is not a whole number >= 0")));
    return joined
        .withColumn("reject_rule", rule)
        .withColumn("reject_message", message)
        .unionByName(repeats, true);
  }

  /**
   * One row per (activity, area) with its share: located activities split by the locations'
   * percentages when every location has one, else equally; country-wide activities go to the
   * "unspecified" admin 1 of each recipient country (by its percentage, else equally). Unknown
   * codes give {@code area_problem}.
   */
  public static Dataset<Row> locations(
      Dataset<Row> typed, Dataset<Row> units, ProgrammeReference ref) {
    Dataset<Row> located =
        typed
            .where(expr("coalesce(size(locations), 0) > 0"))
            .selectExpr("activity_id", "source_file", "posexplode(locations) AS (pos, loc)")
            .withColumn("code", upper(trim(col("loc.code"))))
            .withColumn("pct", number(col("loc.percentage")));
    Dataset<Row> level1 =
        units
            .where(col("admin_level").equalTo(1))
            .select(col("pcode").as("u1"), col("country_code").as("u1_country"));
    Dataset<Row> level2 =
        units
            .where(col("admin_level").equalTo(2))
            .select(
                col("pcode").as("u2"),
                col("parent_pcode").as("u2_parent"),
                col("country_code").as("u2_country"));
    Dataset<Row> resolved =
        located
            .join(broadcast(level1), col("code").equalTo(col("u1")), "left")
            .join(broadcast(level2), col("code").equalTo(col("u2")), "left")
            .withColumn("admin1_pcode", coalesce(col("u1"), col("u2_parent")))
            .withColumn("admin2_pcode", col("u2"))
            .withColumn("loc_country", coalesce(col("u1_country"), col("u2_country")))
            .withColumn(
                "area_problem",
                when(
                    col("admin1_pcode").isNull(),
                    concat(
                        lit("location code '"),
                        coalesce(col("code"), lit("")),
                        lit("' is not a known admin 1 or 2 p-code"))))
            .withColumn("match_method", lit("exact"))
            .withColumn("pct_problem", negative(col("pct"), "location", col("loc.percentage")));
    var perActivity = Window.partitionBy("activity_id", "source_file");
    Column allPct = count(col("pct")).over(perActivity).equalTo(count(lit(1)).over(perActivity));
    Column share =
        when(
                allPct.and(sum(col("pct")).over(perActivity).gt(0)),
                col("pct").divide(sum(col("pct")).over(perActivity)))
            .otherwise(lit(1.0).divide(count(lit(1)).over(perActivity)));
    Dataset<Row> shared = resolved.withColumn("share", share);

    Dataset<Row> countryWide =
        typed
            .where(expr("coalesce(size(locations), 0) = 0"))
            .selectExpr("activity_id", "source_file", "explode_outer(countries) AS c")
            .withColumn("c_code", upper(trim(col("c.code"))))
            .withColumn("pct", number(col("c.percentage")))
            .join(
                broadcast(ref.countries()),
                col("c_code").equalTo(col("iso2")).or(col("c_code").equalTo(col("iso3"))),
                "left")
            .withColumn("loc_country", col("iso3"))
            .withColumn("admin1_pcode", lit(UNSPECIFIED))
            .withColumn("admin2_pcode", lit(null).cast(DataTypes.StringType))
            .withColumn(
                "area_problem",
                when(
                    col("iso3").isNull(),
                    concat(
                        lit("recipient country '"),
                        coalesce(col("c_code"), lit("")),
                        lit("' is not in the countries list"))))
            .withColumn("match_method", lit("country"))
            .withColumn(
                "pct_problem", negative(col("pct"), "recipient country", col("c.percentage")));
    Column allCountryPct =
        count(col("pct")).over(perActivity).equalTo(count(lit(1)).over(perActivity));
    Dataset<Row> countryShared =
        countryWide.withColumn(
            "share",
            when(
                    allCountryPct.and(sum(col("pct")).over(perActivity).gt(0)),
                    col("pct").divide(sum(col("pct")).over(perActivity)))
                .otherwise(lit(1.0).divide(count(lit(1)).over(perActivity))));
    List<String> out =
        List.of(
            "activity_id",
            "source_file",
            "loc_country",
            "admin1_pcode",
            "admin2_pcode",
            "share",
            "match_method",
            "area_problem",
            "pct_problem");
    return shared
        .select(out.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new))
        .unionByName(
            countryShared.select(
                out.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new)));
  }

  /**
   * One row per budget line or transaction with its USD amount (rate of the value date's year);
   * {@code finance_problem} ("rule:message") for a bad amount or a currency without a rate.
   */
  public static Dataset<Row> finance(Dataset<Row> typed, ProgrammeReference ref) {
    Dataset<Row> lines =
        typed
            .selectExpr("activity_id", "source_file", "explode(finance) AS f")
            .withColumn("kind", col("f.kind"))
            .withColumn("period_start", TrackingRules.parseDate(col("f.start_text")))
            .withColumn("period_end", TrackingRules.parseDate(col("f.end_text")))
            .withColumn("amount", number(col("f.amount_text")))
            .withColumn("currency", upper(trim(col("f.currency"))))
            .withColumn(
                "rate_year",
                year(
                    coalesce(
                        TrackingRules.parseDate(col("f.value_date_text")), col("period_start"))));
    Dataset<Row> withRate =
        lines.join(
            broadcast(ref.fxRates()),
            col("currency")
                .equalTo(col("fx_currency"))
                .and(col("rate_year").equalTo(col("fx_year"))),
            "left");
    Column badAmount = col("amount").isNull().or(col("amount").lt(0));
    Column noRate = col("usd_per_unit").isNull();
    Column badPeriod =
        col("period_start")
            .isNull()
            .or(col("period_end").isNull())
            .or(col("period_end").lt(col("period_start")));
    return withRate
        .withColumn("amount_usd", col("amount").multiply(col("usd_per_unit")))
        .withColumn(
            "finance_problem",
            when(
                    badAmount,
                    concat(
                        lit(INVALID_AMOUNT + ":"),
                        col("kind"),
                        lit(" amount '"),
                        coalesce(col("f.amount_text"), lit("")),
                        lit("' is not a number >= 0")))
                .when(
                    noRate,
                    concat(
                        lit(UNKNOWN_CURRENCY + ":no exchange rate for "),
                        coalesce(col("currency"), lit("(no currency)")),
                        lit(" in "),
                        coalesce(col("rate_year").cast("string"), lit("(no date)")),
                        lit(" in the fx-rates file")))
                .when(
                    badPeriod,
                    concat(
                        lit(INVALID_AMOUNT + ":"),
                        col("kind"),
                        lit(" has no valid period or date"))))
        .withColumn("finance_rank", when(badAmount, 1).when(noRate, 2).otherwise(3))
        .select(
            "activity_id",
            "source_file",
            "kind",
            "period_start",
            "period_end",
            "amount",
            "currency",
            "rate_year",
            "usd_per_unit",
            "amount_usd",
            "finance_problem",
            "finance_rank");
  }

  /** Sector shares with their group: by the sectors' percentages when all have one, else equal. */
  public static Dataset<Row> sectors(Dataset<Row> accepted, ProgrammeReference ref) {
    var perActivity = Window.partitionBy("activity_id", "source_file");
    Dataset<Row> s =
        accepted
            .selectExpr("activity_id", "source_file", "explode_outer(sectors) AS s")
            .withColumn("vocabulary", lower(trim(coalesce(col("s.vocabulary"), lit("1")))))
            .withColumn("code", lower(trim(col("s.code"))))
            .withColumn("pct", number(col("s.percentage")))
            .join(
                broadcast(ref.sectorGroups()),
                col("vocabulary")
                    .equalTo(col("sg_vocabulary"))
                    .and(col("code").equalTo(col("sg_code"))),
                "left")
            .withColumn("mapped", col("sg_vocabulary").isNotNull())
            .withColumn("sector_group", coalesce(col("sector_group"), lit("other")));
    // IATI percentages add up to 100 within each vocabulary: the vocabularies an activity gives
    // are alternative classifications of one budget, so one of them is used: DAC 5-digit codes
    // (1), else one with a code the sector groups map, else the first by name
    Column vocabularyRank =
        when(col("vocabulary").equalTo("1"), 0)
            .when(
                max(col("mapped"))
                    .over(Window.partitionBy("activity_id", "source_file", "vocabulary")),
                1)
            .otherwise(2);
    s =
        s.withColumn("vocabulary_rank", vocabularyRank)
            .withColumn(
                "chosen", min(struct(col("vocabulary_rank"), col("vocabulary"))).over(perActivity))
            .where(col("vocabulary").equalTo(col("chosen.vocabulary")));
    Column allPct = count(col("pct")).over(perActivity).equalTo(count(lit(1)).over(perActivity));
    return s.withColumn(
            "share",
            when(
                    allPct.and(sum(col("pct")).over(perActivity).gt(0)),
                    col("pct").divide(sum(col("pct")).over(perActivity)))
                .otherwise(lit(1.0).divide(count(lit(1)).over(perActivity))))
        .select("activity_id", "source_file", "vocabulary", "code", "sector_group", "share");
  }
}
