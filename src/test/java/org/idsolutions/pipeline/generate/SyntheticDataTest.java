package org.idsolutions.pipeline.generate;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.idsolutions.pipeline.bench.JvmSettings;
import org.idsolutions.pipeline.errors.PipelineException;
import org.idsolutions.pipeline.lakehouse.Lakehouse;
import org.idsolutions.pipeline.lakehouse.Tables;
import org.idsolutions.pipeline.support.Cli;
import org.idsolutions.pipeline.support.SparkTestSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Synthetic data at scale 0.01: generation is deterministic, and the pipeline recovers the ground
 * truth the generator wrote (tracking stock exactly, survey proportions inside their 95 % CIs, the
 * programme budget in full), on the base data and after the increment.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SyntheticDataTest {
  static final double SCALE = 0.01;
  static final long SEED = 11;
  @TempDir static Path work;
  static Path data;
  static SyntheticData.Summary summary;
  static Lakehouse lh;
  static SparkSession spark;

  /**
   * The bench run of the base data, against a faster baseline; its lakehouse is the one checked.
   */
  static Cli bench;

  static Path figures;
  static Path baseline;

  /**
   * Generates the data and runs the whole pipeline on it once, as `bench --full-only` against a
   * baseline it cannot meet: the truth is checked on that run's lakehouse, and the bench's report
   * and regression check on its output (one full run for both).
   */
  @BeforeAll
  static void generateAndRun() throws IOException {
    spark = SparkTestSession.get();
    data = work.resolve("data");
    summary = SyntheticData.generate(data, SCALE, SEED, Path.of("conf/countries.csv"));
    // a baseline of the same data in which the whole full run took 1 s and its tracking ingest
    // 0.5 s: this run is slower by far more than the tolerance and the 2 s slack
    baseline =
        Files.writeString(
            work.resolve("baseline.json"),
            "{\"scale\": "
                + SCALE
                + ", \"seed\": "
                + SEED
                + ", \"machine\": {\"classDataSharing\": \"writing-archive\", \"jvmOptions\":"
                + " [\"-Xmx1m\"]}"
                + ", \"stages\": [{\"phase\": \"full\", \"stage\": \"ingest-tracking\","
                + " \"seconds\": 0.5}], \"fullSeconds\": 1.0}");
    figures = work.resolve("bench.json");
    // its inputs and lakehouse, work/run/inputs and work/run/lakehouse, are those the increment
    // is added to
    bench =
        runBench(
            "run", "--full-only", "--json", figures.toString(), "--baseline", baseline.toString());
    // the run completed (the comparison comes after it) and every stage succeeded
    assertThat(bench.err).as(bench.err + bench.out).contains("performance regression: full ");
    assertThat(bench.out.split("\n"))
        .filteredOn(l -> l.startsWith("full ") && l.contains(" succeeded "))
        .hasSize(7);
    lh = new Lakehouse(spark, work.resolve("run/lakehouse").toString());
  }

  @Test
  @Order(1)
  void sizesFollowTheScale() {
    // 1 M tracking rows, 100 k households, 20 k activities per unit of scale (households and
    // activities have floors so that every survey cell and country has enough)
    assertThat(summary.trackingRows()).isBetween(8_000L, 12_500L);
    assertThat(summary.households()).isBetween(600L, 1_500L);
    assertThat(summary.activities()).isEqualTo(200L);
    assertThat(summary.trackingBadRows()).isPositive();
    assertThat(summary.surveyBadRows()).isPositive();
  }

  @Test
  @Order(1)
  void sameSeedWritesTheSameBytesAndAnotherSeedOtherData() throws IOException {
    Path again = work.resolve("again");
    Path other = work.resolve("other");
    SyntheticData.generate(again, SCALE, SEED, Path.of("conf/countries.csv"));
    SyntheticData.generate(other, SCALE, SEED + 1, Path.of("conf/countries.csv"));
    Map<String, String> first = contents(data);
    Map<String, String> second = contents(again);
    assertThat(second.keySet()).isEqualTo(first.keySet());
    for (String file : first.keySet()) {
      if (!file.equals("generated.json")) { // it holds the seconds generation took
        assertThat(second.get(file)).as(file).isEqualTo(first.get(file));
      }
    }
    assertThat(contents(other).get("truth/tracking_stock.csv"))
        .isNotEqualTo(first.get("truth/tracking_stock.csv"));
  }

  @Test
  @Order(1)
  void refusesAFolderThatIsNotEmptyAndANonPositiveScale() {
    assertThatThrownBy(
            () -> SyntheticData.generate(data, SCALE, SEED, Path.of("conf/countries.csv")))
        .isInstanceOf(PipelineException.class)
        .hasMessageContaining("is not empty");
    assertThatThrownBy(
            () ->
                SyntheticData.generate(
                    work.resolve("zero"), 0, SEED, Path.of("conf/countries.csv")))
        .isInstanceOf(PipelineException.class)
        .hasMessageContaining("--scale");
  }

  @Test
  @Order(2)
  void everyBadRowIsQuarantinedAndNoGoodOne() {
    Map<String, Long> byFamily = new TreeMap<>();
    for (Row r : lh.read(Tables.QUARANTINE).groupBy("family").count().collectAsList()) {
      byFamily.put(r.getString(0), r.getLong(1));
    }
    assertThat(byFamily.getOrDefault("tracking", 0L)).isEqualTo(summary.trackingBadRows());
    assertThat(byFamily.getOrDefault("survey", 0L)).isEqualTo(summary.surveyBadRows());
    assertThat(byFamily.getOrDefault("programme", 0L)).isEqualTo(summary.badActivities());
  }

  @Test
  @Order(2)
  void trackingStockEqualsTheTruthExactly() {
    assertStockMatches(false);
  }

  @Test
  @Order(2)
  void surveyProportionsFallInsideTheir95PercentIntervals() {
    assertSurveyCoverage(false);
  }

  @Test
  @Order(2)
  void programmeBudgetAddsUpToTheTruePerCountryTotal() {
    assertBudgetMatches(false);
  }

  @Test
  @Order(3)
  void afterTheIncrementTheNewMonthRoundAndActivitiesMatchTheTruthToo() throws IOException {
    // `bench --incremental-only` on the full bench's work folder adds the increment and runs the
    // stages once, as a scheduled run after the full one (in this JVM: a JVM of its own, with
    // --fresh-jvm, costs a cold start and is checked below on the command it is given)
    Path json = work.resolve("incremental.json");
    Cli second = runBench("run", "--incremental-only", "--json", json.toString());
    assertThat(second.exitCode).as(second.err + second.out).isZero();
    assertStockMatches(true);
    assertSurveyCoverage(true);
    assertBudgetMatches(true);

    // the figures it prints are the ones it keeps, stage by stage
    com.fasterxml.jackson.databind.JsonNode doc =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toFile());
    assertThat(doc.get("incrementalJvm").asText()).startsWith("fresh, class data sharing ");
    assertThat(doc.has("fullSeconds") || doc.has("incrementalShareOfFull")).isFalse();
    assertThat(doc.get("incrementalSeconds").asDouble()).isPositive();
    java.util.List<String> figures = figures(doc);
    assertThat(figures).hasSize(7);
    assertThat(second.out.split("\n"))
        .filteredOn(l -> l.startsWith("incremental ") && l.contains(" succeeded "))
        .hasSize(7);
    doc.get("stages")
        .forEach(
            f ->
                assertThat(second.out)
                    .contains(
                        String.format(
                            java.util.Locale.ROOT,
                            "%-12s %-22s %-9s %9.1f %,12d ",
                            f.get("phase").asText(),
                            f.get("stage").asText(),
                            "succeeded",
                            f.get("seconds").asDouble(),
                            f.get("rowsIn").asLong())));
    // it read the increment: the new month's tracking rows, bad ones included
    assertThat(figures.get(0))
        .startsWith("incremental ingest-tracking ")
        .endsWith(" " + summary.incrementTrackingRows());
    assertThat(second.out)
        .containsPattern("\nincremental run +[0-9.]+ s; cpu .*; in a fresh JVM\n")
        .doesNotContain("full run");

    // the increment is in the work folder now: a second --incremental-only is refused, and so is
    // one in a fresh JVM, which is given this command's config, settings, data and work folder
    // (it opens its own Spark session before it finds the increment there, so it must have
    // started) and whose output goes to the log the failure names
    Cli again = runBench("run", "--incremental-only");
    assertThat(again.exitCode).isEqualTo(2);
    assertThat(again.err).contains("already exists: use a fresh --work folder");
    Path log = work.resolve("run/incremental-jvm.log");
    Cli fresh = runBench("run", "--incremental-only", "--fresh-jvm");
    assertThat(fresh.exitCode).as(fresh.err + fresh.out).isEqualTo(1);
    assertThat(fresh.err).contains("the run in a fresh JVM failed with exit 2: see " + log);
    assertThat(Files.readString(log))
        .contains("spark session", "already exists: use a fresh --work folder")
        .doesNotContain("incremental  ingest-tracking");
  }

  /** A bench on this class's data, in the work folder named {@code folder}, with {@code more}. */
  private static Cli runBench(String folder, String... more) {
    java.util.List<String> args =
        new java.util.ArrayList<>(
            java.util.List.of(
                "--set",
                "spark.conf.spark.sql.shuffle.partitions=2",
                "bench",
                "--scale",
                Double.toString(SCALE),
                "--seed",
                Long.toString(SEED),
                "--data",
                data.toString(),
                "--work",
                work.resolve(folder).toString()));
    args.addAll(java.util.List.of(more));
    return Cli.run(args.toArray(new String[0]));
  }

  /** A bench file's stage figures as "phase stage seconds rowsIn". */
  private static java.util.List<String> figures(com.fasterxml.jackson.databind.JsonNode doc) {
    java.util.List<String> out = new java.util.ArrayList<>();
    doc.get("stages")
        .forEach(
            f ->
                out.add(
                    f.get("phase").asText()
                        + " "
                        + f.get("stage").asText()
                        + " "
                        + f.get("seconds")
                        + " "
                        + f.get("rowsIn")));
    return out;
  }

  private static Dataset<Row> truth(String file) {
    return spark
        .read()
        .option("header", true)
        .option("inferSchema", true)
        .csv(data.resolve("truth/" + file).toString());
  }

  /** The base months (or every month, after the increment) equal the true stock, unit by unit. */
  @Test
  @Order(4)
  void benchAgainstAFasterBaselineFailsNamingTheSlowerStageAndKeepsItsFigures() throws IOException {
    assertThat(bench.exitCode).as(bench.err + bench.out).isEqualTo(1);
    assertThat(bench.err).contains("performance regression: full ", "baseline.json");
    assertThat(bench.out).contains("(reused)", "SLOWER");
    com.fasterxml.jackson.databind.JsonNode doc =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(figures.toFile());
    assertThat(doc.get("stages")).hasSize(7);
    // every stage counts the generated classes it compiled, and the printed table has the column
    assertThat(doc.get("stages"))
        .allSatisfy(stage -> assertThat(stage.get("classesCompiled").isIntegralNumber()).isTrue());
    assertThat(bench.out).contains("tasks  classes");
    // and where its time went: every stage ran Spark jobs, so the process spent CPU time on it
    assertThat(doc.get("stages"))
        .allSatisfy(
            stage -> {
              assertThat(stage.get("cpuSeconds").asDouble()).isPositive();
              assertThat(stage.get("jitSeconds").asDouble()).isNotNegative();
              assertThat(stage.get("gcSeconds").asDouble()).isNotNegative();
            });
    assertThat(bench.out).contains("classes    cpu s    jit s    gc s");
    assertThat(bench.out).containsPattern("full run +[0-9.]+ s; cpu [0-9.]+ s, jit [0-9.]+ s, gc");
    com.fasterxml.jackson.databind.JsonNode runRow =
        doc.at("/baseline/comparisons/1"); // the stage, then the full run's total
    assertThat(runRow.get("stage").asText()).isEqualTo("(run)");
    assertThat(runRow.get("now").asDouble()).isEqualTo(doc.get("fullSeconds").asDouble());
    assertThat(runRow.get("slower").asBoolean()).isTrue();
    // the JVM settings are kept with the figures, and those that differ from the baseline's are
    // named beside the comparison (this JVM has no archive of the launcher's)
    JvmSettings jvm = JvmSettings.current();
    assertThat(doc.at("/machine/classDataSharing").asText()).isEqualTo(jvm.classDataSharing());
    assertThat(doc.at("/machine/jvmOptions"))
        .extracting(com.fasterxml.jackson.databind.JsonNode::asText)
        .containsExactlyElementsOf(jvm.options());
    assertThat(bench.out)
        .contains(
            "class data sharing " + jvm.classDataSharing(),
            "note: class data sharing writing-archive in the baseline, "
                + jvm.classDataSharing()
                + " now (a run that writes the archive starts slower); JVM options [-Xmx1m] in"
                + " the baseline");

    // a baseline of other data is refused before anything runs
    Cli other =
        Cli.run(
            "bench",
            "--scale",
            "0.02",
            "--data",
            data.toString(),
            "--baseline",
            baseline.toString());
    assertThat(other.exitCode).isEqualTo(2);
    assertThat(other.err).contains("was measured at scale " + SCALE);
  }

  /** The incremental-phase options that cannot run are refused before anything runs. */
  @Test
  @Order(5)
  void incrementalOptionsThatCannotRunAreUsageErrors() {
    Cli fresh = runBench("run", "--fresh-jvm", "--full-only");
    assertThat(fresh.exitCode).isEqualTo(2);
    assertThat(fresh.err).contains("--fresh-jvm is about the incremental phase", "--full-only");
    Cli only = runBench("run", "--incremental-only", "--full-only");
    assertThat(only.exitCode).isEqualTo(2);
    assertThat(only.err).contains("--incremental-only is about the incremental phase");
    Cli noLakehouse = runBench("empty", "--incremental-only");
    assertThat(noLakehouse.exitCode).isEqualTo(2);
    assertThat(noLakehouse.err)
        .contains("needs the work folder of a bench --full-only", "empty holds no lakehouse");
  }

  private static void assertStockMatches(boolean withIncrement) {
    Dataset<Row> truth = truth("tracking_stock.csv");
    if (!withIncrement) {
      truth = truth.where(col("increment").equalTo(false));
    }
    Dataset<Row> stock =
        lh.read(Tables.INDICATOR_VALUES)
            .where("source_family = 'tracking' AND indicator_id = 'idp_stock'")
            .where("period_type = 'month'")
            .select(
                col("country").as("p_country"),
                col("admin_level").as("p_level"),
                col("admin_code").as("p_code"),
                col("period_start").as("p_month"),
                col("value").as("p_value"));
    Dataset<Row> joined =
        truth.join(
            stock,
            col("country")
                .equalTo(col("p_country"))
                .and(col("admin_level").equalTo(col("p_level")))
                .and(col("admin_code").equalTo(col("p_code")))
                .and(col("month").cast("date").equalTo(col("p_month"))),
            "full_outer");
    Dataset<Row> wrong =
        joined.where(
            col("p_value")
                .isNull()
                .or(col("idp_stock").isNull())
                .or(col("p_value").notEqual(col("idp_stock"))));
    assertThat(truth.count()).isGreaterThan(3_000);
    assertThat(wrong.limit(5).collectAsList()).as("units and months off the truth").isEmpty();
  }

  /**
   * Every true cell is published; at least 90 % of those with a 95 % interval cover the true
   * proportion. A cell has no interval when its estimate is 0 or 1 or its domain has a single
   * cluster (the lonely-PSU stratum), as in R's survey package.
   */
  private static void assertSurveyCoverage(boolean incrementOnly) {
    Dataset<Row> truth =
        truth("survey_proportions.csv").where(col("increment").equalTo(incrementOnly));
    Dataset<Row> estimates =
        lh.read(Tables.INDICATOR_VALUES)
            .where("source_family = 'survey' AND NOT suppressed")
            .select(
                col("source_operation").as("e_survey"),
                col("admin_level").as("e_level"),
                col("admin_code").as("e_code"),
                col("population_group").as("e_group"),
                col("indicator_id").as("e_indicator"),
                col("value"),
                col("ci_low"),
                col("ci_high"));
    Dataset<Row> cells =
        truth
            .join(
                estimates,
                col("survey_id")
                    .equalTo(col("e_survey"))
                    .and(col("admin_level").equalTo(col("e_level")))
                    .and(col("admin_code").equalTo(col("e_code")))
                    .and(col("population_group").equalTo(col("e_group")))
                    .and(col("indicator_id").equalTo(col("e_indicator"))))
            .cache();
    long total = cells.count();
    Dataset<Row> withCi = cells.where(col("ci_low").isNotNull());
    long covered = withCi.count();
    long inside = withCi.where(col("true_value").between(col("ci_low"), col("ci_high"))).count();
    double meanError =
        cells.agg(avg(abs(col("value").minus(col("true_value"))))).first().getDouble(0);
    assertThat(total).as("every true cell is published").isEqualTo(truth.count());
    assertThat(covered).as("cells with an interval").isGreaterThanOrEqualTo(total * 8 / 10);
    assertThat((double) inside / covered)
        .as(inside + " of " + covered + " intervals cover the truth")
        .isGreaterThanOrEqualTo(0.90);
    assertThat(meanError).isLessThan(0.08);
    cells.unpersist();
  }

  /** Budget_usd over every year of a country adds up to its good activities' budgets. */
  private static void assertBudgetMatches(boolean withIncrement) {
    Map<String, Double> expected = new TreeMap<>();
    Dataset<Row> truth = truth("programme_budget.csv");
    if (!withIncrement) {
      truth = truth.where(col("increment").equalTo(false));
    }
    for (Row r : truth.groupBy("country").agg(sum("budget_usd")).collectAsList()) {
      expected.put(r.getString(0), ((Number) r.get(1)).doubleValue());
    }
    Map<String, Double> actual = new TreeMap<>();
    for (Row r :
        lh.read(Tables.INDICATOR_VALUES)
            .where("source_family = 'programme' AND indicator_id = 'budget_usd'")
            .where("admin_level = 0 AND period_type = 'year'")
            .groupBy("country")
            .agg(sum("value"))
            .collectAsList()) {
      actual.put(r.getString(0), r.getDouble(1));
    }
    assertThat(actual.keySet()).isEqualTo(expected.keySet());
    for (String c : expected.keySet()) {
      assertThat(actual.get(c))
          .as(c)
          .isCloseTo(expected.get(c), org.assertj.core.api.Assertions.within(1.0));
    }
  }

  private static Map<String, String> contents(Path root) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String text = Files.readString(f, StandardCharsets.UTF_8);
        out.put(
            root.relativize(f).toString(), text.replace(root.toAbsolutePath().toString(), "<out>"));
      }
    }
    return out;
  }
}
