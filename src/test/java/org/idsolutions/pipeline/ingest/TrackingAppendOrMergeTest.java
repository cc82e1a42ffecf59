package org.idsolutions.pipeline.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.idsolutions.pipeline.lakehouse.Lakehouse;
import org.idsolutions.pipeline.lakehouse.Tables;
import org.idsolutions.pipeline.support.Cli;
import org.idsolutions.pipeline.support.SparkTestSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tracking batch that can match no stored row is appended, one that can is merged by grain
 * (change 77): the conformed rows come out the same either way.
 */
public class TrackingAppendOrMergeTest {
  @TempDir Path work;

  public static final String HEADER =
      "id,operation,admin0Pcode,admin1Pcode,admin2Pcode,adminLevel,numPresentIdpInd,reportingDate,roundNumber";

  private Cli ingest(Path lakehouse, Path empty, String name, String... rows) throws IOException {
    Path file = work.resolve(name);
    write(file, rows);
    return ingest(lakehouse, empty, file);
  }

  /** Writes a tracking CSV: the header, then these rows. */
  public static void write(Path file, String... rows) throws IOException {
    Files.write(
        file,
        java.util.stream.Stream.concat(
                java.util.stream.Stream.of(HEADER), java.util.stream.Stream.of(rows))
            .toList());
  }

  /** Runs ingest tracking on one file into the lakehouse, and checks that it succeeded. */
  public static Cli ingest(Path lakehouse, Path empty, Path file, String... more) {
    List<String> command =
        new ArrayList<>(List.of("ingest", "tracking", "--input", file.toString()));
    command.addAll(List.of(more));
    Cli cli =
        Cli.run(
            Cli.testConfig(
                lakehouse,
                Map.of("inputs.surveys", empty, "inputs.programmes", empty),
                command.toArray(new String[0])));
    assertThat(cli.exitCode).as(cli.err).isZero();
    return cli;
  }

  /** The operation of conformed.tracking_counts' latest commit: WRITE (append) or MERGE. */
  private static String lastOperation(Lakehouse lh) {
    return lh.delta(Tables.TRACKING_COUNTS).history(1).first().getAs("operation");
  }

  /** admin_pcode reporting_date idp_individuals, sorted. */
  static List<String> counts(Lakehouse lh) {
    return lh
        .read(Tables.TRACKING_COUNTS)
        .orderBy("admin_pcode", "reporting_date")
        .collectAsList()
        .stream()
        .map(
            r ->
                r.getAs("admin_pcode")
                    + " "
                    + r.getAs("reporting_date")
                    + " "
                    + r.getAs("idp_individuals"))
        .toList();
  }

  @Test
  void aLaterMonthIsAppendedAndARepeatedReportIsMerged() throws IOException {
    Path lakehouse = work.resolve("lakehouse");
    Path empty = Files.createDirectories(work.resolve("empty"));
    Lakehouse lh = new Lakehouse(SparkTestSession.get(), lakehouse.toString());
    ingest(
        lakehouse,
        empty,
        "january.csv",
        "1,NE,NGA,NG008,NG008021,2,100,2024-01-15,1",
        "2,NE,NGA,NG008,NG008013,2,50,2024-01-15,1");
    assertThat(lastOperation(lh)).isEqualTo("WRITE");
    // February reports only: nothing stored is dated on or after them, so they are appended
    ingest(lakehouse, empty, "february.csv", "3,NE,NGA,NG008,NG008021,2,120,2024-02-15,2");
    assertThat(lastOperation(lh)).isEqualTo("WRITE");
    assertThat(counts(lh))
        .containsExactly(
            "NG008013 2024-01-15 50", "NG008021 2024-01-15 100", "NG008021 2024-02-15 120");
    // a corrected February sent under another name, with a March report: the February report's
    // grain is stored, so the batch is merged and the report replaced, not added twice
    ingest(
        lakehouse,
        empty,
        "february-corrected.csv",
        "4,NE,NGA,NG008,NG008021,2,125,2024-02-15,2",
        "5,NE,NGA,NG008,NG008021,2,130,2024-03-15,3");
    assertThat(lastOperation(lh)).isEqualTo("MERGE");
    assertThat(counts(lh))
        .containsExactly(
            "NG008013 2024-01-15 50",
            "NG008021 2024-01-15 100",
            "NG008021 2024-02-15 125",
            "NG008021 2024-03-15 130");
    // all three reloaded at once, in the order they last loaded: the correction, loaded after the
    // file it corrects though its name sorts first, still wins
    List<String> before = counts(lh);
    Cli forced = ingest(lakehouse, empty, work, "--force");
    assertThat(forced.out).contains("3 file(s)");
    assertThat(counts(lh)).isEqualTo(before);
    // the first February reloaded alone wins its report back, and keeps it through a reload of all
    ingest(lakehouse, empty, work.resolve("february.csv"), "--force");
    List<String> reverted =
        List.of(
            "NG008013 2024-01-15 50",
            "NG008021 2024-01-15 100",
            "NG008021 2024-02-15 120",
            "NG008021 2024-03-15 130");
    assertThat(counts(lh)).isEqualTo(reverted);
    ingest(lakehouse, empty, work, "--force");
    assertThat(counts(lh)).isEqualTo(reverted);
  }
}
