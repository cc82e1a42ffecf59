package org.idsolutions.pipeline.conform.survey;

import static org.apache.spark.sql.functions.array_contains;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.map_filter;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.try_to_timestamp;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.idsolutions.pipeline.config.PipelineConfig.SurveySettings;
import org.idsolutions.pipeline.config.SurveyManifest;
import org.idsolutions.pipeline.conform.admin.AdminMatcher;
import org.idsolutions.pipeline.conform.admin.AdminUnits;
import org.idsolutions.pipeline.conform.tracking.TrackingRules;
import org.idsolutions.pipeline.lakehouse.Tables;
import org.idsolutions.pipeline.raw.KoboReader;

/**
 * raw.survey_responses rows of one survey -> checked households: standard fields typed as the
 * manifest says, the design columns, a keyed-hash household id, and the first broken rule per row.
 * Personal data stays behind: only mapped columns are read from the record, and a quarantined row
 * keeps only those.
 */
public final class SurveyConform {
  public static final String MISSING_REQUIRED_FIELD = "missing_required_field";
  public static final String INVALID_WEIGHT = "invalid_weight";
  public static final String UNKNOWN_POPULATION_GROUP = "unknown_population_group";
  public static final String INVALID_DATE = "invalid_date";
  public static final String DATE_OUT_OF_RANGE = "date_out_of_range";
  public static final String UNKNOWN_ADMIN_UNIT = "unknown_admin_unit";
  public static final String DUPLICATE_SUBMISSION = "duplicate_submission";

  public static final List<String> RULES =
      List.of(
          MISSING_REQUIRED_FIELD,
          INVALID_WEIGHT,
          UNKNOWN_POPULATION_GROUP,
          INVALID_DATE,
          DATE_OUT_OF_RANGE,
          UNKNOWN_ADMIN_UNIT,
          DUPLICATE_SUBMISSION);

  private SurveyConform() {}

  /** The value of a source column in the record (names normalised like the reader's). */
  static Column source(String column) {
    return element_at(col("record"), KoboReader.normaliseName(column));
  }

  /** Every source column the manifest reads: mapped fields and design columns. */
  public static List<String> sourceColumns(SurveyManifest m) {
    List<String> out = new ArrayList<>();
    for (String c : m.columns().keySet()) {
      out.add(KoboReader.normaliseName(c));
    }
    out.add(KoboReader.normaliseName(m.design().weight()));
    out.add(KoboReader.normaliseName(m.design().stratum()));
    out.add(KoboReader.normaliseName(m.design().cluster()));
    return out;
  }

  static Column typed(Column text, SurveyFields.Kind kind, SurveySettings s) {
    Column t = TrackingRules.text(text);
    Column lowered = lower(t);
    return switch (kind) {
      case TEXT -> t;
      case DATE -> TrackingRules.parseDate(t);
      case TIMESTAMP -> try_to_timestamp(t);
      case YES_NO ->
          when(lowered.isin(KoboReader.lower(s.yesValues()).toArray()), lit(1))
              .when(lowered.isin(KoboReader.lower(s.noValues()).toArray()), lit(0));
      case COUNT -> {
        Column n = TrackingRules.wholeNumber(t);
        yield when(n.geq(0).and(n.leq(Integer.MAX_VALUE)), n.cast(DataTypes.IntegerType));
      }
    };
  }

