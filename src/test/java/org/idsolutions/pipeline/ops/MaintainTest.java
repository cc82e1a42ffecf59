package org.idsolutions.pipeline.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.idsolutions.pipeline.ingest.TrackingAppendOrMergeTest;
import org.idsolutions.pipeline.lakehouse.Lakehouse;
import org.idsolutions.pipeline.lakehouse.TableSpec;
import org.idsolutions.pipeline.lakehouse.Tables;
import org.idsolutions.pipeline.support.Cli;
import org.idsolutions.pipeline.support.SparkTestSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `maintain` compacts the tables' small files and deletes the files no version within the retention
 * needs, without changing a row or the file layout the incremental stages rely on, and the stages
 * carry on incrementally after it.
 */
class MaintainTest {
  private static final String CHECK = "spark.databricks.delta.retentionDurationCheck.enabled";

  @TempDir Path work;

  private Path lakehouse() {
    return work.resolve("lakehouse");
  }

  private Path empty() throws IOException {
    return Files.createDirectories(work.resolve("empty"));
  }

  /** One tracking report of the NGA unit NG008021 for a month of 2024. */
  private void load(int month, int idps) throws IOException {
    Path file = work.resolve("m" + month + ".csv");
    String date = String.format("2024-%02d-15", month);
    TrackingAppendOrMergeTest.write(
        file, month + ",NE,NGA,NG008,NG008021,2," + idps + "," + date + ",1");
    TrackingAppendOrMergeTest.ingest(lakehouse(), empty(), file);
  }

  private Cli cli(String... command) throws IOException {
    return Cli.run(
        Cli.testConfig(
            lakehouse(), Map.of("inputs.surveys", empty(), "inputs.programmes", empty()), command));
  }

  /** `maintain` with Delta's retention check off, which must succeed. */
  private Cli maintain(String... options) throws IOException {
    List<String> args = new ArrayList<>(List.of("--set", "spark.conf." + CHECK + "=false"));
    args.add("maintain");
    args.addAll(Arrays.asList(options));
    Cli cli;
    try {
      cli = cli(args.toArray(new String[0]));
    } finally {
      SparkTestSession.get().conf().unset(CHECK);
    }
    assertThat(cli.exitCode).as(cli.err).isZero();
    return cli;
  }

  private Lakehouse lh() {
    return new Lakehouse(SparkTestSession.get(), lakehouse().toString());
  }

