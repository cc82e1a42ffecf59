package org.idsolutions.pipeline.conform.tracking;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_contains;
import static org.apache.spark.sql.functions.array_distinct;
import static org.apache.spark.sql.functions.array_join;
import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.arrays_overlap;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.current_date;
import static org.apache.spark.sql.functions.filter;
import static org.apache.spark.sql.functions.instr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.replace;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.split;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.substring_index;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.transform;
import static org.apache.spark.sql.functions.translate;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.try_to_date;
import static org.apache.spark.sql.functions.upper;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.idsolutions.pipeline.config.PipelineConfig.TrackingSettings;
import org.idsolutions.pipeline.conform.admin.AdminMatcher;
import org.idsolutions.pipeline.raw.TrackingFields;

/**
 * Parses and checks raw tracking rows. {@link #check} adds typed columns, the matched admin units
 * and, for a row that breaks a rule, {@code reject_rule} and {@code reject_message} (the first rule
 * broken, in the order of {@link #RULES}).
 */
public final class TrackingRules {
  public static final String MISSING_REQUIRED_FIELD = "missing_required_field";
  public static final String INVALID_ADMIN_LEVEL = "invalid_admin_level";
  public static final String INVALID_COUNT = "invalid_count";
  public static final String INVALID_ROUND = "invalid_round";
  public static final String INVALID_DATE = "invalid_date";
  public static final String DATE_OUT_OF_RANGE = "date_out_of_range";
  public static final String DUPLICATE_RECORD = "duplicate_record";
  public static final String UNKNOWN_ADMIN_UNIT = "unknown_admin_unit";

  /** Rules in the order they are checked. */
  public static final List<String> RULES =
      List.of(
          MISSING_REQUIRED_FIELD,
          INVALID_ADMIN_LEVEL,
          INVALID_COUNT,
          INVALID_ROUND,
          INVALID_DATE,
          DATE_OUT_OF_RANGE,
          DUPLICATE_RECORD,
          UNKNOWN_ADMIN_UNIT);

  public static final String NOT_AVAILABLE = "not available";

  // rowRules' and withUnits' columns for withDuplicates: the first broken rule before the duplicate
  // check, and why the admin unit was not found
  private static final String EARLY_RULE = "_early_rule";
  private static final String EARLY_MESSAGE = "_early_message";
  private static final String UNIT_MESSAGE = "_unit_message";

  private TrackingRules() {}

  /** Null for null or blank text, else the trimmed text. */
  public static Column text(Column c) {
    Column t = trim(c);
    return when(t.notEqual(""), t);
  }

  /**
   * A whole number written as digits (optionally with a sign and a ".0" tail, as JSON exports do);
   * null when blank. {@code valid} tells a blank (valid, null) from text that is not a number.
   */
  public static Column wholeNumber(Column c) {
    // one regular expression a value: the digits before any ".0" tail are the number
    Column t = trim(c);
    return when(
        t.rlike("^-?[0-9]{1,15}(\\.0*)?$"), substring_index(t, ".", 1).cast(DataTypes.LongType));
  }

  /**
   * Text that is not a whole number, given the raw text and {@code parsed}, its {@link
   * #wholeNumber} already computed in a column of its own (so the regular expressions run once a
   * value, not once for the typed column and again for each rule that looks at it).
   */
  static Column notANumber(Column raw, Column parsed) {
    return text(raw).isNotNull().and(parsed.isNull());
  }

  static Column invalidOptionalCount(Column raw, Column parsed) {
    return notANumber(raw, parsed).or(coalesce(parsed.lt(0), lit(false)));
  }

  /** Dates as DTM files write them: ISO date, ISO date-time, or day/month/year. */
  public static Column parseDate(Column raw) {
    Column t = trim(raw);
    return coalesce(
        when(
            t.rlike("^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ].*)?$"),
            try_to_date(substring(t, 1, 10), "yyyy-MM-dd")),
        try_to_date(t, "d/M/yyyy"));
  }

