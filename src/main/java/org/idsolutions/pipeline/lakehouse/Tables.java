package org.idsolutions.pipeline.lakehouse;

import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;
import static org.apache.spark.sql.types.DataTypes.createMapType;

import java.util.List;
import org.idsolutions.pipeline.raw.TrackingFields;

/**
 * The table catalog: every Delta table of the lakehouse with its grain, key and documented columns.
 */
public final class Tables {
  private Tables() {}

  public static final TableSpec RAW_TRACKING =
      new TableSpec(
          "raw",
          "tracking",
          "Tracking rows as received from DTM API JSON and CSV exports, all values as strings.",
          "one row per input record",
          List.of("source_file", "row_number"),
          rawTrackingSchema(),
          List.of(),
          false);

  public static final TableSpec RAW_SURVEY_RESPONSES =
      new TableSpec(
          "raw",
          "survey_responses",
          "Household survey records as exported (Kobo CSV), every column as a string; holds personal data.",
          "one row per exported record",
          List.of("survey_id", "row_number"),
          Columns.of()
              .required("survey_id", StringType, "survey id from the manifest")
              .required("source_file", StringType, "path of the export")
              .required(
                  "row_number", LongType, "1-based position of the record among the file's records")
              .required(
                  "record",
                  createMapType(StringType, StringType),
                  "column name (normalised: X_ prefix and '.' undone) to value, as exported")
              .required("file_checksum", StringType, "SHA-256 of the export")
              .required("load_run_id", StringType, "run that loaded the record")
              .build(),
          List.of("survey_id"),
          false);

  public static final TableSpec SURVEY_HOUSEHOLDS =
      new TableSpec(
          "conformed",
          "survey_households",
          "One row per surveyed household: standard fields, design columns and a pseudonymous id; no direct"
              + " identifiers.",
          "one row per household and survey",
          List.of("survey_id", "household_id"),
          surveyHouseholdsSchema(),
          List.of("country"),
          true);

  public static final TableSpec RAW_PROGRAMME_RECORDS =
      new TableSpec(
          "raw",
          "programme_records",
          "Programme records as received: IATI activities and 3W rows, each as JSON.",
          "one row per activity (IATI) or sheet row (3W)",
          List.of("source_file", "row_number"),
          Columns.of()
              .required("source_file", StringType, "path of the input file")
              .required("source_format", StringType, "iati or 3w")
              .required("row_number", LongType, "1-based position of the record in the file")
              .required("record_json", StringType, "the record as received, as JSON")
              .required("file_checksum", StringType, "SHA-256 of the input file")
              .required("load_run_id", StringType, "run that loaded the record")
              .build(),
          List.of(),
          false);

  public static final TableSpec PROGRAMME_ACTIVITIES =
      new TableSpec(
          "conformed",
          "programme_activities",
          "Programme activities from IATI and 3W: who, when, status.",
          "one row per activity and source file (an activity in several files is counted in the"
              + " version of the file loaded last: docs/programmes.md)",
          List.of("activity_id", "source_file"),
          Columns.of()
              .required(
                  "activity_id", StringType, "IATI identifier, or 3W:<file>:<row> for sheet rows")
              .required("source_format", StringType, "iati or 3w")
              .required("country", StringType, "ISO 3166-1 alpha-3 code of the (first) country")
              .add("title", StringType, "activity title")
              .add("reporting_org", StringType, "reporting organisation")
              .required(
                  "organisations",
                  createArrayType(StringType, true),
                  "implementing and accountable organisations (IATI roles 2 and 4; 3W org and partner)")
              .required("org_count", IntegerType, "number of distinct organisations")
              .required(
                  "joint",
                  org.apache.spark.sql.types.DataTypes.BooleanType,
                  "two or more organisations")
              .add("status", StringType, "IATI activity status code or 3W status")
              .required("start_date", DateType, "actual start, else planned start")
              .required("end_date", DateType, "actual end, else planned end")
              .required("source_file", StringType, "input file")
              .required("load_run_id", StringType, "run that loaded the activity")
              .build(),
          List.of("country"),
          true);

