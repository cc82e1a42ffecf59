package org.idsolutions.pipeline.conform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.idsolutions.pipeline.conform.programme.ProgrammeConform;
import org.idsolutions.pipeline.conform.programme.ProgrammeReference;
import org.idsolutions.pipeline.raw.IatiReader;
import org.idsolutions.pipeline.raw.InputFile;
import org.idsolutions.pipeline.raw.InputFiles;
import org.idsolutions.pipeline.support.Cli;
import org.idsolutions.pipeline.support.SparkTestSession;
import org.idsolutions.pipeline.support.TrackingFixture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * IATI activities with hand-worked conversions, shares and rules (rates from conf/fx-rates.csv).
 */
class ProgrammeConformTest {
  @TempDir static Path dir;
  static Map<String, Row> checked = new HashMap<>();
  static Dataset<Row> accepted;
  static ProgrammeReference ref;
  static double eur2024;

  static String activity(String id, String body) {
    return "<iati-activity default-currency=\"USD\"><iati-identifier>"
        + id
        + "</iati-identifier>"
        + "<reporting-org ref=\"XM-1\" type=\"10\"><narrative>Org</narrative></reporting-org>"
        + "<title><narrative>"
        + id
        + "</narrative></title>"
        + body
        + "</iati-activity>\n";
  }

  static final String DATES =
      "<activity-date type=\"1\" iso-date=\"2024-01-01\"/><activity-date type=\"3\" iso-date=\"2024-12-31\"/>";