  /**
   * The reason normalised: split on ; , or |, lower case, spaces collapsed, distinct, sorted, ";
   * "-joined; values in {@code notAvailable} dropped; nothing left gives {@value #NOT_AVAILABLE}.
   */
  public static Column normaliseReason(Column raw, List<String> notAvailable) {
    List<String> na = lowerAll(notAvailable);
    // ",", "|" and ";" as one separator, so the split is on a single character (Java's String.split
    // then needs no regular expression; a character class was compiled again for every value)
    Column separated = translate(coalesce(raw, lit("")), ",|", ";;");
    // most reasons are one value: normalised with built-in functions, without the array and its
    // lambdas (which Spark evaluates interpreted, value by value); the same result as the array
    // path
    Column single = oneValue(separated);
    Column singleOut =
        when(single.equalTo("").or(single.isin(na.toArray())), lit(NOT_AVAILABLE))
            .otherwise(single);
    Column parts = transform(split(separated, ";"), TrackingRules::oneValue);
    Column naArray = stringArray(na);
    Column kept =
        array_sort(
            array_distinct(
                filter(parts, e -> e.notEqual("").and(not(array_contains(naArray, e))))));
    Column several =
        when(size(kept).equalTo(0), lit(NOT_AVAILABLE)).otherwise(array_join(kept, "; "));
    return when(instr(separated, ";").equalTo(0), singleOut).otherwise(several);
  }

  /** One reason value: lower case, runs of white space as one space, trimmed. */
  private static Column oneValue(Column value) {
    return trim(regexp_replace(lower(value), "\\s+", " "));
  }

  /**
   * conflict when any reason is a conflict term, else disaster when any is a disaster term, else
   * other.
   */
  public static Column reasonGroup(Column normalisedReason, TrackingSettings settings) {
    // "; " joins the normalised values, which hold no ";": split on the one character
    Column reasons = split(replace(normalisedReason, lit("; "), lit(";")), ";");
    List<String> conflict = lowerAll(settings.reasonGroups().getOrDefault("conflict", List.of()));
    List<String> disaster = lowerAll(settings.reasonGroups().getOrDefault("disaster", List.of()));
    return when(arrays_overlap(reasons, stringArray(conflict)), "conflict")
        .when(arrays_overlap(reasons, stringArray(disaster)), "disaster")
        .otherwise("other");
  }

  /** An array<string> literal. */
  public static Column stringArray(List<String> values) {
    Column[] items =
        values.stream().map(org.apache.spark.sql.functions::lit).toArray(Column[]::new);
    return array(items).cast(DataTypes.createArrayType(DataTypes.StringType));
  }

  private static List<String> lowerAll(List<String> values) {
    List<String> out = new ArrayList<>();
    for (String v : values) {
      out.add(v.strip().toLowerCase(Locale.ROOT));
    }
    return out;
  }

  /**
   * Typed columns, admin matching and the first broken rule per row: {@link #rowRules} (each row
   * alone, no shuffle), {@link #withUnits} (the admin units, by a broadcast join) and {@link
   * #withDuplicates} (the repeated ids, which names each row's first broken rule). A caller that
   * caches the {@link #rowRules} rows passes them to {@link #checkRuled} and reads them once for
   * all three.
   */
  public static Dataset<Row> check(
      Dataset<Row> raw, Dataset<Row> adminUnits, Dataset<Row> aliases, TrackingSettings settings) {
    return checkRuled(rowRules(raw, settings), adminUnits, aliases, false);
  }

  /**
   * {@link #check}'s admin matching and duplicate ids on {@link #rowRules}' rows.
   *
   * @param now as in {@link #withUnits}: for cached {@code ruled} rows read by several queries
   */
  public static Dataset<Row> checkRuled(
      Dataset<Row> ruled, Dataset<Row> adminUnits, Dataset<Row> aliases, boolean now) {
    return withDuplicates(ruled, withUnits(ruled, adminUnits, aliases, now));
  }

