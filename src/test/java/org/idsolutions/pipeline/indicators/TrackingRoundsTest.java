package org.idsolutions.pipeline.indicators;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.idsolutions.pipeline.lakehouse.Lakehouse;
import org.idsolutions.pipeline.lakehouse.Tables;
import org.idsolutions.pipeline.stage.Backfill;
import org.idsolutions.pipeline.support.Cli;
import org.idsolutions.pipeline.support.SameRows;
import org.idsolutions.pipeline.support.SparkTestSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rounds whose admin 2 units report on different days, loaded in three parts: each incremental run
 * of the tracking indicators recomputes what a late day of a round reaches (the round's admin 1
 * figure, summed over all its days) and equals a forced run.
 */
class TrackingRoundsTest {
  private static final String HEADER =
      "id,operation,admin0Pcode,admin1Pcode,admin2Pcode,adminLevel,numPresentIdpInd,reportingDate,roundNumber";

  @TempDir Path work;

  private String[] args(String... command) {
    Path empty = work.resolve("empty");
    return Cli.trackingOnly(work.resolve("lakehouse"), empty, empty, command);
  }

  private Cli ok(String... command) {
    Cli cli = Cli.run(args(command));
    assertThat(cli.exitCode).as(cli.err).isZero();
    return cli;
  }

  /** Loads the rows as one more file, then runs the tracking indicators. */
  private String load(String name, String... rows) throws IOException {
    Path file = work.resolve(name);
    Files.write(file, Stream.concat(Stream.of(HEADER), Stream.of(rows)).toList());
    ok("ingest", "tracking", "--input", file.toString());
    return ok("indicators", "tracking").out;
  }

  /** The incremental run's rows equal a forced run's. */
  private void assertAsForced(Lakehouse lh) {
    SameRows.assertAsForced(lh, () -> ok("indicators", "tracking", "--force"));
  }

  private static List<Row> stocks(Lakehouse lh, String unit, String type, String start) {
    return lh.read(Tables.INDICATOR_VALUES)
        .where(
            "indicator_id = 'idp_stock' AND admin_code = '"
                + unit
                + "' AND period_type = '"
                + type
                + "' AND period_start = DATE'"
                + start
                + "'")
        .collectAsList();
  }

  private static double stock(Lakehouse lh, String unit, String type, String start) {
    List<Row> rows = stocks(lh, unit, type, start);
    assertThat(rows).as(unit + " " + type + " " + start).hasSize(1);
    return rows.get(0).<Double>getAs("value");
  }

  @Test
  void aLateDayOfARoundRecomputesTheRoundsAdmin1FiguresAsAForcedRun() throws IOException {
    Files.createDirectories(work.resolve("empty"));
    Lakehouse lh = new Lakehouse(SparkTestSession.get(), work.resolve("lakehouse").toString());
    // round 2 reports Maiduguri on 29 December and Madagali on 2 January
    load(
        "rounds-1-2.csv",
        "1,NE,NGA,NG008,NG008021,2,100,2025-11-20,1",
        "2,NE,NGA,NG008,NG008013,2,50,2025-11-20,1",
        "3,NE,NGA,NG002,NG002010,2,40,2025-11-20,1",
        "4,NE,NGA,NG008,NG008021,2,120,2025-12-29,2",
        "5,NE,NGA,NG002,NG002010,2,45,2026-01-02,2");
    assertThat(stock(lh, "NG008", "month", "2025-12-01")).isEqualTo(120.0);

    // Jere joins round 2 on 5 January: Borno's round 2 figure becomes 120 + 60, dated 5 January,
    // and leaves December. The change reaches the round's first day, 29 December, so the periods
    // from the latest report before it (20 November) are recomputed; from the latest report before
    // 5 January (2 January) on, December would keep its 120.
    String out =
        load(
            "jere.csv",
            "6,NE,NGA,NG008,NG008013,2,60,2026-01-05,2",
            "7,NE,NGA,NG008,NG008021,2,130,2026-02-10,3");
    assertThat(out).contains("countries [NGA] recomputed (from: NGA the periods of 2025-11-20)");
    assertThat(stocks(lh, "NG008", "month", "2025-12-01")).isEmpty();
    assertThat(stock(lh, "NG008021", "month", "2025-12-01")).isEqualTo(120.0);
    assertThat(stock(lh, "NG008", "month", "2026-01-01")).isEqualTo(180.0);
    assertThat(stock(lh, "NG008", "quarter", "2026-01-01")).isEqualTo(130.0);
    assertThat(stock(lh, "NGA", "quarter", "2026-01-01")).isEqualTo(175.0);
    assertAsForced(lh);

    // Madagali in round 3 on 25 January: the periods from 5 January are recomputed, from the
    // reports of 2026 and the whole of round 2, which reaches into 2026 from 29 December
    out = load("madagali.csv", "8,NE,NGA,NG002,NG002010,2,50,2026-01-25,3");
    assertThat(out).contains("countries [NGA] recomputed (from: NGA the periods of 2026-01-05)");
    assertThat(stock(lh, "NG008", "month", "2026-01-01")).isEqualTo(180.0);
    assertThat(stock(lh, "NG002", "month", "2026-01-01")).isEqualTo(50.0);
    assertThat(stock(lh, "NGA", "month", "2026-01-01")).isEqualTo(230.0);
    assertAsForced(lh);
  }

