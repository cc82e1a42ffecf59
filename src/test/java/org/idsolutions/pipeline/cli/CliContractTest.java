package org.idsolutions.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.idsolutions.pipeline.lakehouse.DataDictionary;
import org.idsolutions.pipeline.lakehouse.HxlTags;
import org.idsolutions.pipeline.lakehouse.Lakehouse;
import org.idsolutions.pipeline.lakehouse.TableSpec;
import org.idsolutions.pipeline.lakehouse.Tables;
import org.idsolutions.pipeline.support.Cli;
import org.idsolutions.pipeline.support.SparkTestSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Exit codes, one-line errors and "no table changed" for bad files, bad config and refused
 * statements.
 */
class CliContractTest {
  @TempDir static Path work;
  static Path lakehouseDir;
  static Path noSurveys;
  static Lakehouse lh;
  static final String HEADER =
      "id,operation,admin0Pcode,admin1Pcode,admin2Pcode,adminLevel,numPresentIdpInd,reportingDate,roundNumber";

  static String[] args(String... command) {
    String[] base = {
      "--conf",
      "src/test/resources/test.yaml",
      "--lakehouse",
      lakehouseDir.toString(),
      "--set",
      "inputs.surveys=" + noSurveys,
      "--set",
      "inputs.programmes=" + noSurveys
    };
    String[] all = new String[base.length + command.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(command, 0, all, base.length, command.length);
    return all;
  }

  @BeforeAll
  static void smallLakehouse() throws IOException {
    SparkSession spark = SparkTestSession.get();
    lakehouseDir = work.resolve("lakehouse");
    noSurveys = Files.createDirectories(work.resolve("no-surveys"));
    lh = new Lakehouse(spark, lakehouseDir.toString());
    Path good = work.resolve("good.csv");
    Files.write(
        good,
        List.of(
            HEADER,
            "1,NE,NGA,NG008,NG008021,2,100,2024-01-15,1", // Maiduguri
            "2,NE,NGA,NG008,NG008013,2,50,2024-01-15,1")); // Jere
    Cli first = Cli.run(args("run", "--set", "inputs.tracking=" + good));
    assertThat(first.exitCode).as(first.err).isZero();
  }

  private static Map<String, Long> versions() {
    return lh.versions(Tables.ALL.stream().filter(t -> t != Tables.PIPELINE_RUNS).toList());
  }

  private static Cli ingest(Path input) {
    return Cli.run(args("ingest", "tracking", "--input", input.toString()));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "run --from 2025-13",
        "indicators --to 2025-02-30",
        "indicators --from 25",
        "run --from 2025-07 --to 2025-06",
        "indicators --force --from 2025",
        "ingest tracking --from 2025"
      })
  void aBadBackfillWindowIsAUsageErrorAndChangesNothing(String command) {
    Map<String, Long> before = versions();
    Cli r = Cli.run(args(command.split(" ")));
    assertThat(r.exitCode).as(r.out + r.err).isEqualTo(2);
    assertThat(r.err.strip().lines().findFirst().orElse(""))
        .containsAnyOf(
            "is not a date: give YYYY, YYYY-MM or YYYY-MM-DD",
            "is after --to 2025-06-30: give --from <= --to",
            "give either --force or --from/--to, not both",
            "Unknown option");
    assertThat(versions()).isEqualTo(before);
  }

  @Test
  void aBackfillWithNothingInItsWindowSkipsAndNamesTheWindowInTheRunLog() {
    Cli r = Cli.run(args("indicators", "--from", "2019", "--to", "2019-06"));
    assertThat(r.exitCode).as(r.err).isZero();
    // the tracking indicators recompute Nigeria's periods up to the window's end: none there
    assertThat(r.out)
        .contains("countries [NGA] recomputed (from: NGA all to 2019-06-30)")
        .containsPattern("indicators-tracking +succeeded .* written +0 ");
    Row logged =
        lh.read(Tables.PIPELINE_RUNS)
            .where("stage = 'indicators-tracking'")
            .orderBy(functions.col("started_at").desc())
            .first();
    assertThat(logged.<String>getAs("command"))
        .isEqualTo("indicators --from 2019-01-01 --to 2019-06-30");
  }