  /**
   * The part of {@link #check} that looks at one row alone and needs no admin reference: typed
   * columns and the rules before {@value #DUPLICATE_RECORD}. A caller that caches these rows
   * matches the admin units from the cache ({@link #withUnits}) instead of reading its files once
   * more for the distinct admin inputs (docs/performance.md, change 52).
   */
  public static Dataset<Row> rowRules(Dataset<Row> raw, TrackingSettings settings) {
    Column level =
        when(trim(col("adminLevel")).rlike("^[0-2](\\.0*)?$"), wholeNumber(col("adminLevel")));
    Dataset<Row> typed =
        raw.withColumn("country", upper(text(col("admin0Pcode"))))
            .withColumn("admin_level_int", level.cast(DataTypes.IntegerType))
            .withColumn("admin1_code_in", text(col("admin1Pcode")))
            .withColumn("admin1_name_in", text(col("admin1Name")))
            .withColumn("admin2_code_in", text(col("admin2Pcode")))
            .withColumn("admin2_name_in", text(col("admin2Name")))
            .withColumn("idp", wholeNumber(col("numPresentIdpInd")))
            .withColumn("returnees", wholeNumber(col("numReturneeInd")))
            .withColumn("males_n", wholeNumber(col("numberMales")))
            .withColumn("females_n", wholeNumber(col("numberFemales")))
            .withColumn("round", wholeNumber(col("roundNumber")))
            .withColumn("report_date", parseDate(col("reportingDate")));

    Column missing =
        concat_ws(
            ", ",
            when(text(col("operation")).isNull(), lit("operation")),
            when(text(col("admin0Pcode")).isNull(), lit("admin0Pcode")),
            when(text(col("adminLevel")).isNull(), lit("adminLevel")),
            when(text(col("numPresentIdpInd")).isNull(), lit("numPresentIdpInd")),
            when(text(col("reportingDate")).isNull(), lit("reportingDate")),
            when(text(col("roundNumber")).isNull(), lit("roundNumber")),
            when(
                col("admin_level_int")
                    .geq(1)
                    .and(col("admin1_code_in").isNull())
                    .and(col("admin1_name_in").isNull()),
                lit("admin1Pcode or admin1Name")),
            when(
                col("admin_level_int")
                    .equalTo(2)
                    .and(col("admin2_code_in").isNull())
                    .and(col("admin2_name_in").isNull()),
                lit("admin2Pcode or admin2Name")));
    Column badCount =
        invalidOptionalCount(col("numPresentIdpInd"), col("idp"))
            .or(invalidOptionalCount(col("numReturneeInd"), col("returnees")))
            .or(invalidOptionalCount(col("numberMales"), col("males_n")))
            .or(invalidOptionalCount(col("numberFemales"), col("females_n")));
    Column minDate = to_date(lit(settings.minReportDate()));
    Column outOfRange = col("report_date").lt(minDate).or(col("report_date").gt(current_date()));
    Column rule =
        when(missing.notEqual(""), lit(MISSING_REQUIRED_FIELD))
            .when(col("admin_level_int").isNull(), lit(INVALID_ADMIN_LEVEL))
            .when(badCount, lit(INVALID_COUNT))
            .when(
                col("round").isNull().or(col("round").lt(0)).or(col("round").gt(Integer.MAX_VALUE)),
                lit(INVALID_ROUND))
            .when(col("report_date").isNull(), lit(INVALID_DATE))
            .when(outOfRange, lit(DATE_OUT_OF_RANGE));
    Column message =
        when(missing.notEqual(""), concat(lit("required field(s) empty: "), missing))
            .when(
                col("admin_level_int").isNull(),
                concat(lit("adminLevel '"), col("adminLevel"), lit("' is not 0, 1 or 2")))
            .when(
                badCount,
                concat(
                    lit("counts must be whole numbers >= 0: numPresentIdpInd='"),
                    coalesce(col("numPresentIdpInd"), lit("")),
                    lit("', numReturneeInd='"),
                    coalesce(col("numReturneeInd"), lit("")),
                    lit("', numberMales='"),
                    coalesce(col("numberMales"), lit("")),
                    lit("', numberFemales='"),
                    coalesce(col("numberFemales"), lit("")),
                    lit("'")))
            .when(
                col("round").isNull().or(col("round").lt(0)).or(col("round").gt(Integer.MAX_VALUE)),
                concat(
                    lit("roundNumber '"), col("roundNumber"), lit("' is not a whole number >= 0")))
            .when(
                col("report_date").isNull(),
                concat(lit("reportingDate '"), col("reportingDate"), lit("' is not a valid date")))
            .when(
                outOfRange,
                concat(
                    lit("reportingDate "),
                    col("report_date").cast(DataTypes.StringType),
                    lit(" is outside " + settings.minReportDate() + " .. today")));

    return typed
        .withColumn(EARLY_RULE, rule)
        .withColumn(EARLY_MESSAGE, message)
        .withColumn("operation_name", text(col("operation")))
        .withColumn("assessment", coalesce(upper(text(col("assessmentType"))), lit("unknown")))
        .withColumn("reason", normaliseReason(col("displacementReason"), settings.notAvailable()))
        .withColumn(
            "origin",
            coalesce(text(col("idpOriginAdmin1Pcode")), text(col("idpOriginAdmin1Name"))));
  }