  private static Row round(String country, String op, int round, String day) {
    return RowFactory.create(country, op, "BA", round, Date.valueOf(day));
  }

  private static LocalDate day(String day) {
    return LocalDate.parse(day);
  }

  /**
   * The scope from the changed rounds and the rounds' days, by hand: a change counts from its
   * round's first day; the rows are read from L's year, or from a round reaching into it.
   */
  @Test
  void theScopeCountsAChangeFromItsRoundsFirstDayAndReadsRoundsWhole() {
    List<Row> days =
        List.of(
            round("NGA", "NE", 1, "2025-11-20"),
            round("NGA", "NE", 2, "2025-12-29"),
            round("NGA", "NE", 2, "2026-01-05"),
            round("NGA", "NE", 3, "2026-01-25"),
            round("NGA", "NE", 3, "2026-02-10"),
            round("TCD", "LAC", 7, "2025-06-10"),
            round("TCD", "LAC", 8, "2025-07-10"));
    // Nigeria's round 2 changed on 5 January: from its first day, 29 December; L 20 November
    TrackingIndicatorsStage.Reach reach =
        TrackingIndicatorsStage.reach(List.of(round("NGA", "NE", 2, "2026-01-05")), days, null);
    assertThat(reach.from()).containsExactly(Map.entry("NGA", day("2025-11-20")));
    assertThat(reach.readFrom()).containsExactly(Map.entry("NGA", day("2025-01-01")));
    assertThat(reach.until()).isEmpty();
    // round 3 changed on 10 February: L 5 January, read from round 2's first day, 29 December
    reach = TrackingIndicatorsStage.reach(List.of(round("NGA", "NE", 3, "2026-02-10")), days, null);
    assertThat(reach.from()).containsExactly(Map.entry("NGA", day("2026-01-05")));
    assertThat(reach.readFrom()).containsExactly(Map.entry("NGA", day("2025-12-29")));
    // a round whose rows all went (not in the days any more): its changed day only
    reach = TrackingIndicatorsStage.reach(List.of(round("NGA", "NE", 9, "2026-02-01")), days, null);
    assertThat(reach.from()).containsExactly(Map.entry("NGA", day("2026-01-25")));
    // a country whose rows all went: the whole country, nothing kept
    reach =
        TrackingIndicatorsStage.reach(List.of(round("SOM", "BAY", 1, "2024-01-01")), days, null);
    assertThat(reach.from()).containsEntry("SOM", null).hasSize(1);
    assertThat(reach.readFrom()).containsEntry("SOM", null).hasSize(1);
    // a window from February 2026 to March 2026 with round 3 changed: Nigeria from the round's
    // first day to its end; Chad, unchanged, from the window's start (its latest report 10 July
    // 2025, read from 2025) to the window's end
    reach =
        TrackingIndicatorsStage.reach(
            List.of(round("NGA", "NE", 3, "2026-02-10")),
            days,
            new Backfill(day("2026-02-01"), day("2026-03-31")));
    assertThat(reach.from())
        .containsExactly(Map.entry("NGA", day("2026-01-05")), Map.entry("TCD", day("2025-07-10")));
    assertThat(reach.readFrom())
        .containsExactly(Map.entry("NGA", day("2025-12-29")), Map.entry("TCD", day("2025-01-01")));
    assertThat(reach.until()).containsExactly(Map.entry("TCD", day("2026-03-31")));
    // an open start: every country whole
    reach = TrackingIndicatorsStage.reach(List.of(), days, new Backfill(null, day("2026-03-31")));
    assertThat(reach.from()).containsEntry("NGA", null).containsEntry("TCD", null).hasSize(2);
  }
}