  /**
   * Typed fields, the matched admin 1 unit, the household id and {@code reject_rule}/{@code
   * reject_message}.
   */
  public static Dataset<Row> check(
      Dataset<Row> raw,
      SurveyManifest m,
      Dataset<Row> adminUnits,
      SurveySettings settings,
      String hashKey) {
    Dataset<Row> df = raw;
    for (Map.Entry<String, SurveyFields.Kind> f : SurveyFields.ALL.entrySet()) {
      String sourceCol = null;
      for (Map.Entry<String, String> e : m.columns().entrySet()) {
        if (e.getValue().equals(f.getKey())) {
          sourceCol = e.getKey();
        }
      }
      Column text = sourceCol == null ? lit(null).cast(DataTypes.StringType) : source(sourceCol);
      df = df.withColumn("f_" + f.getKey(), typed(text, f.getValue(), settings));
    }
    Column groupRaw = lower(TrackingRules.text(source(columnOf(m, "population_group"))));
    Column group = lit(null).cast(DataTypes.StringType);
    for (Map.Entry<String, List<String>> g : m.populationGroups().entrySet()) {
      group =
          when(groupRaw.isin(KoboReader.lower(g.getValue()).toArray()), lit(g.getKey()))
              .otherwise(group);
    }
    Column weightText = TrackingRules.text(source(m.design().weight()));
    df =
        df.withColumn(
                "population_group_raw", TrackingRules.text(source(columnOf(m, "population_group"))))
            .withColumn("population_group", group)
            .withColumn("weight_text", weightText)
            .withColumn("stratum", TrackingRules.text(source(m.design().stratum())))
            .withColumn("cluster", TrackingRules.text(source(m.design().cluster())))
            // the admin matcher's inputs: admin 1 within the survey's country
            .withColumn("country", lit(upperCountry(m)))
            .withColumn("admin_level_int", lit(1))
            .withColumn("admin1_code_in", col("f_admin1_pcode"))
            .withColumn("admin1_name_in", lit(null).cast(DataTypes.StringType))
            .withColumn("admin2_code_in", lit(null).cast(DataTypes.StringType))
            .withColumn("admin2_name_in", lit(null).cast(DataTypes.StringType));
    // only text that is a number is cast: under ANSI mode a failed cast would stop the job
    df =
        df.withColumn(
            "weight",
            when(
                weightText.rlike("^-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?$"),
                col("weight_text").cast(DataTypes.DoubleType)));
    Dataset<Row> matched =
        AdminMatcher.match(df, adminUnits, AdminUnits.loadAliases(adminUnits.sparkSession(), null));

    Column missing =
        concat_ws(
            ", ",
            when(col("f_uuid").isNull(), lit("uuid")),
            when(col("f_admin1_pcode").isNull(), lit("admin1_pcode")),
            when(col("population_group_raw").isNull(), lit("population_group")),
            when(
                TrackingRules.text(source(columnOf(m, "survey_date"))).isNull(),
                lit("survey_date")),
            when(col("stratum").isNull(), lit("stratum")),
            when(col("cluster").isNull(), lit("cluster")));
    Column badWeight = col("weight").isNull().or(col("weight").leq(0));
    Column start =
        m.dateRange() == null
            ? lit(null).cast(DataTypes.DateType)
            : to_date(lit(m.dateRange().start()));
    Column end =
        m.dateRange() == null
            ? lit(null).cast(DataTypes.DateType)
            : to_date(lit(m.dateRange().end()));
    Column dateText = TrackingRules.text(source(columnOf(m, "survey_date")));
    Column badDate = dateText.isNotNull().and(col("f_survey_date").isNull());
    Column outOfRange =
        coalesce(col("f_survey_date").lt(start).or(col("f_survey_date").gt(end)), lit(false));
    // among the submissions of one uuid that break no other rule, the latest is kept
    Column otherwiseValid =
        missing
            .equalTo("")
            .and(badWeight.unary_$bang())
            .and(col("population_group").isNotNull())
            .and(badDate.unary_$bang())
            .and(outOfRange.unary_$bang())
            .and(col("a1").isNotNull());
    Column rank =
        row_number()
            .over(
                Window.partitionBy(col("f_uuid"))
                    .orderBy(
                        otherwiseValid.desc(),
                        col("f_submission_time").desc_nulls_last(),
                        col("row_number").desc()));
    Column duplicate = col("f_uuid").isNotNull().and(rank.gt(1));

    Column rule =
        when(missing.notEqual(""), lit(MISSING_REQUIRED_FIELD))
            .when(badWeight, lit(INVALID_WEIGHT))
            .when(col("population_group").isNull(), lit(UNKNOWN_POPULATION_GROUP))
            .when(badDate, lit(INVALID_DATE))
            .when(outOfRange, lit(DATE_OUT_OF_RANGE))
            .when(col("a1").isNull(), lit(UNKNOWN_ADMIN_UNIT))
            .when(duplicate, lit(DUPLICATE_SUBMISSION));
    Column message =
        when(missing.notEqual(""), concat(lit("required field(s) empty: "), missing))
            .when(
                badWeight,
                concat(
                    lit("weight '"),
                    coalesce(col("weight_text"), lit("")),
                    lit("' must be a number > 0")))
            .when(
                col("population_group").isNull(),
                concat(
                    lit("population group '"),
                    col("population_group_raw"),
                    lit("' is not listed in the manifest's population-groups")))
            .when(badDate, concat(lit("survey date '"), dateText, lit("' is not a valid date")))
            .when(
                outOfRange,
                concat(
                    lit("survey date "),
                    col("f_survey_date").cast(DataTypes.StringType),
                    lit(" is outside the round " + rangeText(m))))
            .when(
                col("a1").isNull(),
                concat(
                    lit("admin 1 p-code '"),
                    col("f_admin1_pcode"),
                    lit("' is not in " + m.country())))
            .when(
                duplicate,
                concat(
                    lit("uuid '"),
                    col("f_uuid"),
                    lit("' was submitted again later; the latest submission is kept")));
    return matched
        .withColumn("reject_rule", rule)
        .withColumn("reject_message", message)
        .withColumn(
            "household_id",
            sha2(concat_ws("|", lit(hashKey), lit(m.surveyId()), col("f_uuid")), 256));
  }