  @Test
  void missingInputIsAUsageErrorAndChangesNothing() {
    Map<String, Long> before = versions();
    Cli r = ingest(work.resolve("nope.csv"));
    assertThat(r.exitCode).isEqualTo(2);
    assertThat(r.err.lines().toList()).hasSize(1);
    assertThat(r.err).contains("nope.csv does not exist");
    assertThat(versions()).isEqualTo(before);
  }

  @Test
  void fileThatIsNeitherJsonNorCsvIsRefused() throws IOException {
    Path xlsx = work.resolve("tracking.xlsx");
    Files.write(xlsx, new byte[] {0x50, 0x4b, 0x03, 0x04, 0, 0, 1, 2});
    Map<String, Long> before = versions();
    Cli r = ingest(xlsx);
    assertThat(r.exitCode).isEqualTo(2);
    assertThat(r.err).contains("tracking.xlsx is neither JSON nor CSV");
    assertThat(versions()).isEqualTo(before);
  }

  @Test
  void csvWithoutRequiredColumnsNamesThem() throws IOException {
    Path csv = work.resolve("short.csv");
    Files.write(csv, List.of("id,operation,admin0Pcode", "1,NE,NGA"));
    Map<String, Long> before = versions();
    Cli r = ingest(csv);
    assertThat(r.exitCode).isEqualTo(1);
    assertThat(r.err.strip())
        .contains(
            "short.csv lacks required columns [adminLevel, numPresentIdpInd, reportingDate, roundNumber]");
    assertThat(versions()).isEqualTo(before);
  }

  @Test
  void malformedJsonIsRefusedBeforeAnyWrite() throws IOException {
    Path bad = work.resolve("bad.json");
    Files.writeString(bad, "{\"result\": [ {\"id\": 1, \"operation\": \"NE\" ");
    Map<String, Long> before = versions();
    Cli r = ingest(bad);
    assertThat(r.exitCode).isEqualTo(1);
    assertThat(r.err).contains("bad.json cannot be parsed");
    assertThat(versions()).isEqualTo(before);
  }

  @Test
  void failedApiResponseIsRefused() throws IOException {
    Path failed = work.resolve("failed.json");
    Files.writeString(
        failed, "{\"isSuccess\": false, \"message\": \"quota exceeded\", \"result\": []}");
    Cli r = ingest(failed);
    assertThat(r.exitCode).isEqualTo(1);
    assertThat(r.err).contains("isSuccess=false (quota exceeded)");
  }

  @Test
  void badConfigKeyIsAUsageErrorNamingTheKey() throws IOException {
    Path conf = work.resolve("bad.yaml");
    Files.writeString(conf, "lakehouse:\n  root: /tmp/x\ntracking:\n  stale_after: 2\n");
    Cli r = Cli.run("--conf", conf.toString(), "status");
    assertThat(r.exitCode).isEqualTo(2);
    assertThat(r.err).contains("unknown config key 'tracking.stale_after'");
    Cli set = Cli.run(args("status", "--set", "tracking.nope=1"));
    assertThat(set.exitCode).isEqualTo(2);
    assertThat(set.err).contains("'tracking.nope'");
  }

  @Test
  void setBeforeAndAfterTheCommandBothApply() {
    // the bad value before the command is still seen when another --set follows the command
    Cli before =
        Cli.run(
            "--set",
            "tracking.admin2-tolerance=2",
            "status",
            "--set",
            "tracking.stale-after-months=6");
    assertThat(before.exitCode).isEqualTo(2);
    assertThat(before.err).contains("tracking.admin2-tolerance");
    Cli after =
        Cli.run(
            "--set",
            "tracking.stale-after-months=6",
            "status",
            "--set",
            "tracking.admin2-tolerance=2");
    assertThat(after.exitCode).isEqualTo(2);
    assertThat(after.err).contains("tracking.admin2-tolerance");
  }