  @BeforeAll
  static void read() throws IOException {
    String xml =
        "<?xml version=\"1.0\"?>\n<iati-activities version=\"2.03\">\n"
            // two organisations (accountable + implementing): joint; EUR budget; two located areas,
            // 60/40
            + activity(
                "A-JOINT",
                "<participating-org ref=\"A\" role=\"2\"><narrative>Agency A</narrative></participating-org>"
                    + "<participating-org ref=\"B\" role=\"4\"><narrative>NGO B</narrative></participating-org>"
                    + "<participating-org ref=\"D\" role=\"1\"><narrative>Donor D</narrative></participating-org>"
                    + DATES
                    + "<recipient-country code=\"NG\" percentage=\"100\"/>"
                    + "<location percentage=\"60\"><administrative vocabulary=\"G1\" code=\"NG008\"/></location>"
                    + "<location percentage=\"40\"><administrative vocabulary=\"G1\" code=\"NG002010\"/></location>"
                    + "<budget type=\"1\"><period-start iso-date=\"2024-01-01\"/><period-end iso-date=\"2024-12-31\"/>"
                    + "<value currency=\"EUR\" value-date=\"2024-01-01\">1000</value></budget>")
            // one organisation; three locations without percentages: equal thirds
            + activity(
                "A-EQUAL",
                "<participating-org ref=\"B\" role=\"4\"><narrative>NGO B</narrative></participating-org>"
                    + DATES
                    + "<location><administrative code=\"NG008\"/></location>"
                    + "<location><administrative code=\"NG002\"/></location>"
                    + "<location><administrative code=\"NG008021\"/></location>")
            // country-wide: Chad's unspecified bucket
            + activity("A-COUNTRY", DATES + "<recipient-country code=\"TD\"/>")
            // no dates at all
            + activity("A-NODATES", "<recipient-country code=\"NG\"/>")
            // a budget in a currency without a rate
            + activity(
                "A-XAF",
                DATES
                    + "<recipient-country code=\"TD\"/>"
                    + "<budget><period-start iso-date=\"2024-01-01\"/><period-end iso-date=\"2024-06-30\"/>"
                    + "<value currency=\"XAF\" value-date=\"2024-01-01\">5000000</value></budget>")
            // an original budget (type 1) revised (type 2) for the first half of 2024, and one
            // original budget for the second half: the revision replaces the first, not adds to it
            + activity(
                "A-REVISED",
                DATES
                    + "<recipient-country code=\"NG\"/>"
                    + "<budget type=\"1\"><period-start iso-date=\"2024-01-01\"/><period-end iso-date=\"2024-06-30\"/>"
                    + "<value value-date=\"2024-01-01\">1000</value></budget>"
                    + "<budget type=\"2\"><period-start iso-date=\"2024-01-01\"/><period-end iso-date=\"2024-06-30\"/>"
                    + "<value value-date=\"2024-03-01\">1500</value></budget>"
                    + "<budget type=\"1\"><period-start iso-date=\"2024-07-01\"/><period-end iso-date=\"2024-12-31\"/>"
                    + "<value value-date=\"2024-07-01\">800</value></budget>"
                    // 2025: an original and its revision with the start written d/M/yyyy
                    + "<budget type=\"1\"><period-start iso-date=\"2025-01-01\"/><period-end iso-date=\"2025-12-31\"/>"
                    + "<value value-date=\"2025-01-01\">300</value></budget>"
                    + "<budget type=\"2\"><period-start iso-date=\"1/1/2025\"/><period-end iso-date=\"2025-12-31\"/>"
                    + "<value value-date=\"2025-01-01\">400</value></budget>")
            // two vocabularies, each at 100 %: DAC 5-digit (1) and DAC 3-digit (2) codes
            + activity(
                "A-VOCABULARIES",
                DATES
                    + "<recipient-country code=\"NG\"/>"
                    + "<sector vocabulary=\"1\" code=\"15220\" percentage=\"100\"/>"
                    + "<sector vocabulary=\"2\" code=\"152\" percentage=\"100\"/>")
            // a vocabulary the groups do not map, and clusters (mapped), 50/50 each
            + activity(
                "A-CLUSTERS",
                DATES
                    + "<recipient-country code=\"NG\"/>"
                    + "<sector vocabulary=\"10\" code=\"1\" percentage=\"50\"/>"
                    + "<sector vocabulary=\"10\" code=\"2\" percentage=\"50\"/>"
                    + "<sector vocabulary=\"cluster\" code=\"Protection\" percentage=\"50\"/>"
                    + "<sector vocabulary=\"cluster\" code=\"WASH\" percentage=\"50\"/>")
            // negative percentages: a location's, and a sector's
            + activity(
                "A-NEGATIVE-AREA",
                DATES
                    + "<location percentage=\"120\"><administrative code=\"NG008\"/></location>"
                    + "<location percentage=\"-20\"><administrative code=\"NG002\"/></location>")
            + activity(
                "A-NEGATIVE-SECTOR",
                DATES
                    + "<recipient-country code=\"NG\"/>"
                    + "<sector code=\"15220\" percentage=\"110\"/>"
                    + "<sector code=\"72010\" percentage=\" -10\"/>")
            // a blank identifier, and none at all
            + activity(" ", DATES + "<recipient-country code=\"NG\"/>")
            + activity("", DATES + "<recipient-country code=\"NG\"/>")
                .replace("<iati-identifier></iati-identifier>", "")
            + "</iati-activities>\n";
    Files.writeString(dir.resolve("a.xml"), xml);
    SparkSession spark = SparkTestSession.get();
    InputFile file =
        InputFiles.inspect(new Configuration(), dir.resolve("a.xml").toString(), List.of(), h -> h)
            .get(0);
    ref =
        ProgrammeReference.load(
            spark, "conf/fx-rates.csv", "conf/sector-groups.csv", "conf/countries.csv");
    Dataset<Row> result =
        ProgrammeConform.check(
            ProgrammeConform.fromIati(IatiReader.read(spark, file, "run")),
            TrackingFixture.adminUnits(spark),
            ref);
    for (Row r : result.collectAsList()) {
      checked.put(r.getAs("activity_id"), r);
    }
    accepted = result.where("reject_rule IS NULL");
    eur2024 =
        ref.fxRates()
            .where("fx_year = 2024 AND fx_currency = 'EUR'")
            .first()
            .<Double>getAs("usd_per_unit");
  }