  public static final TableSpec PROGRAMME_LOCATIONS =
      new TableSpec(
          "conformed",
          "programme_locations",
          "Where activities take place, with the share of each area.",
          "one row per (activity, area)",
          List.of("activity_id", "admin1_pcode", "admin2_pcode"),
          Columns.of()
              .required("activity_id", StringType, "activity")
              .required("country", StringType, "ISO 3166-1 alpha-3 code")
              .required(
                  "admin1_pcode",
                  StringType,
                  "admin 1 p-code, or 'unspecified' for country-wide activities")
              .add("admin2_pcode", StringType, "admin 2 p-code when given")
              .required(
                  "share",
                  DoubleType,
                  "share of the activity in this area (sums to 1 per activity)")
              .required("match_method", StringType, "exact (p-code) or country (country-wide)")
              .required("source_file", StringType, "input file")
              .build(),
          List.of("country"),
          true);

  public static final TableSpec PROGRAMME_FINANCE =
      new TableSpec(
          "conformed",
          "programme_finance",
          "Budgets and transactions of activities, in their currency and in USD.",
          "one row per budget line or transaction",
          List.of("activity_id", "kind", "period_start", "period_end"),
          Columns.of()
              .required("activity_id", StringType, "activity")
              .required("country", StringType, "ISO 3166-1 alpha-3 code")
              .required("kind", StringType, "budget, commitment, disbursement or expenditure")
              .required("period_start", DateType, "budget period start, or the transaction date")
              .required("period_end", DateType, "budget period end, or the transaction date")
              .required("amount", DoubleType, "amount in the original currency")
              .required("currency", StringType, "ISO 4217 currency")
              .required(
                  "rate_year", IntegerType, "year of the exchange rate used (the value date's)")
              .required("usd_per_unit", DoubleType, "exchange rate from conf/fx-rates.csv")
              .required("amount_usd", DoubleType, "amount in US dollars")
              .required("source_file", StringType, "input file")
              .build(),
          List.of("country"),
          true);

  public static final TableSpec PROGRAMME_SECTORS =
      new TableSpec(
          "conformed",
          "programme_sectors",
          "Sectors of activities with their share and sector group.",
          "one row per (activity, sector)",
          List.of("activity_id", "vocabulary", "code"),
          Columns.of()
              .required("activity_id", StringType, "activity")
              .required("vocabulary", StringType, "1 (DAC purpose code) or cluster")
              .add("code", StringType, "sector code or cluster name")
              .required(
                  "sector_group",
                  StringType,
                  "group from conf/sector-groups.csv, other when unmapped")
              .required("share", DoubleType, "share of the activity in this sector")
              .required("source_file", StringType, "input file")
              .build(),
          List.of(),
          false);

  public static final TableSpec PROGRAMME_REACH =
      new TableSpec(
          "conformed",
          "programme_reach",
          "People reached by activities, attributed to the activity's end date.",
          "one row per activity that reports people reached",
          List.of("activity_id"),
          Columns.of()
              .required("activity_id", StringType, "activity")
              .required("country", StringType, "ISO 3166-1 alpha-3 code")
              .required("reach_date", DateType, "the activity's end date")
              .required("people_reached", DoubleType, "people reached")
              .required("source_file", StringType, "input file")
              .build(),
          List.of("country"),
          true);

  public static final TableSpec REFERENCE_ADMIN_UNITS =
      new TableSpec(
          "reference",
          "admin_units",
          "Administrative units (p-codes) the inputs are matched to, from OCHA COD-AB.",
          "one row per admin 1 or admin 2 unit",
          List.of("pcode"),
          Columns.of()
              .required("country_code", StringType, "ISO 3166-1 alpha-3 code of the country")
              .required("admin_level", IntegerType, "1 or 2")
              .required("pcode", StringType, "the unit's p-code")
              .required("name", StringType, "the unit's official name")
              .add(
                  "parent_pcode", StringType, "p-code of the parent (the country code for admin 1)")
              .add("valid_from", DateType, "date the unit definition is valid from")
              .build(),
          List.of(),
          false);

