package org.idsolutions.pipeline.conform.survey;

import static org.apache.spark.sql.functions.array_contains;
import static org.apache.spark.sql.functions.broadcast;
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
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.try_to_timestamp;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.idsolutions.pipeline.config.PipelineConfig.SurveySettings;
import org.idsolutions.pipeline.config.SurveyManifest;
import org.idsolutions.pipeline.conform.admin.AdminMatcher;
import org.idsolutions.pipeline.conform.admin.AdminUnits;
import org.idsolutions.pipeline.conform.tracking.TrackingRules;
import org.idsolutions.pipeline.lakehouse.Tables;
import org.idsolutions.pipeline.raw.KoboReader;

/**
 * raw.survey_responses rows of a batch of surveys -> checked households: standard fields typed as
 * the manifest says, the design columns, a keyed-hash household id, and the first broken rule per
 * row. Personal data stays behind: only mapped columns are read from the record, and a quarantined
 * row keeps only those.
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

  /** The value in the record of the source column named by a manifest-table column. */
  private static Column source(String manifestColumn) {
    return element_at(col("record"), col(manifestColumn));
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

  /** The manifest-table column holding the source column of a standard field. */
  private static String sourceOf(String field) {
    return "m_src_" + field;
  }

  /**
   * One row per manifest with what its checks need (prefix {@code m_}): the source column of every
   * standard field and design column (normalised, or a name no record has when unmapped), the
   * population-group values (lower case, to the standard group; a value listed for two groups goes
   * to the later one), the round's dates, the country and round, and the columns a quarantined row
   * may keep (the manifest's, without personal data). Every survey of a batch is then checked by
   * one plan that looks its settings up by {@code survey_id}, however many surveys there are.
   */
  static Dataset<Row> manifestTable(SparkSession spark, List<SurveyManifest> manifests) {
    StructType schema = new StructType().add("m_survey_id", DataTypes.StringType);
    for (String f : SurveyFields.ALL.keySet()) {
      schema = schema.add(sourceOf(f), DataTypes.StringType);
    }
    schema =
        schema
            .add("m_weight", DataTypes.StringType)
            .add("m_stratum", DataTypes.StringType)
            .add("m_cluster", DataTypes.StringType)
            .add(
                "m_groups",
                DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType, false))
            .add("m_start", DataTypes.DateType)
            .add("m_end", DataTypes.DateType)
            .add("m_range", DataTypes.StringType)
            .add("m_country", DataTypes.StringType)
            .add("m_country_as_given", DataTypes.StringType)
            .add("m_round", DataTypes.StringType)
            .add("m_kept", DataTypes.createArrayType(DataTypes.StringType, false));
    List<Row> rows = new ArrayList<>();
    for (SurveyManifest m : manifests) {
      List<Object> values = new ArrayList<>();
      values.add(m.surveyId());
      for (String f : SurveyFields.ALL.keySet()) {
        values.add(KoboReader.normaliseName(columnOf(m, f)));
      }
      values.add(KoboReader.normaliseName(m.design().weight()));
      values.add(KoboReader.normaliseName(m.design().stratum()));
      values.add(KoboReader.normaliseName(m.design().cluster()));
      Map<String, String> groups = new LinkedHashMap<>();
      for (Map.Entry<String, List<String>> g : m.populationGroups().entrySet()) {
        for (String v : KoboReader.lower(g.getValue())) {
          groups.put(v, g.getKey());
        }
      }
      values.add(groups);
      values.add(m.dateRange() == null ? null : LocalDate.parse(m.dateRange().start()));
      values.add(m.dateRange() == null ? null : LocalDate.parse(m.dateRange().end()));
      values.add(rangeText(m));
      values.add(upperCountry(m));
      values.add(m.country());
      values.add(m.round());
      List<String> pii =
          m.piiColumns() == null
              ? List.of()
              : m.piiColumns().stream().map(KoboReader::normaliseName).toList();
      values.add(sourceColumns(m).stream().filter(c -> !pii.contains(c)).toList());
      rows.add(RowFactory.create(values.toArray()));
    }
    return spark.createDataFrame(rows, schema);
  }

  /** As {@link #check(Dataset, List, Dataset, SurveySettings, String)}, for one survey. */
  public static Dataset<Row> check(
      Dataset<Row> raw,
      SurveyManifest m,
      Dataset<Row> adminUnits,
      SurveySettings settings,
      String hashKey) {
    return check(raw, List.of(m), adminUnits, settings, hashKey);
  }

  /**
   * raw.survey_responses rows of the given surveys -> typed fields, the matched admin 1 unit, the
   * household id and {@code reject_rule}/{@code reject_message}, with each row's manifest settings
   * ({@code m_} columns, which {@link #households} and {@link #rejected} use and leave out).
   */
  public static Dataset<Row> check(
      Dataset<Row> raw,
      List<SurveyManifest> manifests,
      Dataset<Row> adminUnits,
      SurveySettings settings,
      String hashKey) {
    Dataset<Row> df =
        raw.join(
                broadcast(manifestTable(raw.sparkSession(), manifests)),
                col("survey_id").equalTo(col("m_survey_id")))
            .drop("m_survey_id");
    for (Map.Entry<String, SurveyFields.Kind> f : SurveyFields.ALL.entrySet()) {
      df =
          df.withColumn(
              "f_" + f.getKey(), typed(source(sourceOf(f.getKey())), f.getValue(), settings));
    }
    Column groupText = TrackingRules.text(source(sourceOf("population_group")));
    Column weightText = TrackingRules.text(source("m_weight"));
    df =
        df.withColumn("population_group_raw", groupText)
            .withColumn("population_group", element_at(col("m_groups"), lower(groupText)))
            .withColumn("weight_text", weightText)
            .withColumn("stratum", TrackingRules.text(source("m_stratum")))
            .withColumn("cluster", TrackingRules.text(source("m_cluster")))
            // the admin matcher's inputs: admin 1 within the survey's country
            .withColumn("country", col("m_country"))
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
        AdminMatcher.matchDistinct(
            df, adminUnits, AdminUnits.loadAliases(adminUnits.sparkSession(), null));

    // The row's own checks are computed once, before the window that needs them to rank
    // submissions; the rule and message after it read them back instead of computing them again.
    Column dateTextOf = TrackingRules.text(source(sourceOf("survey_date")));
    Dataset<Row> flagged =
        matched
            .withColumn("_date_text", dateTextOf)
            .withColumn(
                "_missing",
                concat_ws(
                    ", ",
                    when(col("f_uuid").isNull(), lit("uuid")),
                    when(col("f_admin1_pcode").isNull(), lit("admin1_pcode")),
                    when(col("population_group_raw").isNull(), lit("population_group")),
                    when(col("_date_text").isNull(), lit("survey_date")),
                    when(col("stratum").isNull(), lit("stratum")),
                    when(col("cluster").isNull(), lit("cluster"))))
            .withColumn("_bad_weight", col("weight").isNull().or(col("weight").leq(0)))
            .withColumn(
                "_bad_date", col("_date_text").isNotNull().and(col("f_survey_date").isNull()))
            .withColumn(
                "_out_of_range",
                coalesce(
                    col("f_survey_date")
                        .lt(col("m_start"))
                        .or(col("f_survey_date").gt(col("m_end"))),
                    lit(false)));
    Column dateText = col("_date_text");
    Column missing = col("_missing");
    Column badWeight = col("_bad_weight");
    Column badDate = col("_bad_date");
    Column outOfRange = col("_out_of_range");
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
                Window.partitionBy(col("survey_id"), col("f_uuid"))
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
                    lit(" is outside the round "),
                    col("m_range")))
            .when(
                col("a1").isNull(),
                concat(
                    lit("admin 1 p-code '"),
                    col("f_admin1_pcode"),
                    lit("' is not in "),
                    col("m_country_as_given")))
            .when(
                duplicate,
                concat(
                    lit("uuid '"),
                    col("f_uuid"),
                    lit("' was submitted again later; the latest submission is kept")));
    return flagged
        .withColumn("reject_rule", rule)
        .withColumn("reject_message", message)
        .withColumn(
            "household_id",
            sha2(concat_ws("|", lit(hashKey), col("survey_id"), col("f_uuid")), 256))
        .drop("_date_text", "_missing", "_bad_weight", "_bad_date", "_out_of_range");
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
  public static Dataset<Row> households(Dataset<Row> checked) {
    Dataset<Row> ok =
        checked
            .where(col("reject_rule").isNull())
            .withColumn("country", col("m_country"))
            .withColumn("round", col("m_round"))
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
  public static Dataset<Row> rejected(Dataset<Row> checked, String runId) {
    Column kept = map_filter(col("record"), (k, v) -> array_contains(col("m_kept"), k));
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