  @Test
  void activitiesWithoutDatesOrRatesAreQuarantinedWithAClearReason() {
    assertThat(checked.get("A-NODATES").<String>getAs("reject_rule")).isEqualTo("missing_dates");
    assertThat(checked.get("A-NODATES").<String>getAs("reject_message"))
        .isEqualTo("activity needs a start and an end date (found start '', end '')");
    assertThat(checked.get("A-XAF").<String>getAs("reject_rule")).isEqualTo("unknown_currency");
    assertThat(checked.get("A-XAF").<String>getAs("reject_message"))
        .isEqualTo("no exchange rate for XAF in 2024 in the fx-rates file");
    assertThat(accepted.count()).isEqualTo(6);
  }

  @Test
  void anActivityWithoutAnIdentifierIsQuarantined() {
    List<Row> noId =
        checked.entrySet().stream()
            .filter(e -> e.getKey() == null || e.getKey().isBlank())
            .map(Map.Entry::getValue)
            .toList();
    assertThat(checked).containsKey(null).containsKey("");
    assertThat(noId).hasSize(2);
    for (Row r : noId) {
      assertThat(r.<String>getAs("reject_rule")).isEqualTo("missing_id");
      assertThat(r.<String>getAs("reject_message")).isEqualTo("activity has no iati-identifier");
    }
  }

  @Test
  void aNegativePercentageQuarantinesItsActivity() {
    Row area = checked.get("A-NEGATIVE-AREA");
    assertThat(area.<String>getAs("reject_rule")).isEqualTo("invalid_percentage");
    assertThat(area.<String>getAs("reject_message"))
        .isEqualTo("location percentage '-20' is negative");
    Row sector = checked.get("A-NEGATIVE-SECTOR");
    assertThat(sector.<String>getAs("reject_rule")).isEqualTo("invalid_percentage");
    assertThat(sector.<String>getAs("reject_message"))
        .isEqualTo("sector percentage '-10' is negative");
  }

  @Test
  void jointMeansTwoOrMoreImplementingOrAccountableOrganisations() {
    assertThat(checked.get("A-JOINT").<scala.collection.Seq<String>>getAs("organisations").size())
        .isEqualTo(2);
    assertThat(checked.get("A-EQUAL").<scala.collection.Seq<String>>getAs("organisations").size())
        .isEqualTo(1);
  }

