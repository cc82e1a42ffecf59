package org.idsolutions.pipeline.ops;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Row;
import org.idsolutions.pipeline.lakehouse.Lakehouse;
import org.idsolutions.pipeline.lakehouse.Tables;
import org.idsolutions.pipeline.support.Cli;
import org.idsolutions.pipeline.support.IndicatorValueRow;
import org.idsolutions.pipeline.support.SparkTestSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code history}: the runs of the run log, one run's stages, and a table's versions with the run
 * and stage that wrote each, checked against ops.pipeline_runs and the Delta log.
 */
class HistoryTest {
  @TempDir static Path dir;
  static String lakehouse;
  static String firstTrends;
  static String forcedTrends;
  static String failedReport;

  /** The run that started last. */
  static String latestRunId() {
    Lakehouse lh = new Lakehouse(SparkTestSession.get(), lakehouse);
    return lh.read(Tables.PIPELINE_RUNS)
        .orderBy(col("started_at").desc())
        .select("run_id")
        .first()
        .getString(0);
  }

  @BeforeAll
  static void threeRuns() {
    lakehouse = dir.resolve("lh").toString();
    List<Row> rows =
        List.of(2024, 2025).stream()
            .map(
                year ->
                    IndicatorValueRow.ofYear(
                        year,
                        "source_family",
                        "tracking",
                        "country",
                        "NGA",
                        "admin_level",
                        0,
                        "admin_code",
                        "NGA",
                        "indicator_id",
                        "idp_stock",
                        "population_group",
                        "idp",
                        "value",
                        1000.0 * (year - 2020)))
            .toList();
    IndicatorValueRow.write(lakehouse, rows);
    Cli first = Cli.run("--lakehouse", lakehouse, "trends");
    assertThat(first.exitCode).as(first.err).isZero();
    firstTrends = latestRunId();
    Cli forced = Cli.run("--lakehouse", lakehouse, "trends", "--force");
    assertThat(forced.exitCode).as(forced.err).isZero();
    forcedTrends = latestRunId();
    Cli report =
        Cli.run(
            "--lakehouse",
            lakehouse,
            "report",
            "--year",
            "2019",
            "--out",
            dir.resolve("r").toString());
    assertThat(report.exitCode).isEqualTo(2);
    failedReport = latestRunId();
  }

  @Test
  void runsAreListedNewestFirstWithTheirStagesAndRows() {
    Cli history = Cli.run("--lakehouse", lakehouse, "history");
    assertThat(history.exitCode).as(history.err).isZero();
    List<String> lines = history.out.lines().toList();
    assertThat(lines.get(0)).startsWith("run_id ").contains("| command |", "| failed |");
    // newest first: the failed report, then the two trends runs
    assertThat(lines.get(2)).startsWith(failedReport).contains("| report ");
    assertThat(cells(lines.get(2)).subList(4, 8)).containsExactly("1", "0", "0", "1");
    assertThat(lines.get(2)).contains("report: indicators.regional_summary has no row for 2019");
    assertThat(lines.get(3)).startsWith(forcedTrends).contains("| trends ");
    assertThat(lines.get(4)).startsWith(firstTrends);
    // rows written: the run log's own figure for that run
    long written =
        new Lakehouse(SparkTestSession.get(), lakehouse)
            .read(Tables.PIPELINE_RUNS)
            .where(col("run_id").equalTo(firstTrends))
            .select("rows_written")
            .first()
            .getLong(0);
    assertThat(cells(lines.get(4)).get(9)).isEqualTo(String.valueOf(written));
    assertThat(history.out).contains("(3 rows)");

    Cli one = Cli.run("--lakehouse", lakehouse, "history", "--limit", "1");
    assertThat(one.out).contains(failedReport).doesNotContain(firstTrends).contains("(1 row");
  }

  @Test
  void oneRunsStages() {
    Cli stages = Cli.run("--lakehouse", lakehouse, "history", "--run", forcedTrends);
    assertThat(stages.exitCode).as(stages.err).isZero();
    List<String> lines = stages.out.lines().toList();
    assertThat(lines.get(2)).startsWith("summary-and-trends | succeeded");
    assertThat(stages.out).contains("(1 row)");

    Cli unknown = Cli.run("--lakehouse", lakehouse, "history", "--run", "nope");
    assertThat(unknown.exitCode).isEqualTo(2);
    assertThat(unknown.err).contains("no run nope in ops.pipeline_runs");
  }