  /** Every existing table's rows, sorted, but the run log's (maintain adds its own run). */
  private static Map<String, List<String>> rows(Lakehouse lh) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (TableSpec t : Tables.ALL) {
      if (lh.exists(t) && t != Tables.PIPELINE_RUNS) {
        out.put(
            t.qualifiedName(),
            lh.read(t).collectAsList().stream().map(Row::toString).sorted().toList());
      }
    }
    return out;
  }

  private static List<String> currentFiles(Lakehouse lh, TableSpec t) {
    return Arrays.stream(lh.read(t).inputFiles()).sorted().toList();
  }

  /** The data files stored under the table's folder, current or not. */
  private static long storedFiles(Lakehouse lh, TableSpec t) throws IOException {
    try (Stream<Path> files = Files.walk(Path.of(lh.path(t)))) {
      return files
          .filter(p -> p.toString().endsWith(".parquet") && !p.toString().contains("_delta_log"))
          .count();
    }
  }

  @Test
  void compactsAndVacuumsWithoutChangingARowAndTheStagesCarryOn() throws IOException {
    // two months loaded one at a time: two appends to each tracking table and the ledger
    load(1, 100);
    load(2, 120);
    assertThat(cli("indicators", "tracking").exitCode).isZero();
    Lakehouse lh = lh();
    Map<String, List<String>> before = rows(lh);
    List<String> counts = currentFiles(lh, Tables.TRACKING_COUNTS);
    List<String> values = currentFiles(lh, Tables.INDICATOR_VALUES);
    assertThat(currentFiles(lh, Tables.RAW_TRACKING)).hasSize(2);
    assertThat(currentFiles(lh, Tables.LOAD_FILES)).hasSizeGreaterThan(1);
    assertThat(counts).hasSize(2);

    // a file of a write killed before its commit: no version refers to it
    Path orphan = Path.of(lh.path(Tables.RAW_TRACKING), "part-00000-killed-write.snappy.parquet");
    Files.copy(Path.of(java.net.URI.create(counts.get(0))), orphan);
    Files.setLastModifiedTime(
        orphan, FileTime.from(Instant.now().minus(1, java.time.temporal.ChronoUnit.DAYS)));
    // and one in the ledger's folder, which the full vacuum of raw.tracking alone leaves
    Path otherOrphan =
        Path.of(lh.path(Tables.LOAD_FILES), "part-00000-killed-write.snappy.parquet");
    Files.copy(orphan, otherOrphan);
    Files.setLastModifiedTime(
        otherOrphan, FileTime.from(Instant.now().minus(1, java.time.temporal.ChronoUnit.DAYS)));

    Cli maintain = maintain("--retain-hours", "0");
    assertThat(maintain.out).contains("maintain").contains("succeeded");

    // not a row changed; the raw table and the ledger are one file each, the replaced ones deleted
    // (the default vacuum reads the Delta log, which does not know the killed write's file)
    assertThat(rows(lh)).isEqualTo(before);
    assertThat(currentFiles(lh, Tables.RAW_TRACKING)).hasSize(1);
    assertThat(storedFiles(lh, Tables.RAW_TRACKING)).isEqualTo(2);
    assertThat(maintain("--retain-hours", "0", "--full-vacuum", "--no-compact", "raw.tracking").out)
        .contains("1 table: ", "FULL vacuum");
    assertThat(orphan).doesNotExist();
    assertThat(otherOrphan).exists();
    assertThat(storedFiles(lh, Tables.RAW_TRACKING)).isEqualTo(1);
    assertThat(rows(lh)).isEqualTo(before);
    assertThat(currentFiles(lh, Tables.LOAD_FILES)).hasSize(1);
    assertThat(lh.delta(Tables.RAW_TRACKING).history().where("operation = 'OPTIMIZE'").count())
        .isEqualTo(1);
    // the tables cut for the incremental runs keep their files
    assertThat(currentFiles(lh, Tables.TRACKING_COUNTS)).isEqualTo(counts);
    assertThat(currentFiles(lh, Tables.INDICATOR_VALUES)).isEqualTo(values);
    assertThat(storedFiles(lh, Tables.TRACKING_COUNTS)).isEqualTo(2);

    // the stages see no change, then carry on incrementally with a new month
    assertThat(cli("indicators", "tracking").out).contains("skipped");
    load(3, 150);
    Cli fourth = cli("indicators", "tracking");
    assertThat(fourth.exitCode).as(fourth.err).isZero();
    assertThat(fourth.out).contains("countries [NGA] recomputed");
    List<Row> march =
        lh.read(Tables.INDICATOR_VALUES)
            .where(
                "admin_code = 'NG008021' AND indicator_id = 'idp_stock' AND period_type = 'month'"
                    + " AND period_start = DATE'2024-03-01'")
            .select("value")
            .collectAsList();
    assertThat(march).hasSize(1);
    assertThat(march.get(0).getDouble(0)).isEqualTo(150.0);
  }

  @Test
  void aRetentionBelowDeltasLimitIsRefusedBeforeAnythingIsWritten() throws IOException {
    Cli refused = cli("maintain", "--retain-hours", "1");
    assertThat(refused.exitCode).isEqualTo(2);
    assertThat(refused.err)
        .contains("--retain-hours 1 is below Delta's 168-hour safety limit")
        .contains(CHECK + "=false");
    Cli contradict = cli("maintain", "--no-vacuum", "--full-vacuum");
    assertThat(contradict.exitCode).isEqualTo(2);
    Cli nothing = cli("maintain", "--no-vacuum", "--no-compact");
    assertThat(nothing.exitCode).isEqualTo(2);
    assertThat(nothing.err).contains("leave nothing to do");
    Cli unknown = cli("maintain", "raw.trackin");
    assertThat(unknown.exitCode).isEqualTo(2);
    assertThat(unknown.err).contains("unknown table 'raw.trackin': use one of [raw.tracking");
    Cli absent = cli("maintain", "raw.tracking");
    assertThat(absent.exitCode).isEqualTo(2);
    assertThat(absent.err).contains("raw.tracking does not exist in ");
    // not even the run log: a refused maintain is not a stage run
    Lakehouse lh = lh();
    assertThat(Tables.ALL.stream().filter(lh::exists).toList()).isEmpty();
  }
}