  public static final TableSpec QUARANTINE =
      new TableSpec(
          "quarantine",
          "rejected_rows",
          "Input rows that failed a rule, with the rule and a message; nothing is dropped silently.",
          "one row per rejected input record",
          List.of("family", "source_file", "row_number"),
          Columns.of()
              .required("family", StringType, "input family: tracking, survey or programme")
              .required("source_file", StringType, "path of the input file")
              .required(
                  "row_number",
                  LongType,
                  "1-based position of the record among the file's data records")
              .add("raw_row", StringType, "the record as received, as JSON")
              .required("rule", StringType, "id of the rule that failed, e.g. invalid_count")
              .required("message", StringType, "what is wrong and with which value")
              .required("run_id", StringType, "run that quarantined the row")
              .build(),
          List.of("family"),
          false);

  public static final TableSpec TRACKING_COUNTS =
      new TableSpec(
          "conformed",
          "tracking_counts",
          "Displacement counts per operation, admin unit, assessment, round and reason, summed over origins.",
          "one row per (operation, admin unit, assessment type, round, reporting date, reason)",
          List.of(
              "operation",
              "admin_pcode",
              "assessment_type",
              "round_number",
              "reporting_date",
              "displacement_reason"),
          Columns.of()
              .required("country_code", StringType, "ISO 3166-1 alpha-3 code of the country")
              .required("operation", StringType, "DTM operation name")
              .required(
                  "admin_level", IntegerType, "level of the unit the row reports on: 0, 1 or 2")
              .required(
                  "admin_pcode", StringType, "p-code of the unit (the country code at level 0)")
              .add("admin_name", StringType, "official name of the unit (reference name)")
              .add("admin1_pcode", StringType, "p-code of the admin 1 unit (null at level 0)")
              .add("admin1_name", StringType, "official name of the admin 1 unit")
              .add("admin2_pcode", StringType, "p-code of the admin 2 unit (level 2 rows only)")
              .add("admin2_name", StringType, "official name of the admin 2 unit")
              .required(
                  "match_method",
                  StringType,
                  "how the unit was matched: exact, pcode_format, name or alias (several joined by ',')")
              .required("assessment_type", StringType, "BA, SA or ETT ('unknown' when not given)")
              .required("round_number", IntegerType, "DTM round number")
              .required("reporting_date", DateType, "date the round reports")
              .required(
                  "displacement_reason",
                  StringType,
                  "normalised reason(s): lower case, distinct, sorted, '; '-joined; 'not available' if unknown")
              .required("reason_group", StringType, "conflict, disaster or other")
              .required("idp_individuals", LongType, "IDPs present, summed over origins")
              .add(
                  "returnee_individuals",
                  LongType,
                  "returnees, summed over origins; null unless every summed row reports it")
              .add("males", LongType, "IDP males; null unless every summed row reports it")
              .add("females", LongType, "IDP females; null unless every summed row reports it")
              .required("origin_count", IntegerType, "number of distinct origins summed")
              .required("source_rows", IntegerType, "number of input records summed into this row")
              .required("source_file", StringType, "input file the row comes from")
              .required("load_run_id", StringType, "run that loaded the row")
              .build(),
          List.of("country_code"),
          true);