  private static String rangeText(SurveyManifest m) {
    return m.dateRange() == null ? "" : m.dateRange().start() + " .. " + m.dateRange().end();
  }

  static String columnOf(SurveyManifest m, String field) {
    for (Map.Entry<String, String> e : m.columns().entrySet()) {
      if (e.getValue().equals(field)) {
        return e.getKey();
      }
    }
    return "__unmapped__" + field;
  }

  /** Accepted rows in the conformed.survey_households shape. */
  public static Dataset<Row> households(Dataset<Row> checked, SurveyManifest m) {
    Dataset<Row> ok =
        checked
            .where(col("reject_rule").isNull())
            .withColumn("survey_id", lit(m.surveyId()))
            .withColumn("country", lit(upperCountry(m)))
            .withColumn("round", lit(m.round()))
            .withColumn("admin1_pcode", col("a1.pcode"))
            .withColumn("admin1_name", col("a1.name"))
            .withColumn("admin2_pcode", col("f_admin2_pcode"))
            .withColumn("survey_date", col("f_survey_date"))
            .withColumn("submission_time", col("f_submission_time"));
    for (String f : SurveyFields.measures()) {
      ok = ok.withColumn(f, col("f_" + f));
    }
    List<Column> out = new ArrayList<>();
    for (StructField f : Tables.SURVEY_HOUSEHOLDS.schema().fields()) {
      out.add(col(f.name()).cast(f.dataType()).as(f.name()));
    }
    return ok.select(out.toArray(new Column[0]));
  }

  private static String upperCountry(SurveyManifest m) {
    return m.country().strip().toUpperCase(java.util.Locale.ROOT);
  }

  /**
   * Rejected rows for quarantine.rejected_rows: only the manifest's columns, never personal data.
   */
  public static Dataset<Row> rejected(Dataset<Row> checked, SurveyManifest m, String runId) {
    Column kept =
        map_filter(
            col("record"),
            (k, v) ->
                array_contains(TrackingRules.stringArray(sourceColumns(m)), k)
                    .and(
                        array_contains(
                                TrackingRules.stringArray(
                                    m.piiColumns() == null
                                        ? List.of()
                                        : m.piiColumns().stream()
                                            .map(KoboReader::normaliseName)
                                            .toList()),
                                k)
                            .unary_$bang()));
    return checked
        .where(col("reject_rule").isNotNull())
        .select(
            lit("survey").as("family"),
            col("source_file"),
            col("row_number"),
            to_json(kept).as("raw_row"),
            col("reject_rule").as("rule"),
            col("reject_message").as("message"),
            lit(runId).as("run_id"));
  }
}