  @Test
  void qualityGateFailsWithExit3AndKeepsTheRejectedRows() throws IOException {
    Path mostlyBad = work.resolve("mostly-bad.csv");
    Files.write(
        mostlyBad,
        List.of(
            HEADER,
            "1,NE,NGA,NG008,NG008021,2,-1,2024-02-15,2", // negative
            "2,NE,NGA,NG008,NG008021,2,x,2024-02-15,2", // not a number
            "3,NE,NGA,NG008,NG008013,2,70,2024-02-15,2")); // fine
    Cli r = ingest(mostlyBad);
    assertThat(r.exitCode).isEqualTo(3);
    assertThat(r.err).contains("66.7% of rows quarantined");
    assertThat(lh.read(Tables.QUARANTINE).where("source_file LIKE '%mostly-bad.csv'").count())
        .isEqualTo(2);
    assertThat(lh.read(Tables.TRACKING_COUNTS).where("source_file LIKE '%mostly-bad.csv'").count())
        .isZero();
    assertThat(
            lh.read(Tables.LOAD_FILES)
                .where("file_path LIKE '%mostly-bad.csv'")
                .first()
                .<String>getAs("status"))
        .isEqualTo("quality_gate_failed");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "DROP TABLE conformed.tracking_counts",
        "INSERT INTO conformed.tracking_counts SELECT * FROM conformed.tracking_counts",
        "CREATE TABLE x AS SELECT 1",
        "WITH t AS (SELECT 1) INSERT INTO conformed.tracking_counts SELECT * FROM t",
        "DELETE FROM conformed.tracking_counts",
        "/* comment */ UPDATE conformed.tracking_counts SET idp_individuals = 0"
      })
  void queryRefusesStatementsThatChangeAnything(String sql) {
    Map<String, Long> before = versions();
    long rows = lh.read(Tables.TRACKING_COUNTS).count();
    Cli r = Cli.run(args("query", sql));
    assertThat(r.exitCode).isEqualTo(2);
    assertThat(r.err).contains("only queries");
    assertThat(versions()).isEqualTo(before);
    assertThat(lh.read(Tables.TRACKING_COUNTS).count()).isEqualTo(rows);
  }

  @Test
  void queryPrintsATableAndJson() {
    Cli table =
        Cli.run(
            args(
                "query",
                "SELECT admin_pcode, idp_individuals FROM conformed.tracking_counts ORDER BY 1"));
    assertThat(table.exitCode).as(table.err).isZero();
    assertThat(table.out.lines().toList())
        .containsExactly(
            "admin_pcode | idp_individuals",
            "------------+----------------",
            "NG008013    | 50",
            "NG008021    | 100",
            "(2 rows)");
    Cli json =
        Cli.run(
            args(
                "query",
                "--format",
                "json",
                "SELECT admin_pcode FROM conformed.tracking_counts ORDER BY 1"));
    assertThat(json.out.lines().toList())
        .containsExactly("{\"admin_pcode\":\"NG008013\"}", "{\"admin_pcode\":\"NG008021\"}");
  }

  @Test
  void validateReportsRowsAndWritesNothing() throws IOException {
    Path fresh = work.resolve("never-created");
    Path csv = work.resolve("check.csv");
    Files.write(
        csv,
        List.of(
            HEADER,
            "1,NE,NGA,NG008,NG008021,2,100,2024-01-15,1", // fine
            "2,NE,NGA,NG008,NG008999,2,100,2024-01-15,1", // unknown unit
            "3,NE,NGA,NG008,NG008013,2,100,2024-01-15,1", // fine
            "4,NE,NGA,NG008,NG008013,2,100,2024-01-15,1", // fine
            "5,NE,NGA,NG008,NG008013,2,100,2024-01-15,1", // fine
            "6,NE,NGA,NG008,NG008013,2,100,2024-01-15,1")); // fine
    Cli r =
        Cli.run(
            "--conf",
            "src/test/resources/test.yaml",
            "--lakehouse",
            fresh.toString(),
            "validate",
            "--input",
            csv.toString());
    assertThat(r.exitCode).as(r.err).isZero();
    assertThat(r.out).contains("6 rows, 1 would be quarantined unknown_admin_unit=1");
    assertThat(Files.exists(fresh)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "run",
        "ingest",
        "indicators",
        "trends",
        "query",
        "export",
        "describe",
        "status",
        "validate",
        "generate",
        "bench",
        "maintain"
      })
  void everyCommandHasHelpWithAnExample(String command) {
    // picocli reports a help text it cannot format (a lone % in a description) on System.err
    PrintStream stderr = System.err;
    ByteArrayOutputStream warnings = new ByteArrayOutputStream();
    Cli r;
    try {
      System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
      r = Cli.run(command, "--help");
    } finally {
      System.setErr(stderr);
    }
    assertThat(r.exitCode).isZero();
    assertThat(r.out).contains("Usage:").contains("Example:").contains("jobs/pipeline");
    assertThat(warnings.toString(StandardCharsets.UTF_8)).doesNotContain("picocli WARN");
    Cli tracking = Cli.run("ingest", "tracking", "--help");
    assertThat(tracking.out).contains("Example:").contains("--input");
  }

  @Test
  void unknownOptionIsAUsageError() {
    Cli r = Cli.run("run", "--frobnicate");
    assertThat(r.exitCode).isEqualTo(2);
    Cli family = Cli.run("indicators", "refugees");
    assertThat(family.exitCode).isEqualTo(2);
    assertThat(family.err)
        .contains("unknown indicator family 'refugees': name tracking, surveys or programmes");
  }

  @Test
  void exportRoundTripsAndCarriesTheDocumentedHxlTags() throws IOException {
    Path csv = work.resolve("values.csv");
    Cli r =
        Cli.run(
            args(
                "export",
                "indicators.indicator_values",
                "--format",
                "csv",
                "--hxl",
                "--out",
                csv.toString()));
    assertThat(r.exitCode).as(r.err).isZero();
    List<String> lines = Files.readAllLines(csv);
    List<String> header = List.of(lines.get(0).split(","));
    List<String> tags = List.of(lines.get(1).split(","));
    assertThat(tags).isEqualTo(HxlTags.forColumns(header));
    assertThat(tags.get(header.indexOf("admin_code"))).isEqualTo("#adm+code");
    assertThat(tags.get(header.indexOf("value"))).isEqualTo("#indicator+value+num");
    // read back: same rows as the table (nested values were written as JSON)
    SparkSession spark = SparkTestSession.get();
    Dataset<Row> table = lh.read(Tables.INDICATOR_VALUES);
    Dataset<Row> back =
        spark
            .read()
            .option("header", true)
            .option("escape", "\"")
            .schema(csvSchema(table))
            .csv(csv.toString())
            .where("source_family != '#meta+source'");
    assertThat(sorted(back)).isEqualTo(sorted(asCsvTypes(table)));
    Cli refused =
        Cli.run(
            args("export", "conformed.tracking_counts", "--out", work.resolve("x.csv").toString()));
    assertThat(refused.exitCode).isEqualTo(2);
    assertThat(refused.err).contains("only indicators.indicator_values");
  }

  private static StructType csvSchema(Dataset<Row> table) {
    StructType s = new StructType();
    for (StructField f : table.schema().fields()) {
      boolean nested = f.dataType() instanceof ArrayType || f.dataType() instanceof MapType;
      s = s.add(f.name(), nested ? DataTypes.StringType : f.dataType());
    }
    return s;
  }

  private static Dataset<Row> asCsvTypes(Dataset<Row> table) {
    Column[] cols = new Column[table.columns().length];
    for (int i = 0; i < cols.length; i++) {
      StructField f = table.schema().fields()[i];
      boolean nested = f.dataType() instanceof ArrayType || f.dataType() instanceof MapType;
      cols[i] =
          (nested ? functions.to_json(functions.col(f.name())) : functions.col(f.name()))
              .as(f.name());
    }
    return table.select(cols);
  }

  private static List<String> sorted(Dataset<Row> df) {
    return df.collectAsList().stream().map(Row::toString).sorted().toList();
  }

  @Test
  void describePrintsTheDataDictionaryAndTheDocumentIsCurrent() throws IOException {
    Cli r = Cli.run("describe", "indicators.regional_summary");
    assertThat(r.exitCode).isZero();
    assertThat(r.out)
        .contains("grain: one row per (country, admin level, area, year)")
        .contains("solutions_index");
    for (TableSpec t : Tables.ALL) {
      if (t.layer().equals("indicators")) {
        for (StructField f : t.schema().fields()) {
          assertThat(f.getComment().isDefined()).as(t.qualifiedName() + "." + f.name()).isTrue();
        }
      }
    }
    assertThat(Files.readString(Path.of("docs/data-dictionary.md")))
        .isEqualTo(DataDictionary.markdown());
    assertThat(Cli.run("describe", "nope.table").exitCode).isEqualTo(2);
  }
}