  public static final TableSpec INDICATOR_VALUES =
      new TableSpec(
          "indicators",
          "indicator_values",
          "All indicators in long format: one value per area, period, indicator and population group.",
          "one row per (area, period, indicator, population group, source family)",
          List.of(
              "source_family",
              "country",
              "admin_level",
              "admin_code",
              "period_type",
              "period_start",
              "indicator_id",
              "population_group",
              "source_operation"),
          Columns.of()
              .required("source_family", StringType, "tracking, survey, programme or combined")
              .required("country", StringType, "ISO 3166-1 alpha-3 code of the country")
              .required("admin_level", IntegerType, "0 national, 1 or 2")
              .required(
                  "admin_code", StringType, "p-code of the area (the country code at level 0)")
              .add("admin_name", StringType, "official name of the area")
              .add("admin1_code", StringType, "p-code of the area's admin 1 unit (levels 1 and 2)")
              .required("period_type", StringType, "month, quarter or year")
              .required("period_start", DateType, "first day of the period")
              .required("period_end", DateType, "last day of the period")
              .required("indicator_id", StringType, "indicator id, see docs/indicators.md")
              .required("population_group", StringType, "idp, returnee, non_displaced or all")
              .add("value", DoubleType, "the value; null when suppressed or not computable")
              .add("ci_low", DoubleType, "lower bound of the 95% confidence interval (surveys)")
              .add("ci_high", DoubleType, "upper bound of the 95% confidence interval (surveys)")
              .add("se", DoubleType, "standard error (surveys)")
              .add("n", LongType, "unweighted number of respondents behind the value (surveys)")
              .add("weighted_n", DoubleType, "weighted number of respondents (surveys)")
              .add("deff", DoubleType, "design effect against simple random sampling (surveys)")
              .add(
                  "comparator_gap_pp",
                  DoubleType,
                  "value minus the non-displaced comparator's, in percentage points (surveys)")
              .required(
                  "suppressed",
                  org.apache.spark.sql.types.DataTypes.BooleanType,
                  "true when the value is withheld for too few respondents, or so that a"
                      + " withheld value cannot be worked out from the published ones")
              .required(
                  "quality_flags",
                  createArrayType(StringType, false),
                  "flags: stale, admin2_sum_differs, derived_from_admin2, low_precision,"
                      + " no_confidence_interval, complementary_suppression")
              .add(
                  "last_report_date",
                  DateType,
                  "latest report (tracking) or interview (surveys) date behind the value")
              .add(
                  "source_operation",
                  StringType,
                  "operation whose report gives the value (tracking) or survey id (surveys)")
              .add("survey_round", StringType, "survey round (surveys)")
              .required("run_id", StringType, "run that computed the value")
              .build(),
          List.of("source_family", "country"),
          false);

  public static final TableSpec REGIONAL_SUMMARY =
      new TableSpec(
          "indicators",
          "regional_summary",
          "Headline figures of every region and year across tracking, surveys and programmes, for BI tools.",
          "one row per (country, admin level, area, year) present in any family",
          List.of("country", "admin_level", "admin_code", "year"),
          Columns.of()
              .required("country", StringType, "ISO 3166-1 alpha-3 code")
              .required("admin_level", IntegerType, "0 national or 1")
              .required(
                  "admin_code",
                  StringType,
                  "p-code of the area (the country code at level 0; 'unspecified')")
              .add("admin_name", StringType, "official name of the area")
              .required("year", IntegerType, "calendar year")
              .add("idp_stock", DoubleType, "IDPs at the latest report of the year (tracking)")
              .add(
                  "idp_change_pct",
                  DoubleType,
                  "change of the IDP stock against the previous year, percent")
              .add(
                  "returnee_stock",
                  DoubleType,
                  "returnees at the latest report of the year (tracking)")
              .add(
                  "budget_usd",
                  DoubleType,
                  "programme budgets of the year in USD, pro-rated by days and area")
              .add("disbursed_usd", DoubleType, "disbursements of the year in USD")
              .add("spent_usd", DoubleType, "expenditure of the year in USD")
              .add("people_reached", DoubleType, "people reached by activities ending in the year")
              .add("activities_active", DoubleType, "activities active in the year")
              .add(
                  "organisations_active",
                  DoubleType,
                  "organisations with an active activity in the year")
              .add(
                  "exited_composite_idp",
                  DoubleType,
                  "share of IDP households past the comparator benchmark")
              .add(
                  "exited_composite_idp_ci_low",
                  DoubleType,
                  "lower bound of its 95% confidence interval")
              .add(
                  "exited_composite_idp_ci_high",
                  DoubleType,
                  "upper bound of its 95% confidence interval")
              .add(
                  "exited_all_criteria_idp",
                  DoubleType,
                  "share of IDP households passing all five criteria")
              .add(
                  "exited_composite_non_displaced",
                  DoubleType,
                  "share of non-displaced households past the benchmark")
              .add("usd_per_idp", DoubleType, "budget_usd / idp_stock; null when either is missing")
              .add(
                  "reach_per_idp",
                  DoubleType,
                  "people_reached / idp_stock; null when either is missing")
              .add("est_idps_overcome", DoubleType, "idp_stock x exited_composite_idp")
              .add("est_idps_overcome_ci_low", DoubleType, "idp_stock x the lower CI bound")
              .add("est_idps_overcome_ci_high", DoubleType, "idp_stock x the upper CI bound")
              .add(
                  "solutions_index",
                  DoubleType,
                  "100 x mean over the 5 criteria of min(p_IDP / p_non_displaced, 1); null unless all known")
              .required(
                  "has_tracking",
                  org.apache.spark.sql.types.DataTypes.BooleanType,
                  "tracking data for the year")
              .required(
                  "has_survey",
                  org.apache.spark.sql.types.DataTypes.BooleanType,
                  "survey data for the year")
              .required(
                  "has_programme",
                  org.apache.spark.sql.types.DataTypes.BooleanType,
                  "programme data for the year")
              .required(
                  "quality_flags",
                  createArrayType(StringType, false),
                  "missing_tracking, missing_survey, missing_programme")
              .required("run_id", StringType, "run that computed the row")
              .build(),
          List.of("country"),
          false);

