package org.idsolutions.pipeline.indicators;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.idsolutions.pipeline.lakehouse.Lakehouse;
import org.idsolutions.pipeline.lakehouse.Tables;
import org.idsolutions.pipeline.support.Cli;
import org.idsolutions.pipeline.support.SameRows;
import org.idsolutions.pipeline.support.SparkTestSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backfills of the tracking indicators (`--from/--to`) on a country whose units stop reporting at
 * different dates: what each window recomputes and keeps, against a forced run.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TrackingBackfillTest {
  @TempDir static Path work;
  static Lakehouse lh;
  static Path tracking;
  static Path empty;

  static String[] args(String... command) {
    return Cli.trackingOnly(work.resolve("lakehouse"), tracking, empty, command);
  }

  /**
   * Maiduguri reports monthly from September to 25 November 2025, Jere from September 2025 to 25
   * February 2026. The first run is a backfill too: with nothing computed yet, it computes all, and
   * the run log names its window.
   */
  @BeforeAll
  static void firstRun() throws IOException {
    lh = new Lakehouse(SparkTestSession.get(), work.resolve("lakehouse").toString());
    empty = Files.createDirectories(work.resolve("empty"));
    tracking = work.resolve("tracking.csv");
    Files.write(
        tracking,
        List.of(
            "id,operation,admin0Pcode,admin1Pcode,admin2Pcode,adminLevel,numPresentIdpInd,reportingDate,roundNumber",
            "1,NE,NGA,NG008,NG008021,2,100,2025-09-25,1",
            "2,NE,NGA,NG008,NG008021,2,110,2025-10-25,2",
            "3,NE,NGA,NG008,NG008021,2,120,2025-11-25,3",
            "4,NE,NGA,NG008,NG008013,2,50,2025-09-25,1",
            "5,NE,NGA,NG008,NG008013,2,60,2025-10-25,2",
            "6,NE,NGA,NG008,NG008013,2,70,2025-11-25,3",
            "7,NE,NGA,NG008,NG008013,2,80,2025-12-25,4",
            "8,NE,NGA,NG008,NG008013,2,90,2026-01-25,5",
            "9,NE,NGA,NG008,NG008013,2,100,2026-02-25,6"));
    Cli first = Cli.run(args("run", "--from", "2026-01"));
    assertThat(first.exitCode).as(first.err).isZero();
    assertThat(first.out).contains("all countries recomputed");
    assertThat(
            lh.read(Tables.PIPELINE_RUNS)
                .where("stage = 'indicators-tracking'")
                .first()
                .<String>getAs("command"))
        .isEqualTo("run --from 2026-01-01");
  }

  /** The tracking values that match the condition, run ids included, sorted. */
  private static List<String> rows(String condition) {
    return lh.read(Tables.INDICATOR_VALUES).where(condition).collectAsList().stream()
        .map(Row::toString)
        .sorted()
        .toList();
  }

  private static Set<String> runIds(String condition) {
    return lh
        .read(Tables.INDICATOR_VALUES)
        .where(condition)
        .select("run_id")
        .distinct()
        .collectAsList()
        .stream()
        .map(r -> r.getString(0))
        .collect(Collectors.toSet());
  }

  private static String lastTrackingRun() {
    return lh.read(Tables.PIPELINE_RUNS)
        .where("stage = 'indicators-tracking'")
        .orderBy(functions.col("started_at").desc())
        .first()
        .getAs("run_id");
  }

  private static Cli ok(String... command) {
    Cli cli = Cli.run(args(command));
    assertThat(cli.exitCode).as(cli.err).isZero();
    return cli;
  }

  /**
   * `--to` bounds what is written, not what staleness sees: Maiduguri's figure of 25 November is
   * more than a month old at the end of December, as the country reported until February. The
   * periods from the one holding the latest report before the window (25 November) to December
   * equal a forced run's with the new limit; every other period keeps its row. The trends follow,
   * and the same backfill again changes nothing.
   */
  @Test
  @Order(1)
  void aWindowsPeriodsAreAForcedRunsAndStalenessSeesTheCountrysLatestReport() {
    String recomputed = "period_end >= DATE'2025-11-25' AND period_start <= DATE'2025-12-31'";
    List<String> outside = rows("NOT (" + recomputed + ")");
    String[] backfill = {
      "indicators",
      "tracking",
      "--from",
      "2025-12",
      "--to",
      "2025-12",
      "--set",
      "tracking.stale-after-months=1"
    };
    assertThat(ok(backfill).out)
        .contains("countries [NGA] recomputed (from: NGA the periods of 2025-11-25 to 2025-12-31)");
    assertThat(rows("NOT (" + recomputed + ")")).isEqualTo(outside);
    Row year =
        lh.read(Tables.INDICATOR_VALUES)
            .where(
                "admin_code = 'NG008021' AND indicator_id = 'idp_stock' AND period_type = 'year'"
                    + " AND period_start = DATE'2025-01-01'")
            .first();
    assertThat(year.<Double>getAs("value")).isEqualTo(120.0);
    assertThat(year.<String>getList(year.fieldIndex("quality_flags"))).contains("stale");

    // the trends follow what the backfill declared, as a recomputation of every series would
    assertThat(ok("trends").out).contains("declared by the writes");
    long points = lh.version(Tables.INDICATOR_TRENDS);
    long series = lh.version(Tables.INDICATOR_TREND_SERIES);
    ok("trends", "--force");
    SameRows.assertSame(
        lh.readAt(Tables.INDICATOR_TRENDS, points),
        lh.read(Tables.INDICATOR_TRENDS),
        Tables.INDICATOR_TRENDS.key(),
        "run_id");
    SameRows.assertSame(
        lh.readAt(Tables.INDICATOR_TREND_SERIES, series),
        lh.read(Tables.INDICATOR_TREND_SERIES),
        Tables.INDICATOR_TREND_SERIES.key(),
        "run_id");

    // run again, the backfill changes no value
    long once = lh.version(Tables.INDICATOR_VALUES);
    ok(backfill);
    SameRows.assertSame(
        lh.read(Tables.INDICATOR_VALUES),
        lh.readAt(Tables.INDICATOR_VALUES, once),
        Tables.INDICATOR_VALUES.key(),
        "run_id");

    long backfilled = lh.version(Tables.INDICATOR_VALUES);
    ok("indicators", "tracking", "--force", "--set", "tracking.stale-after-months=1");
    Dataset<Row> then = lh.readAt(Tables.INDICATOR_VALUES, backfilled);
    SameRows.assertSame(
        then.where(recomputed),
        lh.read(Tables.INDICATOR_VALUES).where(recomputed),
        Tables.INDICATOR_VALUES.key(),
        "run_id");
  }

  /**
   * `--to` alone recomputes every period starting by its day (the country has no report before an
   * open start); `--from` alone every period from the one holding the latest report before it. The
   * rest keep their rows, run ids included.
   */
  @Test
  @Order(2)
  void openWindowsRecomputeFromTheFirstPeriodOrToTheLast() {
    String upToOctober = "period_start <= DATE'2025-10-31'";
    List<String> later = rows("NOT " + upToOctober);
    Cli to = ok("indicators", "tracking", "--to", "2025-10");
    assertThat(to.out).contains("countries [NGA] recomputed (from: NGA all to 2025-10-31)");
    assertThat(rows("NOT " + upToOctober)).isEqualTo(later);
    assertThat(runIds(upToOctober)).containsExactly(lastTrackingRun());

    // the latest report before 1 January 2026 is of 25 December 2025
    String fromDecember = "period_end >= DATE'2025-12-25'";
    List<String> earlier = rows("NOT " + fromDecember);
    Cli from = ok("indicators", "tracking", "--from", "2026-01");
    assertThat(from.out)
        .contains("countries [NGA] recomputed (from: NGA the periods of 2025-12-25)")
        .doesNotContain("2025-12-25 to");
    assertThat(rows("NOT " + fromDecember)).isEqualTo(earlier);
    assertThat(runIds(fromDecember)).containsExactly(lastTrackingRun());
  }
}
