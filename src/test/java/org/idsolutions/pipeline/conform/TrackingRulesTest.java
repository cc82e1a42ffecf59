package org.idsolutions.pipeline.conform;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.idsolutions.pipeline.conform.tracking.TrackingRules.DATE_OUT_OF_RANGE;
import static org.idsolutions.pipeline.conform.tracking.TrackingRules.DUPLICATE_RECORD;
import static org.idsolutions.pipeline.conform.tracking.TrackingRules.INVALID_ADMIN_LEVEL;
import static org.idsolutions.pipeline.conform.tracking.TrackingRules.INVALID_COUNT;
import static org.idsolutions.pipeline.conform.tracking.TrackingRules.INVALID_DATE;
import static org.idsolutions.pipeline.conform.tracking.TrackingRules.INVALID_ROUND;
import static org.idsolutions.pipeline.conform.tracking.TrackingRules.MISSING_REQUIRED_FIELD;
import static org.idsolutions.pipeline.conform.tracking.TrackingRules.UNKNOWN_ADMIN_UNIT;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.idsolutions.pipeline.config.PipelineConfig;
import org.idsolutions.pipeline.conform.tracking.TrackingConform;
import org.idsolutions.pipeline.conform.tracking.TrackingRules;
import org.idsolutions.pipeline.support.SparkTestSession;
import org.idsolutions.pipeline.support.TestConfig;
import org.idsolutions.pipeline.support.TrackingFixture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TrackingRulesTest {
  static Map<String, String[]> byId = new HashMap<>();
  static long accepted;

  @BeforeAll
  static void checkFixture() {
    SparkSession spark = SparkTestSession.get();
    TrackingFixture f =
        TrackingFixture.create()
            .add("id", "ok") // valid: passes every rule
            .add("id", "no-op", "operation", " ") // blank operation
            .add(
                "id",
                "no-a2",
                "admin2Pcode",
                "",
                "admin2Name",
                null) // level 2 without an admin 2 unit
            .add("id", "level", "adminLevel", "3") // level out of range
            .add("id", "negative", "numPresentIdpInd", "-5") // negative count
            .add("id", "nan", "numPresentIdpInd", "n/a") // non-numeric count
            .add("id", "males", "numberMales", "many") // non-numeric optional count
            .add("id", "round", "roundNumber", "R3") // round not a number
            .add("id", "baddate", "reportingDate", "2025-13-45") // impossible month
            .add("id", "feb31", "reportingDate", "31/02/2025") // impossible day
            .add("id", "future", "reportingDate", "2999-01-01") // after today
            .add("id", "old", "reportingDate", "1999-12-31") // before tracking.min-report-date
            .add("id", "dup") // first of a repeated id: kept
            .add("id", "dup") // the repeat: quarantined
            .add(
                "id", "unknown", "admin2Pcode", "NG008999", "admin2Name", "Gajiram") // no such unit
            .add(
                "id",
                "country",
                "admin0Pcode",
                "XYZ",
                "adminLevel",
                "0") // country not in reference
            .add("id", "decimal", "numPresentIdpInd", "120.0") // JSON-style whole number: valid
            .add("id", "returnees", "numReturneeInd", "-3") // negative optional count
            .add("id", "females", "numberFemales", "7.5") // fractional optional count
            .add("id", "blank", "numReturneeInd", " ", "numberMales", "4.00"); // blank, ".00" tail
    List<Row> rows =
        TrackingFixture.check(spark, f.toRaw(spark))
            .select("id", "row_number", "reject_rule", "reject_message")
            .collectAsList();
    for (Row r : rows) {
      String key = r.getString(0) + (r.getString(0).equals("dup") ? "#" + r.getLong(1) : "");
      byId.put(key, new String[] {r.getString(2), r.getString(3)});
    }
    accepted = rows.stream().filter(r -> r.isNullAt(2)).count();
  }

  private static String rule(String id) {
    return byId.get(id)[0];
  }

  private static String message(String id) {
    return byId.get(id)[1];
  }

  @Test
  void validRowsPassEveryRule() {
    assertThat(rule("ok")).isNull();
    assertThat(rule("decimal")).isNull();
    assertThat(accepted).isEqualTo(4); // ok, decimal, blank, first dup
  }

  @Test
  void missingRequiredFieldNamesTheField() {
    assertThat(rule("no-op")).isEqualTo(MISSING_REQUIRED_FIELD);
    assertThat(message("no-op")).isEqualTo("required field(s) empty: operation");
    assertThat(rule("no-a2")).isEqualTo(MISSING_REQUIRED_FIELD);
    assertThat(message("no-a2")).contains("admin2Pcode or admin2Name");
  }

  @Test
  void adminLevelMustBeZeroOneOrTwo() {
    assertThat(rule("level")).isEqualTo(INVALID_ADMIN_LEVEL);
    assertThat(message("level")).isEqualTo("adminLevel '3' is not 0, 1 or 2");
  }

  @Test
  void negativeAndNonNumericCountsAreQuarantined() {
    assertThat(rule("negative")).isEqualTo(INVALID_COUNT);
    assertThat(message("negative")).contains("numPresentIdpInd='-5'");
    assertThat(rule("nan")).isEqualTo(INVALID_COUNT);
    assertThat(rule("males")).isEqualTo(INVALID_COUNT);
    assertThat(message("males")).contains("numberMales='many'");
    assertThat(rule("returnees")).isEqualTo(INVALID_COUNT);
    assertThat(message("returnees")).contains("numReturneeInd='-3'");
    assertThat(rule("females")).isEqualTo(INVALID_COUNT);
    // an optional count may be blank, and a whole number may carry a ".0" tail
    assertThat(rule("blank")).isNull();
  }

  @Test
  void roundMustBeAWholeNumber() {
    assertThat(rule("round")).isEqualTo(INVALID_ROUND);
  }

  @Test
  void badAndImpossibleDatesAreQuarantined() {
    assertThat(rule("baddate")).isEqualTo(INVALID_DATE);
    assertThat(message("baddate")).isEqualTo("reportingDate '2025-13-45' is not a valid date");
    assertThat(rule("feb31")).isEqualTo(INVALID_DATE);
  }

  @Test
  void datesOutsideTheAllowedRangeAreQuarantined() {
    assertThat(rule("future")).isEqualTo(DATE_OUT_OF_RANGE);
    assertThat(rule("old")).isEqualTo(DATE_OUT_OF_RANGE);
    assertThat(message("old")).contains("1999-12-31").contains("2000-01-01");
  }

  @Test
  void repeatedRecordIdKeepsTheFirst() {
    assertThat(rule("dup#13")).isNull();
    assertThat(rule("dup#14")).isEqualTo(DUPLICATE_RECORD);
    assertThat(message("dup#14")).isEqualTo("record id 'dup' repeats row 13");
  }

  @Test
  void unknownUnitsAreQuarantinedWithWhatWasLookedFor() {
    assertThat(rule("unknown")).isEqualTo(UNKNOWN_ADMIN_UNIT);
    assertThat(message("unknown"))
        .isEqualTo("admin 2 unit not found in NGA: p-code 'NG008999', name 'Gajiram'");
    assertThat(rule("country")).isEqualTo(UNKNOWN_ADMIN_UNIT);
    assertThat(message("country")).isEqualTo("country 'XYZ' is not in the admin reference");
  }

  @Test
  void everyRuleIsCoveredByThisFixture() {
    assertThat(byId.values().stream().map(v -> v[0]).filter(java.util.Objects::nonNull).distinct())
        .containsExactlyInAnyOrderElementsOf(TrackingRules.RULES);
  }

  @Test
  void rejectedRowsKeepTheRawRecordAndSource() {
    SparkSession spark = SparkTestSession.get();
    TrackingFixture f = TrackingFixture.create().add("id", "neg", "numPresentIdpInd", "-1");
    Row q = TrackingConform.rejected(TrackingFixture.check(spark, f.toRaw(spark)), "run-1").first();
    assertThat(q.getAs("family").toString()).isEqualTo("tracking");
    assertThat(q.<String>getAs("source_file")).isEqualTo("file:/fixture/tracking.json");
    assertThat(q.<Long>getAs("row_number")).isEqualTo(1L);
    assertThat(q.<String>getAs("raw_row")).contains("\"numPresentIdpInd\":\"-1\"");
    assertThat(q.<String>getAs("rule")).isEqualTo(INVALID_COUNT);
    assertThat(q.<String>getAs("run_id")).isEqualTo("run-1");
  }

  /**
   * The reason, its group and the whole numbers, against a plain-Java reading of their rules (split
   * on ; , or |, lower case, spaces collapsed, not-available values dropped, distinct, sorted;
   * digits with an optional sign and ".0" tail), over values that take each path: one value,
   * several, separators alone, blanks and not-available values.
   */
  @Test
  void reasonsAndWholeNumbersMatchAPlainJavaReading() {
    SparkSession spark = SparkTestSession.get();
    PipelineConfig.TrackingSettings settings = TestConfig.defaults().tracking();
    List<String> values =
        Arrays.asList(
            null,
            "",
            "  ",
            "Conflict",
            " CONFLICT ",
            "Natural   Disaster",
            "conflict; flood",
            "Flood,conflict|Conflict",
            "n/a",
            "N/A; ",
            "unknown, none",
            ";;",
            "conflict;;flood",
            "Armed\tConflict",
            "na|Flood",
            "-",
            "Banditry ;  Natural disaster",
            "|drought",
            "12",
            "+5",
            "007",
            "1.00",
            "-0.0",
            "12.",
            "1.0.0",
            "7.5",
            "-3",
            " 42 ",
            "123456789012345",
            "1234567890123456",
            "123456789012345.0",
            ".0");
    StructType schema = new StructType().add("v", DataTypes.StringType);
    List<Row> rows = values.stream().map(RowFactory::create).toList();
    Column reason = TrackingRules.normaliseReason(col("v"), settings.notAvailable());
    List<Row> out =
        spark
            .createDataFrame(rows, schema)
            .select(
                col("v"),
                reason.as("reason"),
                TrackingRules.reasonGroup(reason, settings).as("group"),
                TrackingRules.wholeNumber(col("v")).as("n"))
            .collectAsList();
    assertThat(out).hasSize(values.size());
    for (Row r : out) {
      String v = r.getString(0);
      String expected = reasonOf(v, settings.notAvailable());
      assertThat(r.getString(1)).as("reason of '%s'", v).isEqualTo(expected);
      assertThat(r.getString(2)).as("group of '%s'", v).isEqualTo(groupOf(expected, settings));
      assertThat(r.isNullAt(3) ? null : r.getLong(3)).as("number '%s'", v).isEqualTo(numberOf(v));
    }
  }

  private static String reasonOf(String raw, List<String> notAvailable) {
    Set<String> na = new HashSet<>();
    notAvailable.forEach(x -> na.add(x.strip().toLowerCase(Locale.ROOT)));
    TreeSet<String> kept = new TreeSet<>();
    for (String part : (raw == null ? "" : raw).split("[;,|]", -1)) {
      String t = part.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").trim();
      if (!t.isEmpty() && !na.contains(t)) {
        kept.add(t);
      }
    }
    return kept.isEmpty() ? TrackingRules.NOT_AVAILABLE : String.join("; ", kept);
  }

  private static String groupOf(String reason, PipelineConfig.TrackingSettings settings) {
    List<String> parts = List.of(reason.split("; "));
    for (String group : List.of("conflict", "disaster")) {
      for (String term : settings.reasonGroups().getOrDefault(group, List.of())) {
        if (parts.contains(term.strip().toLowerCase(Locale.ROOT))) {
          return group;
        }
      }
    }
    return "other";
  }

  private static Long numberOf(String raw) {
    if (raw == null) {
      return null;
    }
    String t = raw.strip();
    Matcher m = Pattern.compile("(-?[0-9]{1,15})(\\.0*)?").matcher(t);
    return m.matches() ? Long.parseLong(m.group(1)) : null;
  }
}
