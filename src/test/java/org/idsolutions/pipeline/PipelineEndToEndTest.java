package org.idsolutions.pipeline;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.idsolutions.pipeline.lakehouse.Lakehouse;
import org.idsolutions.pipeline.lakehouse.SparkSessions;
import org.idsolutions.pipeline.lakehouse.TableSpec;
import org.idsolutions.pipeline.lakehouse.Tables;
import org.idsolutions.pipeline.support.Cli;
import org.idsolutions.pipeline.support.PlanRecorder;
import org.idsolutions.pipeline.support.PostgresTarget;
import org.idsolutions.pipeline.support.SameRows;
import org.idsolutions.pipeline.support.SparkTestSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** The whole pipeline on data-samples/, then re-runs: the end-to-end contract. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineEndToEndTest {
  @TempDir static Path work;
  static Path lakehouseDir;
  static Lakehouse lh;
  static Cli firstRun;

  static String[] args(String... command) {
    String[] base = {
      "--conf", "src/test/resources/test.yaml", "--lakehouse", lakehouseDir.toString()
    };
    String[] all = new String[base.length + command.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(command, 0, all, base.length, command.length);
    return all;
  }

  @BeforeAll
  static void runPipeline() {
    SparkSession spark = SparkTestSession.get();
    lakehouseDir = work.resolve("lakehouse");
    lh = new Lakehouse(spark, lakehouseDir.toString());
    firstRun = Cli.run(args("run"));
  }

  private static Map<String, Long> dataVersions() {
    return lh.versions(
        List.of(
            Tables.RAW_TRACKING,
            Tables.REFERENCE_ADMIN_UNITS,
            Tables.QUARANTINE,
            Tables.TRACKING_COUNTS,
            Tables.INDICATOR_VALUES,
            Tables.RAW_SURVEY_RESPONSES,
            Tables.SURVEY_HOUSEHOLDS,
            Tables.RAW_PROGRAMME_RECORDS,
            Tables.PROGRAMME_ACTIVITIES,
            Tables.PROGRAMME_LOCATIONS,
            Tables.PROGRAMME_FINANCE,
            Tables.PROGRAMME_SECTORS,
            Tables.PROGRAMME_REACH,
            Tables.REGIONAL_SUMMARY,
            Tables.INDICATOR_TRENDS,
            Tables.INDICATOR_TREND_SERIES,
            Tables.LOAD_FILES));
  }

  @Test
  @Order(1)
  void runPrintsOneLinePerStageWithRowsAndSeconds() {
    assertThat(firstRun.exitCode).as(firstRun.err).isZero();
    List<String> lines = firstRun.out.lines().toList();
    assertThat(lines).hasSize(7);
    assertThat(lines.get(0))
        .startsWith("ingest-tracking")
        .contains("succeeded")
        .contains("rows in      4902")
        .endsWith("4 file(s) loaded");
    assertThat(lines.get(0)).containsPattern("quarantined +8 ");
    assertThat(lines.get(1))
        .startsWith("ingest-surveys")
        .contains("rows in      6294")
        .contains("quarantined      16");
    assertThat(lines.get(2)).startsWith("ingest-programmes").contains("rows in       295");
    assertThat(lines.get(3)).startsWith("indicators-tracking").containsPattern("[0-9.]+ s ");
    assertThat(lines.get(4)).startsWith("indicators-surveys").contains("succeeded");
    assertThat(lines.get(5)).startsWith("indicators-programmes").contains("succeeded");
    assertThat(lines.get(6)).startsWith("summary-and-trends").contains("succeeded");
    // "written" is taken from the Delta commits' metrics: it is what the tables hold
    String[] families = {"tracking", "survey", "programme"};
    for (int i = 0; i < families.length; i++) {
      long rows =
          lh.read(Tables.INDICATOR_VALUES).where(col("source_family").equalTo(families[i])).count();
      assertThat(lines.get(3 + i)).as(families[i]).containsPattern("written +" + rows + " ");
    }
    long summaryAndTrends =
        lh.read(Tables.REGIONAL_SUMMARY).count()
            + lh.read(Tables.INDICATOR_TRENDS).count()
            + lh.read(Tables.INDICATOR_TREND_SERIES).count();
    assertThat(lines.get(6)).containsPattern("written +" + summaryAndTrends + " ");
  }

  @Test
  @Order(2)
  void everyFileReconcilesReadWithConformedPlusQuarantined() {
    List<Row> files =
        lh.read(Tables.LOAD_FILES)
            .where("family IN ('tracking', 'survey', 'programme')")
            .collectAsList();
    assertThat(files).hasSize(9);
    for (Row f : files) {
      String path = f.getAs("file_path");
      String family = f.getAs("family");
      boolean tracking = family.equals("tracking");
      long read = f.getAs("rows_read");
      long conformed = f.getAs("rows_conformed");
      long quarantined = f.getAs("rows_quarantined");
      assertThat(read).as(path).isEqualTo(conformed + quarantined);
      TableSpec raw =
          switch (family) {
            case "tracking" -> Tables.RAW_TRACKING;
            case "survey" -> Tables.RAW_SURVEY_RESPONSES;
            default -> Tables.RAW_PROGRAMME_RECORDS;
          };
      assertThat(rowsOf(raw, path)).as("raw rows of " + path).isEqualTo(read);
      assertThat(rowsOf(Tables.QUARANTINE, path))
          .as("quarantined rows of " + path)
          .isEqualTo(quarantined);
      if (!tracking) {
        assertThat(
                rowsOf(
                    family.equals("survey")
                        ? Tables.SURVEY_HOUSEHOLDS
                        : Tables.PROGRAMME_ACTIVITIES,
                    path))
            .as("households of " + path)
            .isEqualTo(conformed);
        continue;
      }
      // conformed source rows of the file add up to the accepted records
      Row sum =
          lh.read(Tables.TRACKING_COUNTS)
              .where(col("source_file").equalTo(path))
              .agg(sum("source_rows"))
              .first();
      assertThat(sum.isNullAt(0) ? 0L : sum.getLong(0))
          .as("conformed source rows of " + path)
          .isEqualTo(conformed);
    }
    assertThat(
            lh.read(Tables.QUARANTINE)
                .where(
                    "rule IS NULL OR message IS NULL OR source_file IS NULL OR row_number IS NULL"
                        + " OR raw_row IS NULL")
                .count())
        .isZero();
    // the deliberate bad rows of the samples, by rule
    assertThat(rulesOf("tracking"))
        .containsExactlyInAnyOrder(
            "[invalid_count,2]",
            "[invalid_date,2]",
            "[date_out_of_range,1]",
            "[missing_required_field,1]",
            "[duplicate_record,1]",
            "[unknown_admin_unit,1]");
    assertThat(rulesOf("survey"))
        .containsExactlyInAnyOrder(
            "[invalid_weight,8]",
            "[unknown_population_group,2]",
            "[date_out_of_range,2]",
            "[unknown_admin_unit,2]",
            "[duplicate_submission,2]");
  }

  @Test
  @Order(3)
  void programmeBudgetsReconcileWithTheActivitiesConvertedBudgets() {
    // independent figures (data-samples/programmes/README.md, computed from the files by the
    // generator):
    // IATI budgets of the valid activities converted at the value date's year rate, plus the 3W
    // budgets
    double iati = 65_523_637.30;
    double threeW = 91_930_500 + 16_785_500;
    double conformed =
        lh.read(Tables.PROGRAMME_FINANCE)
            .where("kind = 'budget'")
            .agg(sum("amount_usd"))
            .first()
            .getDouble(0);
    assertThat(conformed).isCloseTo(iati + threeW, within((iati + threeW) * 1e-9));
    for (String period : List.of("month", "quarter", "year")) {
      double prorated =
          lh.read(Tables.INDICATOR_VALUES)
              .where(
                  "source_family = 'programme' AND indicator_id = 'budget_usd' AND admin_level = 1"
                      + " AND period_type = '"
                      + period
                      + "'")
              .agg(sum("value"))
              .first()
              .getDouble(0);
      assertThat(prorated).as(period).isCloseTo(conformed, within(conformed * 1e-9));
    }
    assertThat(rulesOf("programme"))
        .containsExactlyInAnyOrder(
            "[missing_dates,2]",
            "[end_before_start,1]",
            "[invalid_amount,2]",
            "[unknown_currency,1]",
            "[unknown_admin_unit,2]",
            "[invalid_count,1]");
  }

  private static long rowsOf(TableSpec table, String sourceFile) {
    return lh.read(table).where(col("source_file").equalTo(sourceFile)).count();
  }

  private static List<String> rulesOf(String family) {
    return lh
        .read(Tables.QUARANTINE)
        .where(col("family").equalTo(family))
        .groupBy("rule")
        .count()
        .collectAsList()
        .stream()
        .map(Row::toString)
        .toList();
  }

  @Test
  @Order(4)
  void personalDataNeverLeavesTheRawLayer() {
    String phone = "[+][0-9]{1,3}[ .-]?[0-9]{2,4}[ .-]?[0-9]{3,4}[ .-]?[0-9]{3,4}";
    String email = "[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+[.][A-Za-z]{2,}";
    // the patterns do find the samples' personal data where it is allowed to be
    assertThat(
            lh.read(Tables.RAW_SURVEY_RESPONSES)
                .where("exists(map_values(record), v -> v rlike '" + phone + "')")
                .count())
        .isPositive();
    assertThat(
            lh.read(Tables.RAW_SURVEY_RESPONSES)
                .where("exists(map_values(record), v -> v rlike '" + email + "')")
                .count())
        .isPositive();
    List<String> piiNames =
        List.of("resp_name", "resp_phone", "resp_email", "geolocation", "gps", "comments", "uuid");
    for (TableSpec t : Tables.ALL) {
      if (t.layer().equals("raw") || t.layer().equals("ops") || !lh.exists(t)) {
        continue;
      }
      Dataset<Row> df = lh.read(t);
      for (String column : df.columns()) {
        assertThat(piiNames.stream().noneMatch(column::contains))
            .as(t.qualifiedName() + "." + column)
            .isTrue();
      }
      StringBuilder anyMatch = new StringBuilder("false");
      for (StructField f : df.schema().fields()) {
        if (f.dataType().equals(DataTypes.StringType)) {
          String c = "`" + f.name() + "`";
          anyMatch.append(" OR ").append(c).append(" rlike '").append(phone).append("'");
          anyMatch.append(" OR ").append(c).append(" rlike '").append(email).append("'");
        }
      }
      assertThat(df.where(anyMatch.toString()).count()).as(t.qualifiedName()).isZero();
    }
  }

  @Test
  @Order(12)
  void householdIdsAreKeyedHashesStableAcrossLoads() throws IOException {
    Path key = lakehouseDir.resolve("_private/household-id.key");
    assertThat(Files.getPosixFilePermissions(key))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    List<String> before = ids();
    Cli again =
        Cli.run(
            args("ingest", "surveys", "--manifests", "conf/surveys/nga-msna-2025.yaml", "--force"));
    assertThat(again.exitCode).as(again.err).isZero();
    assertThat(ids()).isEqualTo(before);
    assertThat(before.get(0)).matches("[0-9a-f]{64}");
  }

  @Test
  @Order(13)
  void aReloadedSurveyOnlyRecomputesThatSurvey() throws IOException {
    // the 2025 export with its last thousand households taken out, under the same survey id
    Path export = work.resolve("nga-msna-2025-short.csv");
    List<String> lines = Files.readAllLines(Path.of("data-samples/surveys/nga-msna-2025.csv"));
    Files.write(export, lines.subList(0, lines.size() - 1000));
    Path manifest = work.resolve("nga-msna-2025-short.yaml");
    Files.writeString(
        manifest,
        Files.readString(Path.of("conf/surveys/nga-msna-2025.yaml"))
            .replace("data-samples/surveys/nga-msna-2025.csv", export.toString()));
    List<String> before = sortedRows(Tables.INDICATOR_VALUES, "run_id", SURVEY);
    List<String> before2024 =
        sortedRows(
            Tables.INDICATOR_VALUES, "run_id", SURVEY + " AND source_operation = 'nga-msna-2024'");
    assertThat(before2024).isNotEmpty();
    // loaded twice in a command that compiles (data-samples would run interpreted): first with
    // generated code, then, forced, interpreted, as any stage with less than
    // spark.stage-interpreted-below-mb to load runs (the ledger's lookup before it compiles);
    // the second load replaces the first
    Predicate<String> surveyWork =
        plan ->
            plan.contains(export.getFileName().toString()) || plan.contains("survey_households");
    assertThat(compilingIngest(manifest, "--set", "spark.stage-interpreted-below-mb=0"))
        .filteredOn(surveyWork)
        .anyMatch(PlanRecorder::compiles);
    assertThat(compilingIngest(manifest, "--force"))
        .filteredOn(surveyWork)
        .isNotEmpty()
        .noneMatch(PlanRecorder::compiles);
    Cli indicators;
    try (SparkSessions.Restore session = SparkTestSession.compiled()) {
      indicators = Cli.run(args("indicators", "--set", COMPILES));
    }
    assertThat(indicators.exitCode).as(indicators.err).isZero();
    assertThat(indicators.out).contains("surveys [nga-msna-2025] recomputed");
    List<String> incremental = sortedRows(Tables.INDICATOR_VALUES, "run_id", SURVEY);
    assertThat(incremental).isNotEqualTo(before);
    // the other survey's values are kept, and all of them come out as a full recomputation does
    assertThat(incremental).containsAll(before2024);
    // the trends of the households taken out (rows deleted, not only replaced) follow too
    Cli trends = Cli.run(args("trends"));
    assertThat(trends.exitCode).as(trends.err).isZero();
    assertThat(trends.out).contains("changed family-country-period groups) declared by the writes");
    assertForcedTrendsGiveTheSame();
    assertForcedRecomputationGivesTheSame(SURVEY, "surveys", "all surveys recomputed");
  }

  @Test
  @Order(14)
  void aNewProgrammeSheetOnlyRecomputesThePeriodsItsDatesReach() throws IOException {
    Path dir = Files.createDirectories(work.resolve("new-programmes"));
    List<String> lines = Files.readAllLines(Path.of("data-samples/programmes/3w-nga-2025.csv"));
    Files.write(
        dir.resolve("3w-nga-2026.csv"),
        List.of(
            lines.get(0),
            lines.get(1),
            "WFP,,Food Security,Cash for food,NG008,Borno,NG008020,2026-01-10,2026-03-31,90000,"
                + "400,Ongoing"));
    // the sheet's activity runs from 10 January to 31 March 2026: the months January to March,
    // the first quarter and the year 2026 of Nigeria are recomputed, the rest kept
    String recomputed =
        "country = 'NGA' AND period_start BETWEEN DATE'2026-01-01' AND DATE'2026-03-31'";
    String kept = PROGRAMME + " AND NOT (" + recomputed + ")";
    List<String> before = sortedRows(Tables.INDICATOR_VALUES, "run_id", kept);
    Cli ingest = Cli.run(args("ingest", "programmes", "--input", dir.toString()));
    assertThat(ingest.exitCode).as(ingest.err).isZero();
    Cli indicators = Cli.run(args("indicators"));
    assertThat(indicators.exitCode).as(indicators.err).isZero();
    assertThat(indicators.out)
        .contains(
            "countries [NGA] recomputed (years 2026-2026, periods holding 2026-01-10 to 2026-03-31)");
    // "written" counts the replaced cells, not the older rows the replaceWhere copied along
    long replaced =
        lh.read(Tables.INDICATOR_VALUES).where(PROGRAMME + " AND " + recomputed).count();
    assertThat(replaced).isPositive();
    assertThat(indicators.out).containsPattern("written +" + replaced + " ");
    assertThat(sortedRows(Tables.INDICATOR_VALUES, "run_id", kept)).isEqualTo(before);
    Row march =
        lh.read(Tables.INDICATOR_VALUES)
            .where(
                PROGRAMME
                    + " AND indicator_id = 'people_reached' AND admin_code = 'NG008'"
                    + " AND period_type = 'month' AND period_start = DATE'2026-03-01'")
            .first();
    assertThat(march.<Double>getAs("value")).isGreaterThanOrEqualTo(400.0);
    assertForcedRecomputationGivesTheSame(PROGRAMME, "programmes", "all programmes recomputed");
    // the trends find the groups those writes changed from what the writes declared
    Cli trends = Cli.run(args("trends"));
    assertThat(trends.exitCode).as(trends.err).isZero();
    assertThat(trends.out).contains("groups) declared by the writes");
    // a correction made by hand declares nothing: the trends read the rows it replaced (the forced
    // run after it checks both trends runs: a group the first got wrong and the second did not
    // touch would differ from it too)
    String corrected = TRACKING + " AND country = 'TCD' AND period_type = 'year'";
    List<Row> rows = lh.read(Tables.INDICATOR_VALUES).where(corrected).collectAsList();
    assertThat(rows).isNotEmpty();
    lh.overwrite(
        lh.spark()
            .createDataFrame(rows, Tables.INDICATOR_VALUES.schema())
            .withColumn("value", col("value").multiply(2)),
        Tables.INDICATOR_VALUES,
        corrected);
    Cli afterCorrection = Cli.run(args("trends"));
    assertThat(afterCorrection.exitCode).as(afterCorrection.err).isZero();
    assertThat(afterCorrection.out).contains("groups) found in the replaced rows");
    assertForcedTrendsGiveTheSame();
  }

  /**
   * A sample activity downloaded again with Chad's activities, in a newer version (Kanem only, the
   * first half of 2025): that version alone counts, as its file loaded last (its name sorts before
   * the samples'), and the incremental run, whose changed rows are in Chad, recomputes Nigeria's
   * cells the older version reached too.
   */
  @Test
  @Order(15)
  void anActivityInASecondFileCountsOnceInItsLatestVersion() throws IOException {
    String xml = Files.readString(Path.of("data-samples/programmes/iati-activities.xml"));
    int start = xml.indexOf("<iati-activity ");
    String first = xml.substring(start, xml.indexOf("</iati-activity>", start));
    assertThat(first).contains("<iati-identifier>XM-DAC-41114-PRJ-000201</iati-identifier>");
    String again =
        first.substring(0, first.indexOf("<activity-status"))
            + "<activity-date type=\"1\" iso-date=\"2025-01-01\"/>"
            + "<activity-date type=\"3\" iso-date=\"2025-06-30\"/>"
            + "<recipient-country code=\"TD\"/>"
            + "<location><administrative vocabulary=\"G1\" code=\"TCD06\"/></location>"
            + "<budget><period-start iso-date=\"2025-01-01\"/><period-end iso-date=\"2025-06-30\"/>"
            + "<value currency=\"USD\" value-date=\"2025-01-01\">600000</value></budget>"
            + "</iati-activity>";
    Path dir = Files.createDirectories(work.resolve("tcd-download"));
    Files.writeString(
        dir.resolve("iati-a-tcd.xml"),
        "<?xml version=\"1.0\"?>\n<iati-activities version=\"2.03\">\n"
            + again
            + "\n</iati-activities>\n");
    Cli ingest = Cli.run(args("ingest", "programmes", "--input", dir.toString()));
    assertThat(ingest.exitCode).as(ingest.err).isZero();
    Cli indicators = Cli.run(args("indicators", "programmes"));
    assertThat(indicators.exitCode).as(indicators.err).isZero();
    assertThat(indicators.out).contains("countries [NGA, TCD] recomputed (years 2024-2025");
    Row kanem =
        lh.read(Tables.INDICATOR_VALUES)
            .where(
                PROGRAMME
                    + " AND indicator_id = 'budget_usd' AND admin_code = 'TCD06'"
                    + " AND period_type = 'year' AND period_start = DATE'2025-01-01'")
            .first();
    assertThat(kanem.<Double>getAs("value")).isGreaterThanOrEqualTo(600000.0);
    assertForcedRecomputationGivesTheSame(PROGRAMME, "programmes", "all programmes recomputed");
  }

  /**
   * A backfill with changed settings (`indicators --from 2025-01 --to 2025-06`) recomputes the
   * window's periods in every country as a forced run with those settings would, applies a change
   * loaded meanwhile wherever it reaches, and keeps every other period (run ids included).
   * (TrackingBackfillTest checks that the trends follow a backfill and that a repeated one changes
   * nothing.)
   */
  @Test
  @Order(16)
  void aBackfillRecomputesItsWindowUnderNewSettingsAndKeepsTheRest() throws IOException {
    // one more month for Mamdi, loaded but not computed yet: Chad's rows changed
    Path june = work.resolve("june.csv");
    List<String> lines = Files.readAllLines(Path.of("data-samples/tracking/tcd-lac-export.csv"));
    String row =
        "499002,Chad - Lac,Chad,TCD,Lac,TCD07,Mamdi,TCD0701,2,6000,,2026-06-10,2026,6,28,Conflict,,,,,BA,Active";
    Files.write(june, List.of(lines.get(0), row));
    Cli ingest = Cli.run(args("ingest", "tracking", "--input", june.toString()));
    assertThat(ingest.exitCode).as(ingest.err).isZero();
    String[] backfill = {
      "indicators",
      "--from",
      "2025-01",
      "--to",
      "2025-06",
      "--set",
      "tracking.stale-after-months=1",
      "--set",
      "suppression.min-respondents=25"
    };
    // each country's tracking periods from the one holding its latest report before the window
    // (Nigeria 2024-12-25, Chad 2024-12-10) on: Nigeria's to the window's end, Chad's (changed)
    // to its latest; the 2025 survey; the programme periods that overlap the window
    String recomputed =
        "(("
            + TRACKING
            + " AND country = 'NGA' AND period_end >= DATE'2024-12-25'"
            + " AND period_start <= DATE'2025-06-30')"
            + " OR ("
            + TRACKING
            + " AND country = 'TCD' AND period_end >= DATE'2024-12-10')"
            + " OR (source_family IN ('survey', 'programme')"
            + " AND period_end >= DATE'2025-01-01' AND period_start <= DATE'2025-06-30'))";
    String kept = "source_family <> 'combined' AND NOT " + recomputed;
    List<String> keptRows = sortedRows(Tables.INDICATOR_VALUES, "no such column", kept);
    List<String> keptValues = sortedRows(Tables.INDICATOR_VALUES, "run_id", kept);

    Cli first = Cli.run(args(backfill));
    assertThat(first.exitCode).as(first.err).isZero();
    assertThat(first.out)
        .contains(
            "countries [NGA, TCD] recomputed (from: NGA the periods of 2024-12-25 to 2025-06-30,"
                + " TCD the periods of 2024-12-10)")
        .contains("surveys [nga-msna-2025] recomputed")
        .contains("(years 2025-2025, periods holding 2025-01-01 to 2025-06-30)");
    assertThat(sortedRows(Tables.INDICATOR_VALUES, "no such column", kept)).isEqualTo(keptRows);
    assertThat(
            lh.read(Tables.INDICATOR_VALUES)
                .where(
                    TRACKING
                        + " AND admin_code = 'TCD0701' AND indicator_id = 'idp_stock'"
                        + " AND period_type = 'month' AND period_start = DATE'2026-06-01'")
                .first()
                .<Double>getAs("value"))
        .isEqualTo(6000.0);
    // the recomputed periods are what a forced run with the new settings computes; outside them
    // that run changes values the backfill kept
    long backfilled = lh.version(Tables.INDICATOR_VALUES);
    String[] forced = {
      "indicators",
      "--force",
      "--set",
      "tracking.stale-after-months=1",
      "--set",
      "suppression.min-respondents=25"
    };
    Cli full = Cli.run(args(forced));
    assertThat(full.exitCode).as(full.err).isZero();
    assertThat(full.out).contains("all countries recomputed").contains("all surveys recomputed");
    SameRows.assertSame(
        lh.readAt(Tables.INDICATOR_VALUES, backfilled).where(recomputed),
        lh.read(Tables.INDICATOR_VALUES).where(recomputed),
        Tables.INDICATOR_VALUES.key(),
        "run_id");
    assertThat(sortedRows(Tables.INDICATOR_VALUES, "run_id", kept)).isNotEqualTo(keptValues);

    // an open end: the programme periods from March 2026 on, in every country; the rest kept (a
    // forced run's values for the periods a programme backfill recomputes are checked above)
    String beforeMarch = PROGRAMME + " AND period_end < DATE'2026-03-01'";
    List<String> earlier = sortedRows(Tables.INDICATOR_VALUES, "no such column", beforeMarch);
    Cli open = Cli.run(args("indicators", "programmes", "--from", "2026-03"));
    assertThat(open.exitCode).as(open.err).isZero();
    assertThat(open.out)
        .contains("countries [NGA, TCD] recomputed (periods holding 2026-03-01 to the last day)");
    assertThat(sortedRows(Tables.INDICATOR_VALUES, "no such column", beforeMarch))
        .isEqualTo(earlier);
  }

  /** Over data-samples' few MB a command runs interpreted unless told otherwise. */
  private static final String COMPILES = "spark.interpreted-below-mb=0";

  /** What a command printed and the plans of the queries it ran. */
  private record Recorded(Cli cli, List<String> plans) {}

  /**
   * Runs a command that compiles (unless told otherwise; the test session's own queries run
   * interpreted), recording its plans.
   */
  private static Recorded compiling(String... command) {
    String[] all =
        Stream.concat(Stream.of(command), Stream.of("--set", COMPILES)).toArray(String[]::new);
    try (SparkSessions.Restore session = SparkTestSession.compiled();
        PlanRecorder plans = PlanRecorder.start(lh.spark())) {
      Cli cli = Cli.run(args(all));
      assertThat(cli.exitCode).as(cli.err).isZero();
      return new Recorded(cli, plans.plans());
    }
  }

  /** Reloads data-samples' Lac export with `ingest tracking --force`, recording its plans. */
  private static List<String> forcedTrackingReload(String... more) {
    String[] reload = {
      "ingest", "tracking", "--input", "data-samples/tracking/tcd-lac-export.csv", "--force"
    };
    return compiling(Stream.concat(Stream.of(reload), Stream.of(more)).toArray(String[]::new))
        .plans();
  }

  /** Loads one survey with `ingest surveys`, recording its plans. */
  private static List<String> compilingIngest(Path manifest, String... more) {
    String[] load = {"ingest", "surveys", "--manifests", manifest.toString()};
    Recorded r = compiling(Stream.concat(Stream.of(load), Stream.of(more)).toArray(String[]::new));
    assertThat(r.cli().out).contains("1 survey(s) loaded");
    return r.plans();
  }

  /**
   * Runs a command whose queries, every stage's, compile generated code, as they do on data above
   * spark.interpreted-below-mb: the forced runs below compare its rows with those the interpreted
   * incremental runs wrote, which checks both ways of running on the samples' data.
   */
  private static Cli compiledRun(String... command) {
    String[] all =
        Stream.concat(
                Stream.of(command),
                Stream.of("--set", COMPILES, "--set", "spark.stage-interpreted-below-mb=0"))
            .toArray(String[]::new);
    try (SparkSessions.Restore session = SparkTestSession.compiled()) {
      return Cli.run(args(all));
    }
  }

  /**
   * The family's indicator values as they are now (after an incremental run, interpreted) equal
   * what `indicators FAMILY --force` computes from everything, compiled.
   */
  private static void assertForcedRecomputationGivesTheSame(
      String family, String cliFamily, String message) {
    long version = lh.version(Tables.INDICATOR_VALUES);
    Cli full = compiledRun("indicators", cliFamily, "--force");
    assertThat(full.exitCode).as(full.err).isZero();
    assertThat(full.out).contains(message);
    SameRows.assertSame(
        lh.readAt(Tables.INDICATOR_VALUES, version).where(family),
        lh.read(Tables.INDICATOR_VALUES).where(family),
        Tables.INDICATOR_VALUES.key(),
        "run_id");
  }

  /**
   * The trend tables as they are now (after an incremental run, interpreted) equal what `trends
   * --force` computes from every series, compiled.
   */
  private static void assertForcedTrendsGiveTheSame() {
    long points = lh.version(Tables.INDICATOR_TRENDS);
    long series = lh.version(Tables.INDICATOR_TREND_SERIES);
    Cli full = compiledRun("trends", "--force");
    assertThat(full.exitCode).as(full.err).isZero();
    assertThat(full.out).contains("(all series)");
    for (var table :
        Map.of(Tables.INDICATOR_TRENDS, points, Tables.INDICATOR_TREND_SERIES, series).entrySet()) {
      SameRows.assertSame(
          lh.readAt(table.getKey(), table.getValue()),
          lh.read(table.getKey()),
          table.getKey().key(),
          "run_id");
    }
  }

  private static List<String> ids() {
    return lh
        .read(Tables.SURVEY_HOUSEHOLDS)
        .select("household_id")
        .orderBy("household_id")
        .collectAsList()
        .stream()
        .map(r -> r.getString(0))
        .toList();
  }

  /**
   * The samples' report and published copy agree with the gold tables: the report's headline stock
   * with a sum over regional_summary, the published tables' rows with the lakehouse's, no value
   * behind a suppressed cell and no personal data in the database.
   */
  @Test
  @Order(5)
  void reportAndPublishedCopyAgreeWithTheGoldTables() throws Exception {
    Path folder = work.resolve("report-2025");
    Cli report = Cli.run(args("report", "--year", "2025", "--out", folder.toString()));
    assertThat(report.exitCode).as(report.err).isZero();
    double stock =
        lh.read(Tables.REGIONAL_SUMMARY)
            .where("admin_level = 0 AND year = 2025")
            .agg(sum("idp_stock"))
            .first()
            .getDouble(0);
    assertThat(Files.readString(folder.resolve("index.html")))
        .contains(
            "<div class=\"value\">" + String.format(java.util.Locale.ROOT, "%,.0f", stock) + "<");
    long countries =
        lh.read(Tables.REGIONAL_SUMMARY).where("admin_level = 0 AND year = 2025").count();
    assertThat(Files.readAllLines(folder.resolve("data/countries.csv")))
        .hasSize(1 + (int) countries);

    try (PostgresTarget pg = PostgresTarget.start()) {
      List<String> publish = new java.util.ArrayList<>(List.of(args()));
      publish.addAll(List.of(pg.settings()));
      publish.add("publish");
      Cli published = Cli.run(publish.toArray(new String[0]));
      assertThat(published.exitCode).as(published.err).isZero();
      String phone = "[+][0-9]{1,3}[ .-]?[0-9]{2,4}[ .-]?[0-9]{3,4}[ .-]?[0-9]{3,4}";
      String email = "[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+[.][A-Za-z]{2,}";
      try (java.sql.Connection c = pg.connect();
          java.sql.Statement st = c.createStatement()) {
        for (TableSpec t : org.idsolutions.pipeline.publish.PublishStage.TABLES) {
          String table = "solutions." + t.name();
          assertThat(count(st, "SELECT count(*) FROM " + table))
              .as(table)
              .isEqualTo(lh.read(t).count());
          assertThat(
                  count(
                      st,
                      "SELECT count(*) FROM "
                          + table
                          + " r WHERE r::text ~ '"
                          + phone
                          + "' OR r::text ~ '"
                          + email
                          + "'"))
              .as(table + " rows that look like personal data")
              .isZero();
        }
        long suppressed = lh.read(Tables.INDICATOR_VALUES).where("suppressed").count();
        assertThat(count(st, "SELECT count(*) FROM solutions.indicator_values WHERE suppressed"))
            .isEqualTo(suppressed);
        assertThat(
                count(
                    st,
                    "SELECT count(*) FROM solutions.indicator_values WHERE suppressed AND"
                        + " (value IS NOT NULL OR se IS NOT NULL OR ci_low IS NOT NULL"
                        + " OR ci_high IS NOT NULL)"))
            .isZero();
      }
    }
  }

  private static long count(java.sql.Statement st, String sql) throws java.sql.SQLException {
    try (java.sql.ResultSet r = st.executeQuery(sql)) {
      r.next();
      return r.getLong(1);
    }
  }

  @Test
  @Order(6)
  void messySamplesAreMatchedWithTheirMethodKept() {
    assertThat(
            lh
                .read(Tables.TRACKING_COUNTS)
                .select("match_method")
                .distinct()
                .collectAsList()
                .stream()
                .map(r -> r.getString(0)))
        .contains("exact", "pcode_format", "name");
    assertThat(
            lh.read(Tables.TRACKING_COUNTS)
                .where("admin_pcode = 'TCD0704' AND match_method = 'pcode_format'")
                .count())
        .isPositive();
  }

  @Test
  @Order(7)
  void queryPrintsCsvWithHeader() {
    Cli q =
        Cli.run(
            args(
                "query",
                "--format",
                "csv",
                "SELECT * FROM indicators.indicator_values WHERE indicator_id='idp_stock'"));
    assertThat(q.exitCode).as(q.err).isZero();
    List<String> lines = q.out.lines().toList();
    assertThat(lines.get(0)).startsWith("source_family,country,admin_level,admin_code");
    assertThat(lines.size() - 1)
        .isEqualTo(lh.read(Tables.INDICATOR_VALUES).where("indicator_id='idp_stock'").count());
    assertThat(lines.get(1)).startsWith("tracking,");
  }

  @Test
  @Order(8)
  void secondIdenticalRunChangesNothing() {
    Map<String, Long> before = dataVersions();
    long conformed = lh.read(Tables.TRACKING_COUNTS).count();
    long values = lh.read(Tables.INDICATOR_VALUES).count();
    Cli again = Cli.run(args("run"));
    assertThat(again.exitCode).as(again.err).isZero();
    assertThat(again.out)
        .contains("ingest-tracking        skipped")
        .contains("ingest-surveys         skipped")
        .contains("ingest-programmes      skipped")
        .contains("indicators-tracking    skipped")
        .contains("indicators-surveys     skipped")
        .contains("indicators-programmes  skipped")
        .contains("summary-and-trends     skipped");
    assertThat(dataVersions()).isEqualTo(before);
    assertThat(lh.read(Tables.TRACKING_COUNTS).count()).isEqualTo(conformed);
    assertThat(lh.read(Tables.INDICATOR_VALUES).count()).isEqualTo(values);
  }

  @Test
  @Order(9)
  void forcedReloadOfOneFileLeavesTablesAsIfLoadedOnce() {
    long raw = lh.read(Tables.RAW_TRACKING).count();
    List<String> conformedBefore = sortedRows(Tables.TRACKING_COUNTS, "load_run_id");
    List<String> valuesBefore = sortedRows(Tables.INDICATOR_VALUES, "run_id");
    // reloaded twice in a command that compiles: with the stage limit at 0 the load's queries
    // compile; with the default, a file this small loads interpreted (change 62)
    Predicate<String> fileWork = plan -> plan.contains("tcd-lac-export.csv");
    assertThat(forcedTrackingReload("--set", "spark.stage-interpreted-below-mb=0"))
        .filteredOn(fileWork)
        .anyMatch(PlanRecorder::compiles);
    assertThat(forcedTrackingReload())
        .filteredOn(fileWork)
        .isNotEmpty()
        .noneMatch(PlanRecorder::compiles);
    assertThat(lh.read(Tables.RAW_TRACKING).count()).isEqualTo(raw);
    assertThat(sortedRows(Tables.TRACKING_COUNTS, "load_run_id")).isEqualTo(conformedBefore);
    Cli indicators = Cli.run(args("indicators"));
    assertThat(indicators.out).contains("countries [TCD] recomputed");
    assertThat(sortedRows(Tables.INDICATOR_VALUES, "run_id")).isEqualTo(valuesBefore);
  }

  @Test
  @Order(10)
  void aNewFileOnlyRecomputesItsCountry() throws IOException {
    Path extra = work.resolve("extra.csv");
    List<String> lines = Files.readAllLines(Path.of("data-samples/tracking/tcd-lac-export.csv"));
    // one more month for Mamdi: round 27 in May 2026, 5000 IDPs
    String header = lines.get(0);
    String row =
        "499001,Chad - Lac,Chad,TCD,Lac,TCD07,Mamdi,TCD0701,2,5000,,2026-05-10,2026,5,27,Conflict,,,,,BA,Active";
    Files.write(extra, List.of(header, row));
    // Chad's latest report before it, L, is of 2026-04-10: the months and the quarter of 2026
    // that end before L cannot change and keep their rows (run ids included)
    LocalDate l =
        lh.read(Tables.TRACKING_COUNTS)
            .where("country_code = 'TCD' AND reporting_date < DATE'2026-05-10'")
            .agg(max("reporting_date"))
            .first()
            .getDate(0)
            .toLocalDate();
    assertThat(l).isEqualTo(LocalDate.of(2026, 4, 10));
    String endedBeforeL =
        TRACKING
            + " AND country = 'TCD' AND period_start >= DATE'2026-01-01' AND"
            + " ((period_type = 'month' AND period_start < DATE'2026-04-01')"
            + " OR (period_type = 'quarter' AND period_start < DATE'2026-04-01'))";
    List<String> keptWithRunIds =
        sortedRows(Tables.INDICATOR_VALUES, "no such column", endedBeforeL);
    assertThat(keptWithRunIds).isNotEmpty();
    // the trends, first brought up to date with the previous test's indicators: Chad's tracking
    // points before the first period the values replaced, and every other country's tracking
    // points and series, keep their rows (run ids included)
    Cli trends = Cli.run(args("trends"));
    assertThat(trends.exitCode).as(trends.err).isZero();
    String trendsKept =
        TRACKING
            + " AND (country <> 'TCD' OR period_start < DATE'2026-01-01'"
            + " OR (period_type <> 'year' AND period_start < DATE'2026-04-01'))";
    List<String> pointsKept = sortedRows(Tables.INDICATOR_TRENDS, "no such column", trendsKept);
    List<String> seriesKept =
        sortedRows(
            Tables.INDICATOR_TREND_SERIES, "no such column", TRACKING + " AND country <> 'TCD'");
    assertThat(pointsKept).isNotEmpty();
    assertThat(seriesKept).isNotEmpty();
    Cli ingest = Cli.run(args("run", "--set", "inputs.tracking=" + extra));
    assertThat(ingest.exitCode).as(ingest.err).isZero();
    assertThat(ingest.out).contains("countries [TCD] recomputed");
    assertThat(ingest.out).contains("changed family-country-period groups) declared by the writes");
    // Chad's periods that hold L were in files of their own (TrackingIndicators.fromStocks): the
    // replaceWhere of those periods and later ones rewrote whole files and copied no kept row
    Row trackingWrite =
        lh.delta(Tables.INDICATOR_VALUES)
            .history()
            .where("operationParameters.predicate LIKE '%tracking%TCD%'")
            .orderBy(col("version").desc())
            .first();
    assertThat(
            trackingWrite.<String, String>getJavaMap(trackingWrite.fieldIndex("operationMetrics")))
        .containsEntry("numCopiedRows", "0")
        .hasEntrySatisfying("numOutputRows", n -> assertThat(Long.parseLong(n)).isPositive());
    // so were Chad's latest trend points, written by the trends run above
    // (IndicatorTrends.latestApart): the points' replaceWhere copied no kept point either
    Row pointsWrite = lh.delta(Tables.INDICATOR_TRENDS).history(1).first();
    assertThat(pointsWrite.<String, String>getJavaMap(pointsWrite.fieldIndex("operationMetrics")))
        .containsEntry("numCopiedRows", "0")
        .hasEntrySatisfying("numOutputRows", n -> assertThat(Long.parseLong(n)).isPositive());
    assertThat(sortedRows(Tables.INDICATOR_TRENDS, "no such column", trendsKept))
        .isEqualTo(pointsKept);
    assertThat(
            sortedRows(
                Tables.INDICATOR_TREND_SERIES,
                "no such column",
                TRACKING + " AND country <> 'TCD'"))
        .isEqualTo(seriesKept);
    assertForcedTrendsGiveTheSame();
    Row may =
        lh.read(Tables.INDICATOR_VALUES)
            .where(
                "indicator_id = 'idp_stock' AND admin_code = 'TCD0701' AND period_type = 'month'"
                    + " AND period_start = DATE'2026-05-01'")
            .first();
    assertThat(may.<Double>getAs("value")).isEqualTo(5000.0);
    // only the periods the new report can reach were recomputed, and they came out as a full
    // recomputation of every country does
    assertThat(ingest.out).contains("(from: TCD the periods of 2026-04-10)");
    assertThat(sortedRows(Tables.INDICATOR_VALUES, "no such column", endedBeforeL))
        .isEqualTo(keptWithRunIds);
    String newRun = may.getAs("run_id");
    assertThat(
            lh.read(Tables.INDICATOR_VALUES)
                .where(
                    TRACKING
                        + " AND country = 'TCD' AND period_start >= DATE'2026-04-01'"
                        + " AND period_type = 'month'")
                .select("run_id")
                .distinct()
                .collectAsList())
        .extracting(r -> r.getString(0))
        .containsExactly(newRun);
    List<String> incremental = sortedRows(Tables.INDICATOR_VALUES, "run_id", TRACKING);
    Cli full = Cli.run(args("indicators", "tracking", "--force"));
    assertThat(full.exitCode).as(full.err).isZero();
    assertThat(full.out).contains("all countries recomputed").doesNotContain("indicators-surveys");
    assertThat(sortedRows(Tables.INDICATOR_VALUES, "run_id", TRACKING))
        .containsExactlyInAnyOrderElementsOf(incremental);
  }

  @Test
  @Order(11)
  void statusShowsTablesAndRuns() {
    Cli status = Cli.run(args("status"));
    assertThat(status.exitCode).isZero();
    assertThat(status.out).contains("conformed.tracking_counts").contains("ingest-tracking");
    for (TableSpec t : Tables.ALL) {
      assertThat(status.out).contains(t.qualifiedName());
    }
  }

  /**
   * A lakehouse from before the series kept their points: the next `trends` recomputes every series
   * (it is not skipped though indicator_values did not change) and fills the column.
   */
  @Test
  @Order(12)
  void seriesWrittenWithoutTheirPointsAreRecomputedInFull() {
    long before = lh.version(Tables.INDICATOR_TREND_SERIES);
    lh.read(Tables.INDICATOR_TREND_SERIES)
        .drop("points")
        .write()
        .format("delta")
        .mode("overwrite")
        .option("overwriteSchema", "true")
        .save(lh.path(Tables.INDICATOR_TREND_SERIES));
    Cli trends = Cli.run(args("trends"));
    assertThat(trends.exitCode).as(trends.err).isZero();
    assertThat(trends.out).contains("(all series)");
    SameRows.assertSame(
        lh.read(Tables.INDICATOR_TREND_SERIES),
        lh.readAt(Tables.INDICATOR_TREND_SERIES, before),
        Tables.INDICATOR_TREND_SERIES.key(),
        "run_id");
    assertThat(lh.read(Tables.INDICATOR_TREND_SERIES).where("points IS NULL").count()).isZero();
  }

  private static final String TRACKING = "source_family = 'tracking'";
  private static final String SURVEY = "source_family = 'survey'";
  private static final String PROGRAMME = "source_family = 'programme'";

  private static List<String> sortedRows(TableSpec table, String runColumn) {
    return sortedRows(table, runColumn, "true");
  }

  private static List<String> sortedRows(TableSpec table, String runColumn, String condition) {
    return lh.read(table).where(condition).drop(runColumn).collectAsList().stream()
        .map(Row::toString)
        .sorted()
        .toList();
  }
}