  public static final TableSpec INDICATOR_TRENDS =
      new TableSpec(
          "indicators",
          "indicator_trends",
          "Each indicator series over time, point by point: changes from the previous point and year,"
              + " rolling mean, significance of survey changes. Per-series tests: indicator_trend_series.",
          "one row per (series, period); series = family, area, indicator, population group, period type",
          seriesKeyAnd("period_start"),
          seriesColumns()
              .required("period_start", DateType, "first day of the period")
              .required("value", DoubleType, "the value")
              .add("se", DoubleType, "standard error (surveys)")
              .add("previous_value", DoubleType, "value of the series' previous point")
              .add("change", DoubleType, "value - previous_value")
              .add("pct_change", DoubleType, "change in percent of |previous_value|")
              .add(
                  "yoy_change",
                  DoubleType,
                  "value - the value 12 months before, when the series has it")
              .add("rolling_mean_3", DoubleType, "mean of this and the two previous points")
              .add("change_z", DoubleType, "surveys: |change| / sqrt(se^2 + previous se^2)")
              .add(
                  "change_significant",
                  org.apache.spark.sql.types.DataTypes.BooleanType,
                  "surveys: change_z > 1.96")
              .add(
                  "higher_is_better",
                  org.apache.spark.sql.types.DataTypes.BooleanType,
                  "polarity from conf/indicators.yaml")
              .required("run_id", StringType, "run that computed the row")
              .build(),
          List.of("source_family"),
          false);

  /** The type of indicator_trend_series.points: period_start, value and se of each point. */
  public static final org.apache.spark.sql.types.DataType TREND_POINTS =
      org.apache.spark.sql.types.DataTypes.createArrayType(
          new org.apache.spark.sql.types.StructType()
              .add("period_start", DateType)
              .add("value", DoubleType)
              .add("se", DoubleType));

  public static final TableSpec INDICATOR_TREND_SERIES =
      new TableSpec(
          "indicators",
          "indicator_trend_series",
          "Each indicator series' trend: Mann-Kendall test, Theil-Sen slope and direction over all its"
              + " points in indicators.indicator_trends.",
          "one row per series = family, area, indicator, population group, period type",
          seriesKeyAnd(),
          seriesColumns()
              .required("first_period_start", DateType, "period start of the series' first point")
              .required("last_period_start", DateType, "period start of the series' last point")
              .required("series_points", LongType, "points in the series")
              .add("gaps", LongType, "periods missing between the series' first and last point")
              .add("mk_s", DoubleType, "Mann-Kendall S (series of 3 or more points)")
              .add("mk_tau", DoubleType, "Kendall's tau: S / (n(n-1)/2)")
              .add(
                  "mk_p_value", DoubleType, "two-sided p-value, tie-corrected normal approximation")
              .add(
                  "theil_sen_slope_per_year", DoubleType, "median of all pairwise slopes, per year")
              .add(
                  "higher_is_better",
                  org.apache.spark.sql.types.DataTypes.BooleanType,
                  "polarity from conf/indicators.yaml")
              .add(
                  "direction",
                  StringType,
                  "improving, worsening or stable (p < 0.05 and slope not 0)")
              .add(
                  "points",
                  TREND_POINTS,
                  "the series' points in period order: period_start, value and se of each (for"
                      + " charts; an incremental run extends the series from them)")
              .required("run_id", StringType, "run that computed the row")
              .build(),
          List.of("source_family"),
          false);

