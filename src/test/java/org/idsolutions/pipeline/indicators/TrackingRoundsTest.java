package org.idsolutions.pipeline.indicators;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.idsolutions.pipeline.lakehouse.Lakehouse;
import org.idsolutions.pipeline.lakehouse.Tables;
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
    String empty = work.resolve("empty").toString();
    String[] base = {
      "--conf",
      "src/test/resources/test.yaml",
      "--lakehouse",
      work.resolve("lakehouse").toString(),
      "--set",
      "inputs.tracking=" + empty,
      "--set",
      "inputs.surveys=" + empty,
      "--set",
      "inputs.programmes=" + empty
    };
    return Stream.concat(Stream.of(base), Stream.of(command)).toArray(String[]::new);
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
    long incremental = lh.version(Tables.INDICATOR_VALUES);
    ok("indicators", "tracking", "--force");
    SameRows.assertSame(
        lh.readAt(Tables.INDICATOR_VALUES, incremental),
        lh.read(Tables.INDICATOR_VALUES),
        Tables.INDICATOR_VALUES.key(),
        "run_id");
  }

  private static double stock(Lakehouse lh, String unit, String type, String start) {
    List<Row> rows =
        lh.read(Tables.INDICATOR_VALUES)
            .where(
                "indicator_id = 'idp_stock' AND admin_code = '"
                    + unit
                    + "' AND period_type = '"
                    + type
                    + "' AND period_start = DATE'"
                    + start
                    + "'")
            .collectAsList();
    assertThat(rows).as(unit + " " + type + " " + start).hasSize(1);
    return rows.get(0).<Double>getAs("value");
  }

  private static long stocks(Lakehouse lh, String unit, String type, String start) {
    return lh.read(Tables.INDICATOR_VALUES)
        .where(
            "indicator_id = 'idp_stock' AND admin_code = '"
                + unit
                + "' AND period_type = '"
                + type
                + "' AND period_start = DATE'"
                + start
                + "'")
        .count();
  }

  @Test
  void aLateDayOfARoundRecomputesTheRoundsAdmin1FiguresAsAForcedRun() throws IOException {
    Files.createDirectories(work.resolve("empty"));
    Lakehouse lh = new Lakehouse(SparkTestSession.get(), work.resolve("lakehouse").toString());
    // round 2 reports Maiduguri on 29 December, Madagali on 2 January and Jere on 5 January
    load(
        "rounds-1-2.csv",
        "1,NE,NGA,NG008,NG008021,2,100,2025-11-20,1",
        "2,NE,NGA,NG008,NG008013,2,50,2025-11-20,1",
        "3,NE,NGA,NG002,NG002010,2,40,2025-11-20,1",
        "4,NE,NGA,NG008,NG008021,2,120,2025-12-29,2",
        "5,NE,NGA,NG008,NG008013,2,60,2026-01-05,2",
        "6,NE,NGA,NG002,NG002010,2,45,2026-01-02,2");
    // Borno's round 2: 120 + 60, dated 5 January; December holds no Borno figure
    assertThat(stock(lh, "NG008", "month", "2026-01-01")).isEqualTo(180.0);
    assertThat(stocks(lh, "NG008", "month", "2025-12-01")).isZero();
    assertThat(stock(lh, "NG008021", "month", "2025-12-01")).isEqualTo(120.0);

    // Demsa joins round 2 on 20 January: the change reaches the round's first day, 29 December,
    // so the periods from the latest report before it (20 November) are recomputed
    String out =
        load(
            "demsa.csv",
            "7,NE,NGA,NG002,NG002001,2,30,2026-01-20,2",
            "8,NE,NGA,NG008,NG008021,2,130,2026-02-10,3");
    assertThat(out).contains("countries [NGA] recomputed (from: NGA the periods of 2025-11-20)");
    assertThat(stock(lh, "NG002", "month", "2026-01-01")).isEqualTo(75.0);
    assertThat(stock(lh, "NG008", "month", "2026-01-01")).isEqualTo(180.0);
    assertThat(stock(lh, "NG008", "quarter", "2026-01-01")).isEqualTo(130.0);
    assertThat(stock(lh, "NGA", "quarter", "2026-01-01")).isEqualTo(205.0);
    assertAsForced(lh);

    // Madagali in round 3 on 25 January: the periods from 20 January are recomputed, from the
    // reports of 2026 and the whole of round 2, which reaches into 2026 from 29 December
    out = load("madagali.csv", "9,NE,NGA,NG002,NG002010,2,50,2026-01-25,3");
    assertThat(out).contains("countries [NGA] recomputed (from: NGA the periods of 2026-01-20)");
    assertThat(stock(lh, "NG008", "month", "2026-01-01")).isEqualTo(180.0);
    assertThat(stock(lh, "NG002", "month", "2026-01-01")).isEqualTo(50.0);
    assertThat(stock(lh, "NGA", "month", "2026-01-01")).isEqualTo(230.0);
    assertAsForced(lh);
  }
}
