package org.idsolutions.pipeline.ops;

import static org.apache.spark.sql.functions.col;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.idsolutions.pipeline.lakehouse.Lakehouse;
import org.idsolutions.pipeline.lakehouse.Tables;

/** ops.load_files: which files were loaded, by checksum, with their row reconciliation. */
public final class LoadLedger {
  public static final String LOADED = "loaded";
  public static final String QUALITY_GATE_FAILED = "quality_gate_failed";

  /** One file load. rowsRead = rowsConformed + rowsQuarantined. */
  public record Entry(
      String filePath,
      String family,
      String format,
      String checksum,
      long sizeBytes,
      long rowsRead,
      long rowsConformed,
      long rowsQuarantined,
      String status) {}

  private LoadLedger() {}

  /** Checksums of files of a family that loaded successfully. */
  public static Set<String> loadedChecksums(Lakehouse lh, String family) {
    Set<String> out = new HashSet<>();
    if (!lh.exists(Tables.LOAD_FILES)) {
      return out;
    }
    for (Row r :
        lh.read(Tables.LOAD_FILES)
            .where(col("family").equalTo(family).and(col("status").equalTo(LOADED)))
            .select("checksum")
            .distinct()
            .collectAsList()) {
      out.add(r.getString(0));
    }
    return out;
  }

  /**
   * Whether any of these paths was loaded before (a reload may drop rows the file no longer has).
   */
  public static boolean anyLoadedBefore(Lakehouse lh, String family, List<String> paths) {
    if (!lh.exists(Tables.LOAD_FILES) || paths.isEmpty()) {
      return false;
    }
    return !lh.read(Tables.LOAD_FILES)
        .where(col("family").equalTo(family).and(col("file_path").isin(paths.toArray())))
        .isEmpty();
  }

  public static void append(Lakehouse lh, String runId, List<Entry> entries) {
    if (entries.isEmpty()) {
      return;
    }
    lh.ensure(Tables.LOAD_FILES);
    Timestamp now = Timestamp.from(Instant.now());
    List<Row> rows = new ArrayList<>();
    for (Entry e : entries) {
      rows.add(
          RowFactory.create(
              e.filePath(),
              e.family(),
              e.format(),
              e.checksum(),
              e.sizeBytes(),
              e.rowsRead(),
              e.rowsConformed(),
              e.rowsQuarantined(),
              e.status(),
              now,
              runId));
    }
    lh.spark()
        .createDataFrame(rows, Tables.LOAD_FILES.schema())
        .write()
        .format("delta")
        .mode("append")
        .save(lh.path(Tables.LOAD_FILES));
  }
}