  /** The key of a trend series (see IndicatorTrends.SERIES), then {@code more}. */
  private static List<String> seriesKeyAnd(String... more) {
    List<String> key =
        new java.util.ArrayList<>(
            List.of(
                "source_family",
                "country",
                "admin_level",
                "admin_code",
                "indicator_id",
                "population_group",
                "period_type"));
    key.addAll(List.of(more));
    return List.copyOf(key);
  }

  /** A trend series' key columns and its area's name, first in both trend tables. */
  private static Columns seriesColumns() {
    return Columns.of()
        .required("source_family", StringType, "tracking, survey, programme or combined")
        .required("country", StringType, "ISO 3166-1 alpha-3 code")
        .required("admin_level", IntegerType, "0, 1 or 2")
        .required("admin_code", StringType, "p-code of the area")
        .add("admin_name", StringType, "official name of the area")
        .required("indicator_id", StringType, "indicator id")
        .required("population_group", StringType, "population group")
        .required("period_type", StringType, "month, quarter or year");
  }

  public static final TableSpec LOAD_FILES =
      new TableSpec(
          "ops",
          "load_files",
          "Ledger of loaded input files; a file whose checksum was loaded is skipped unless forced.",
          "one row per file load attempt",
          List.of("run_id", "file_path"),
          Columns.of()
              .required("file_path", StringType, "path or URI of the input file")
              .required("family", StringType, "tracking, survey, programme or reference")
              .required("format", StringType, "json or csv")
              .required("checksum", StringType, "SHA-256 of the file content")
              .required("size_bytes", LongType, "file size")
              .required("rows_read", LongType, "records read from the file")
              .required("rows_conformed", LongType, "records that passed every rule")
              .required("rows_quarantined", LongType, "records sent to quarantine.rejected_rows")
              .required("status", StringType, "loaded or quality_gate_failed")
              .required("loaded_at", TimestampType, "when the load finished (UTC)")
              .required("run_id", StringType, "run that loaded the file")
              .add(
                  "modified_at",
                  TimestampType,
                  "the file's modification time when it was read: a later run that finds the"
                      + " file with the same path, size and time takes its checksum from here"
                      + " instead of reading it again (null for loads before this column, and for a"
                      + " file modified within 5 s of being read)")
              .add(
                  "settings",
                  StringType,
                  "hash of the ingest settings the file was conformed with (its family's config"
                      + " keys and reference files, docs/configuration.md): a file whose latest"
                      + " load had other settings is loaded again (null for reference files and"
                      + " for loads before this column)")
              .build(),
          List.of(),
          false);

  public static final TableSpec PIPELINE_RUNS =
      new TableSpec(
          "ops",
          "pipeline_runs",
          "Run log: one row per stage execution with its outcome, row counts and table versions.",
          "one row per (run, stage)",
          List.of("run_id", "stage"),
          Columns.of()
              .required("run_id", StringType, "run id (UTC start time and a random suffix)")
              .required("command", StringType, "CLI command that started the run")
              .required("stage", StringType, "stage name, e.g. ingest-tracking")
              .required("started_at", TimestampType, "stage start (UTC)")
              .required("ended_at", TimestampType, "stage end (UTC)")
              .required("status", StringType, "succeeded, skipped or failed")
              .required("rows_in", LongType, "rows read by the stage")
              .required("rows_written", LongType, "rows written by the stage")
              .required("rows_quarantined", LongType, "rows quarantined by the stage")
              .add(
                  "table_versions",
                  createMapType(StringType, LongType),
                  "Delta version of each table the stage read or wrote, after the stage")
              .add(
                  "input_fingerprint",
                  StringType,
                  "inputs and settings the stage computed from; the stage skips when unchanged")
              .add("message", StringType, "summary or error message")
              .build(),
          List.of(),
          false);

