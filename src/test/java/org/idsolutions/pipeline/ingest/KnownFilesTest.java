package org.idsolutions.pipeline.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.idsolutions.pipeline.ingest.TrackingAppendOrMergeTest.counts;
import static org.idsolutions.pipeline.ingest.TrackingAppendOrMergeTest.ingest;
import static org.idsolutions.pipeline.ingest.TrackingAppendOrMergeTest.write;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.idsolutions.pipeline.lakehouse.Lakehouse;
import org.idsolutions.pipeline.lakehouse.Tables;
import org.idsolutions.pipeline.support.SparkTestSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file already loaded is known by the path, size and modification time the load ledger kept
 * (docs/performance.md, change 91): a later run takes its checksum from the ledger instead of
 * reading the whole file again. A file with another modification time is read and hashed.
 */
class KnownFilesTest {
  @TempDir Path work;

  @Test
  void aLoadedFileIsKnownByItsPathSizeAndTimeAndHashedAgainWhenItsTimeChanges() throws IOException {
    Path lakehouse = work.resolve("lakehouse");
    Path empty = Files.createDirectories(work.resolve("empty"));
    Lakehouse lh = new Lakehouse(SparkTestSession.get(), lakehouse.toString());
    Path file = work.resolve("reports.csv");
    write(file, "1,NE,NGA,NG008,NG008021,2,100,2024-01-15,1");
    FileTime loadedTime = FileTime.fromMillis(System.currentTimeMillis() - 3_600_000);
    Files.setLastModifiedTime(file, loadedTime);
    ingest(lakehouse, empty, file);
    Row entry = lh.read(Tables.LOAD_FILES).where("family = 'tracking'").first();
    assertThat(entry.<String>getAs("checksum")).isEqualTo(sha256(file));
    assertThat(entry.<java.sql.Timestamp>getAs("modified_at").getTime())
        .isEqualTo(loadedTime.toMillis());

    // other content of the same size, with the time the load saw: taken for the loaded file, whose
    // content is not read again (hashing it would have found the change)
    write(file, "1,NE,NGA,NG008,NG008021,2,200,2024-01-15,1");
    Files.setLastModifiedTime(file, loadedTime);
    assertThat(ingest(lakehouse, empty, file).out).contains("already loaded");
    assertThat(counts(lh)).containsExactly("NG008021 2024-01-15 100");

    // a new modification time: the file is hashed, found changed and loaded
    Files.setLastModifiedTime(file, FileTime.fromMillis(loadedTime.toMillis() + 60_000));
    assertThat(ingest(lakehouse, empty, file).out).doesNotContain("already loaded");
    assertThat(counts(lh)).containsExactly("NG008021 2024-01-15 200");

    // modified just before it is read (here: a time a minute ahead, never long enough ago however
    // slow the run): its time is not recorded, so it cannot vouch for the content of a later write
    // in the same tick of a coarse clock; the file is hashed on every run
    write(file, "1,NE,NGA,NG008,NG008021,2,300,2024-01-15,1");
    Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + 60_000));
    ingest(lakehouse, empty, file);
    assertThat(counts(lh)).containsExactly("NG008021 2024-01-15 300");
    FileTime justLoaded = Files.getLastModifiedTime(file);
    assertThat(
            lh.read(Tables.LOAD_FILES)
                .where("family = 'tracking' AND checksum = '" + sha256(file) + "'")
                .first()
                .<java.sql.Timestamp>getAs("modified_at"))
        .isNull();
    write(file, "1,NE,NGA,NG008,NG008021,2,400,2024-01-15,1");
    Files.setLastModifiedTime(file, justLoaded);
    assertThat(ingest(lakehouse, empty, file).out).doesNotContain("already loaded");
    assertThat(counts(lh)).containsExactly("NG008021 2024-01-15 400");
    assertThat(
            lh.read(Tables.LOAD_FILES)
                .where("family = 'tracking' AND status = 'loaded'")
                .select("checksum")
                .distinct()
                .count())
        .isEqualTo(4);
  }

  @Test
  void aLedgerWrittenBeforeModificationTimesGainsTheirColumn() throws IOException {
    Path lakehouse = work.resolve("lakehouse");
    Path empty = Files.createDirectories(work.resolve("empty"));
    SparkSession spark = SparkTestSession.get();
    Lakehouse lh = new Lakehouse(spark, lakehouse.toString());
    // ops.load_files as the pipeline created it before the column
    StructType before = new StructType();
    for (StructField f : Tables.LOAD_FILES.schema().fields()) {
      if (!f.name().equals("modified_at")) {
        before = before.add(f);
      }
    }
    spark
        .createDataFrame(List.<Row>of(), before)
        .write()
        .format("delta")
        .save(lh.path(Tables.LOAD_FILES));
    Path file = work.resolve("reports.csv");
    write(file, "1,NE,NGA,NG008,NG008021,2,100,2024-01-15,1");
    Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));

    ingest(lakehouse, empty, file);
    assertThat(List.of(lh.read(Tables.LOAD_FILES).columns())).contains("modified_at");
    assertThat(
            lh.read(Tables.LOAD_FILES)
                .where("family = 'tracking' AND modified_at IS NOT NULL")
                .count())
        .isEqualTo(1);
    assertThat(ingest(lakehouse, empty, file).out).contains("already loaded");
    assertThat(counts(lh)).containsExactly("NG008021 2024-01-15 100");
  }

  /** The file's SHA-256, computed here with the JDK alone. */
  private static String sha256(Path file) throws IOException {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