  @Test
  void aTablesVersionsNameTheRunAndStageThatWroteThem() {
    Cli versions =
        Cli.run("--lakehouse", lakehouse, "history", "indicators.indicator_trend_series");
    assertThat(versions.exitCode).as(versions.err).isZero();
    List<String> lines = versions.out.lines().toList();
    long latest =
        new Lakehouse(SparkTestSession.get(), lakehouse).version(Tables.INDICATOR_TREND_SERIES);
    // the newest version was written by the forced run, version 0 (the table's creation) by the
    // first
    assertThat(lines.get(2)).startsWith(latest + " ").contains(forcedTrends, "summary-and-trends");
    String last = lines.get(lines.size() - 2);
    assertThat(last).startsWith("0 ").contains("CREATE TABLE", firstTrends);
    List<String> rows = lines.subList(2, lines.size() - 1);
    for (String line : rows) {
      assertThat(line).containsAnyOf(firstTrends, forcedTrends);
    }
    // every version once
    assertThat(rows.stream().map(l -> cells(l).get(0)).distinct()).hasSize((int) latest + 1);
    assertThat(rows).hasSize((int) latest + 1);

    Cli two =
        Cli.run(
            "--lakehouse",
            lakehouse,
            "history",
            "indicators.indicator_trend_series",
            "--limit",
            "2");
    assertThat(two.out).contains("(2 rows, limit reached)");

    // the run log is written after each stage has ended: its commits belong to no stage
    Cli log = Cli.run("--lakehouse", lakehouse, "history", "ops.pipeline_runs");
    List<String> logRows = log.out.lines().toList();
    assertThat(logRows.subList(2, logRows.size() - 1))
        .isNotEmpty()
        .allSatisfy(
            l -> {
              List<String> c = cells(l);
              assertThat(c.subList(c.size() - 2, c.size())).containsExactly("NULL", "NULL");
            });

    Cli unknown = Cli.run("--lakehouse", lakehouse, "history", "indicators.nope");
    assertThat(unknown.exitCode).isEqualTo(2);
    assertThat(unknown.err).contains("unknown table 'indicators.nope': use one of");
    Cli both =
        Cli.run("--lakehouse", lakehouse, "history", "indicators.indicator_values", "--run", "x");
    assertThat(both.exitCode).isEqualTo(2);
    assertThat(both.err).contains("give a TABLE or --run, not both");
  }

  @Test
  void aLakehouseWithoutRunsSaysSo() {
    Cli empty = Cli.run("--lakehouse", dir.resolve("empty").toString(), "history");
    assertThat(empty.exitCode).isZero();
    assertThat(empty.out).contains("no runs recorded in");
  }

  @Test
  void aFailedStageWithoutAMessageStillShowsInTheErrors() {
    java.sql.Timestamp t = java.sql.Timestamp.valueOf("2026-01-01 10:00:00");
    List<Row> log =
        List.of(
            org.apache.spark.sql.RowFactory.create(
                "r1", "run", "ingest-tracking", t, t, "failed", 0L, 0L, 0L, null, null, null),
            org.apache.spark.sql.RowFactory.create(
                "r1", "run", "ingest-surveys", t, t, "failed", 0L, 0L, 0L, null, null, "bad file"));
    Row run =
        History.runs(SparkTestSession.get().createDataFrame(log, Tables.PIPELINE_RUNS.schema()))
            .first();
    assertThat(run.<Long>getAs("failed")).isEqualTo(2L);
    assertThat(run.<String>getAs("errors"))
        .contains("ingest-tracking: (no message)", "ingest-surveys: bad file");
    assertThat(run.<String>getAs("started_at")).isEqualTo("2026-01-01 10:00:00.000");
  }

  /** The cells of a printed table line. */
  static List<String> cells(String line) {
    Matcher m = Pattern.compile("\\s*\\|\\s*").matcher(line.strip());
    return List.of(m.replaceAll("|").split("\\|", -1));
  }
}