  /** The conformed programme tables, written together by the programme ingest. */
  public static final List<TableSpec> PROGRAMME_CONFORMED =
      List.of(
          PROGRAMME_ACTIVITIES,
          PROGRAMME_LOCATIONS,
          PROGRAMME_FINANCE,
          PROGRAMME_SECTORS,
          PROGRAMME_REACH);

  /** The table of a SQL name ({@code layer.name}); a usage error listing the names otherwise. */
  public static TableSpec named(String qualifiedName) {
    return ALL.stream()
        .filter(t -> t.qualifiedName().equals(qualifiedName))
        .findFirst()
        .orElseThrow(
            () ->
                org.idsolutions.pipeline.errors.Errors.usage(
                    "unknown table '"
                        + qualifiedName
                        + "': use one of "
                        + ALL.stream().map(TableSpec::qualifiedName).toList()));
  }

  /** Every table, in layer order. */
  public static final List<TableSpec> ALL =
      List.of(
          RAW_TRACKING,
          RAW_SURVEY_RESPONSES,
          RAW_PROGRAMME_RECORDS,
          REFERENCE_ADMIN_UNITS,
          QUARANTINE,
          TRACKING_COUNTS,
          SURVEY_HOUSEHOLDS,
          PROGRAMME_ACTIVITIES,
          PROGRAMME_LOCATIONS,
          PROGRAMME_FINANCE,
          PROGRAMME_SECTORS,
          PROGRAMME_REACH,
          INDICATOR_VALUES,
          REGIONAL_SUMMARY,
          INDICATOR_TRENDS,
          INDICATOR_TREND_SERIES,
          LOAD_FILES,
          PIPELINE_RUNS);

  private static org.apache.spark.sql.types.StructType surveyHouseholdsSchema() {
    Columns c =
        Columns.of()
            .required("survey_id", StringType, "survey id from the manifest")
            .required("country", StringType, "ISO 3166-1 alpha-3 code of the country")
            .required("round", StringType, "survey round, e.g. 2024")
            .required(
                "household_id",
                StringType,
                "keyed SHA-256 of the submission uuid (pseudonymous, stable across runs)")
            .required("admin1_pcode", StringType, "p-code of the household's admin 1 unit")
            .add("admin1_name", StringType, "official name of the admin 1 unit")
            .add("admin2_pcode", StringType, "p-code of the admin 2 unit, as reported")
            .required("population_group", StringType, "idp, returnee or non_displaced")
            .required("stratum", StringType, "sampling stratum")
            .required("cluster", StringType, "primary sampling unit")
            .required("weight", DoubleType, "sampling weight (> 0)")
            .add("survey_date", DateType, "interview date")
            .add("submission_time", TimestampType, "when the record was submitted");
    for (String f : org.idsolutions.pipeline.conform.survey.SurveyFields.measures()) {
      c.add(
          f,
          IntegerType,
          org.idsolutions.pipeline.conform.survey.SurveyFields.ALL.get(f)
                  == org.idsolutions.pipeline.conform.survey.SurveyFields.Kind.YES_NO
              ? "standard field " + f + ": 1 yes, 0 no, null unknown or not asked"
              : "standard field " + f + ": a count, null unknown or not asked");
    }
    return c.required("source_file", StringType, "export the row comes from")
        .required("load_run_id", StringType, "run that loaded the row")
        .build();
  }

  private static org.apache.spark.sql.types.StructType rawTrackingSchema() {
    Columns c = Columns.of();
    for (String field : TrackingFields.ALL) {
      c.add(field, StringType, "DTM field " + field + " as received");
    }
    return c.required("source_file", StringType, "path of the input file")
        .required("source_format", StringType, "json or csv")
        .required(
            "row_number", LongType, "1-based position of the record among the file's data records")
        .required("file_checksum", StringType, "SHA-256 of the input file")
        .required("load_run_id", StringType, "run that loaded the row")
        .build();
  }
}