  /**
   * {@link #rowRules}' rows with their admin units matched and the unit rule's message.
   *
   * @param now match the distinct admin inputs at once and keep the result, for cached {@code rows}
   *     read by several queries (see {@link AdminMatcher#matchDistinct(Dataset, Dataset, Dataset,
   *     boolean)})
   */
  static Dataset<Row> withUnits(
      Dataset<Row> rows, Dataset<Row> adminUnits, Dataset<Row> aliases, boolean now) {
    Dataset<Row> matched = AdminMatcher.matchDistinct(rows, adminUnits, aliases, now);
    Column unitFound =
        when(col("admin_level_int").equalTo(0), col("country_known"))
            .when(col("admin_level_int").equalTo(1), col("a1").isNotNull())
            .otherwise(col("a2").isNotNull());
    Column notFoundMessage =
        when(
                col("country_known").unary_$bang(),
                concat(
                    lit("country '"),
                    coalesce(col("country"), lit("")),
                    lit("' is not in the admin reference")))
            .otherwise(
                concat(
                    lit("admin "),
                    col("admin_level_int").cast(DataTypes.StringType),
                    lit(" unit not found in "),
                    col("country"),
                    lit(": p-code '"),
                    coalesce(
                        when(col("admin_level_int").equalTo(1), col("admin1_code_in"))
                            .otherwise(col("admin2_code_in")),
                        lit("")),
                    lit("', name '"),
                    coalesce(
                        when(col("admin_level_int").equalTo(1), col("admin1_name_in"))
                            .otherwise(col("admin2_name_in")),
                        lit("")),
                    lit("'")));

    return matched.withColumn(UNIT_MESSAGE, when(unitFound.unary_$bang(), notFoundMessage));
  }

  /**
   * Adds {@code reject_rule} and {@code reject_message} to {@link #withUnits}' rows: a record whose
   * id already appeared earlier in its file is a {@value #DUPLICATE_RECORD}. The repeated ids come
   * from one aggregation over (file, id, row) and are broadcast back, so the rows themselves are
   * not shuffled.
   *
   * @param ids the {@link #rowRules} rows {@code rows} were matched from: the aggregation reads
   *     their file, id and row number without the admin units' join (docs/performance.md, change
   *     53)
   * @param rows {@code ids} after {@link #withUnits}
   */
  static Dataset<Row> withDuplicates(Dataset<Row> ids, Dataset<Row> rows) {
    Dataset<Row> repeated =
        ids.where(text(col("id")).isNotNull())
            .groupBy(col("source_file").as("_d_file"), col("id").as("_d_id"))
            .agg(min(col("row_number")).as("_d_first"), count(lit(1)).as("_d_rows"))
            .where(col("_d_rows").gt(1))
            .drop("_d_rows");
    Column duplicate = col("_d_first").isNotNull().and(col("row_number").gt(col("_d_first")));
    return rows.join(
            broadcast(repeated),
            col("source_file").equalTo(col("_d_file")).and(col("id").equalTo(col("_d_id"))),
            "left")
        .withColumn(
            "reject_rule",
            coalesce(
                col(EARLY_RULE),
                when(duplicate, lit(DUPLICATE_RECORD)),
                when(col(UNIT_MESSAGE).isNotNull(), lit(UNKNOWN_ADMIN_UNIT))))
        .withColumn(
            "reject_message",
            coalesce(
                col(EARLY_MESSAGE),
                when(
                    duplicate,
                    concat(
                        lit("record id '"),
                        col("id"),
                        lit("' repeats row "),
                        col("_d_first").cast(DataTypes.StringType))),
                col(UNIT_MESSAGE)))
        .drop("_d_file", "_d_id", "_d_first", EARLY_RULE, EARLY_MESSAGE, UNIT_MESSAGE);
  }

  /** The raw record as JSON, for quarantine.rejected_rows. */
  public static Column rawRowJson() {
    List<Column> fields = new ArrayList<>();
    for (String f : TrackingFields.ALL) {
      fields.add(col(f));
    }
    return to_json(struct(fields.toArray(new Column[0])));
  }
}