  @Test
  void oneVocabularyOfSectorsSplitsTheBudget() {
    Map<String, String> sectors = new java.util.TreeMap<>();
    for (Row r :
        ProgrammeConform.sectors(accepted, ref)
            .where("activity_id IN ('A-VOCABULARIES', 'A-CLUSTERS')")
            .collectAsList()) {
      sectors.put(
          r.getAs("activity_id") + "|" + r.getAs("vocabulary") + "|" + r.getAs("code"),
          r.getAs("sector_group") + " " + r.<Double>getAs("share"));
    }
    // the DAC 5-digit code alone, whole; the clusters, not the unmapped vocabulary 10, halved
    assertThat(sectors)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "A-VOCABULARIES|1|15220", "social_cohesion_peacebuilding 1.0",
                "A-CLUSTERS|cluster|protection", "protection 0.5",
                "A-CLUSTERS|cluster|wash", "basic_services 0.5"));
  }

  @Test
  void aRevisedBudgetReplacesTheOriginalOfItsPeriod() {
    List<Double> budgets =
        ProgrammeConform.finance(accepted, ref)
            .where("activity_id = 'A-REVISED' AND kind = 'budget'")
            .orderBy("period_start")
            .collectAsList()
            .stream()
            .map(r -> r.<Double>getAs("amount_usd"))
            .toList();
    assertThat(budgets).containsExactly(1500.0, 800.0, 400.0);
  }

  @Test
  void budgetsAreConvertedWithTheValueDatesYearRate() {
    Row budget = ProgrammeConform.finance(accepted, ref).where("activity_id = 'A-JOINT'").first();
    assertThat(budget.<Double>getAs("amount_usd")).isCloseTo(1000 * eur2024, within(1e-9));
    assertThat(budget.<Integer>getAs("rate_year")).isEqualTo(2024);
  }

  @Test
  void sharesFollowPercentagesElseSplitEquallyAndCountryWideIsUnspecified() {
    Map<String, Double> shares = new HashMap<>();
    for (Row r :
        ProgrammeConform.locations(
                accepted, TrackingFixture.adminUnits(SparkTestSession.get()), ref)
            .collectAsList()) {
      shares.merge(
          r.<String>getAs("activity_id") + "|" + r.<String>getAs("admin1_pcode"),
          r.<Double>getAs("share"),
          Double::sum);
    }
    assertThat(shares.get("A-JOINT|NG008")).isCloseTo(0.6, within(1e-12));
    assertThat(shares.get("A-JOINT|NG002"))
        .isCloseTo(0.4, within(1e-12)); // admin 2 NG002010 -> Adamawa
    assertThat(shares.get("A-EQUAL|NG008")).isCloseTo(2 / 3.0, within(1e-12)); // NG008 + Maiduguri
    assertThat(shares.get("A-EQUAL|NG002")).isCloseTo(1 / 3.0, within(1e-12));
    assertThat(shares.get("A-COUNTRY|unspecified")).isCloseTo(1.0, within(1e-12));
  }

  /** `ingest programmes --input input` into the lakehouse, with the test config. */
  private static Cli ingestProgrammes(Path lakehouse, Path input) {
    return Cli.run(
        "--conf",
        "src/test/resources/test.yaml",
        "--lakehouse",
        lakehouse.toString(),
        "ingest",
        "programmes",
        "--input",
        input.toString());
  }

  @Test
  void aRejected3wRowKeepsItsActivityFieldsButNotTheSheetsContactColumns() throws IOException {
    Path sheets = Files.createDirectories(dir.resolve("3w"));
    Files.writeString(
        sheets.resolve("3w-contacts.csv"),
        "Organisation,Focal point,Phone,Admin1 P-code,Start date,End date,Budget (USD)\n"
            + "#org+name,#contact+name,#contact+phone,#adm1+code,#date+start,#date+end,"
            + "#value+budget+usd\n"
            + "FAO,Amina Bello,+234 803 555 0101,NG008,2025-01-01,2025-06-30,-5000\n"
            + "WFP,Musa Ali,+234 803 555 0202,NG008,2025-01-01,2025-06-30,12000\n".repeat(4));
    Path lh = dir.resolve("lh-3w");
    Cli r = ingestProgrammes(lh, sheets);
    assertThat(r.exitCode).as(r.err).isEqualTo(0);
    SparkSession spark = SparkTestSession.get();
    List<Row> rejected =
        spark
            .read()
            .format("delta")
            .load(lh.resolve("quarantine/rejected_rows").toString())
            .collectAsList();
    assertThat(rejected).hasSize(1);
    String quarantined = rejected.get(0).getAs("raw_row");
    assertThat(quarantined)
        .contains("\"#org+name\":\"FAO\"", "\"#value+budget+usd\":\"-5000\"")
        .doesNotContain("#contact", "Amina", "555");
    // the raw layer keeps the row as received
    assertThat(
            spark
                .read()
                .format("delta")
                .load(lh.resolve("raw/programme_records").toString())
                .where("record_json LIKE '%Amina Bello%+234 803 555 0101%'")
                .count())
        .isEqualTo(1);
  }

  @Test
  void sheetsOfOneNameInTwoFoldersAreDifferentActivitiesAndTheirBudgetsAdd() throws IOException {
    String header =
        "Organisation,Admin1 P-code,Start date,End date,Budget (USD)\n"
            + "#org+name,#adm1+code,#date+start,#date+end,#value+budget+usd\n";
    Path a = Files.createDirectories(dir.resolve("same-name/a")).resolve("3w.csv");
    Path b = Files.createDirectories(dir.resolve("same-name/b")).resolve("3w.csv");
    Files.writeString(a, header + "FAO,NG008,2025-01-01,2025-12-31,1000\n");
    Files.writeString(b, header + "WFP,NG002,2025-01-01,2025-12-31,2000\n");
    Path lh = dir.resolve("lh-same-name");
    for (Path sheet : List.of(a, b)) {
      Cli r = ingestProgrammes(lh, sheet);
      assertThat(r.exitCode).as(r.err).isZero();
    }
    Cli indicators =
        Cli.run(
            "--conf",
            "src/test/resources/test.yaml",
            "--lakehouse",
            lh.toString(),
            "indicators",
            "programmes");
    assertThat(indicators.exitCode).as(indicators.err).isZero();
    SparkSession spark = SparkTestSession.get();
    assertThat(
            spark
                .read()
                .format("delta")
                .load(lh.resolve("conformed/programme_activities").toString())
                .select("activity_id")
                .distinct()
                .count())
        .isEqualTo(2);
    // each region its own sheet's budget, the country the sum: 1,000 + 2,000
    Map<String, Double> budgets = new HashMap<>();
    spark
        .read()
        .format("delta")
        .load(lh.resolve("indicators/indicator_values").toString())
        .where("indicator_id = 'budget_usd' AND period_type = 'year'")
        .collectAsList()
        .forEach(r -> budgets.put(r.getAs("admin_code"), r.getAs("value")));
    // (pro-rated by days: sums of parts, equal to the budget up to rounding)
    assertThat(budgets.get("NG008")).isCloseTo(1000.0, within(1e-6));
    assertThat(budgets.get("NG002")).isCloseTo(2000.0, within(1e-6));
    assertThat(budgets.get("NGA")).isCloseTo(3000.0, within(1e-6));
  }

  @Test
  void anActivityGivenTwiceInOneFileKeepsItsFirstRecordAlone() throws IOException {
    Path file =
        Files.writeString(
            dir.resolve("twice.xml"),
            "<?xml version=\"1.0\"?>\n<iati-activities version=\"2.03\">\n"
                + activity(
                    "A-TWICE", DATES + "<location><administrative code=\"NG008\"/></location>")
                + activity("A-ONCE", DATES + "<recipient-country code=\"TD\"/>")
                + activity(
                    "A-TWICE", DATES + "<location><administrative code=\"NG002\"/></location>")
                + "</iati-activities>\n");
    SparkSession spark = SparkTestSession.get();
    InputFile input =
        InputFiles.inspect(new Configuration(), file.toString(), List.of(), h -> h).get(0);
    Dataset<Row> records = ProgrammeConform.fromIati(IatiReader.read(spark, input, "run"));
    Dataset<Row> result = ProgrammeConform.check(records, TrackingFixture.adminUnits(spark), ref);
    Map<Integer, Row> byRecord = new HashMap<>();
    for (Row r : result.collectAsList()) {
      byRecord.put(((Number) r.getAs("row_number")).intValue(), r);
    }
    assertThat(byRecord).hasSize(3);
    assertThat(byRecord.get(1).<String>getAs("reject_rule")).isNull();
    assertThat(byRecord.get(2).<String>getAs("reject_rule")).isNull();
    assertThat(byRecord.get(3).<String>getAs("reject_rule"))
        .isEqualTo(ProgrammeConform.DUPLICATE_ACTIVITY);
    assertThat(byRecord.get(3).<String>getAs("reject_message"))
        .isEqualTo(
            "activity 'A-TWICE' was first given at record 1 of the file: an activity id is given once a file");
    // the kept record's one location has the whole activity; the repeat's is not counted
    List<Row> located =
        ProgrammeConform.locations(
                result.where("reject_rule IS NULL AND activity_id = 'A-TWICE'"),
                TrackingFixture.adminUnits(spark),
                ref)
            .collectAsList();
    assertThat(located)
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.<String>getAs("admin1_pcode")).isEqualTo("NG008");
              assertThat(l.<Double>getAs("share")).isEqualTo(1.0);
            });
  }

  @Test
  void malformedXmlIsRefusedWithItsLineAndNothingIsWritten() throws IOException {
    Path bad = dir.resolve("broken.xml");
    Files.writeString(
        bad, "<?xml version=\"1.0\"?>\n<iati-activities>\n<iati-activity>\n</iati-activities>\n");
    Path lh = dir.resolve("lh");
    Cli r = ingestProgrammes(lh, bad);
    assertThat(r.exitCode).isEqualTo(1);
    assertThat(r.err).contains("broken.xml").contains("not well-formed XML at line 4");
    assertThat(Files.exists(lh.resolve("conformed"))).isFalse();
  }
}
