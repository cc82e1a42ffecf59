package org.idsolutions.pipeline.ops;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.idsolutions.pipeline.errors.Errors;
import org.idsolutions.pipeline.errors.PipelineException;
import org.idsolutions.pipeline.raw.InputFile;

/**
 * Per-file reconciliation and the data-quality gate of one load: rows read and quarantined per file
 * (one aggregation over the checked rows, which may also find files to refuse), which files pass
 * {@code quality.max-reject-share}, and their ledger rows.
 *
 * @param paths every file of the load
 * @param passing files whose rows may reach the conformed tables
 * @param entries ops.load_files rows (loaded or quality_gate_failed)
 * @param failure the gate error of the first failing file, or null
 * @param refusals per file whose rows say the whole file must be refused, one of their reasons (in
 *     the order of the load's files; empty when none must)
 */
public record FileGate(
    List<String> paths,
    List<String> passing,
    List<LoadLedger.Entry> entries,
    PipelineException failure,
    long read,
    long rejected,
    Map<String, String> refusals) {

  /**
   * @param checked rows with {@code source_file} and {@code reject_rule} (null when accepted)
   * @param settings the hash of the ingest settings the files are conformed with, for the ledger
   */
  public static FileGate evaluate(
      Dataset<Row> checked,
      Collection<InputFile> files,
      String family,
      String settings,
      double maxShare) {
    return evaluate(
        checked, files, family, settings, maxShare, lit(null).cast(DataTypes.StringType));
  }

  /**
   * As {@link #evaluate(Dataset, Collection, String, String, double)}, in the same aggregation also
   * collecting {@code refusal}: per row, why its whole file must be refused, or null.
   */
  public static FileGate evaluate(
      Dataset<Row> checked,
      Collection<InputFile> files,
      String family,
      String settings,
      double maxShare,
      Column refusal) {
    Map<String, long[]> counts = new HashMap<>();
    Map<String, String> refused = new HashMap<>();
    for (Row r :
        checked
            .groupBy("source_file")
            .agg(count(lit(1)), count(col("reject_rule")), min(refusal))
            .collectAsList()) {
      counts.put(r.getString(0), new long[] {r.getLong(1), r.getLong(2)});
      if (!r.isNullAt(3)) {
        refused.put(r.getString(0), r.getString(3));
      }
    }
    Map<String, String> refusals = new LinkedHashMap<>();
    List<String> paths = new ArrayList<>();
    List<String> passing = new ArrayList<>();
    List<LoadLedger.Entry> entries = new ArrayList<>();
    PipelineException failure = null;
    long read = 0;
    long rejected = 0;
    for (InputFile f : files) {
      long[] c = counts.getOrDefault(f.path(), new long[] {0, 0});
      read += c[0];
      rejected += c[1];
      paths.add(f.path());
      if (refused.containsKey(f.path())) {
        refusals.put(f.path(), refused.get(f.path()));
      }
      double share = c[0] == 0 ? 0 : (double) c[1] / c[0];
      boolean failed = share > maxShare;
      if (failed) {
        failure = failure == null ? Errors.qualityGate(f.path(), share, maxShare) : failure;
      } else {
        passing.add(f.path());
      }
      entries.add(
          new LoadLedger.Entry(
              f.path(),
              family,
              f.format(),
              f.checksum(),
              f.sizeBytes(),
              c[0],
              c[0] - c[1],
              c[1],
              failed ? LoadLedger.QUALITY_GATE_FAILED : LoadLedger.LOADED,
              f.modifiedMillis(),
              settings));
    }
    return new FileGate(paths, passing, entries, failure, read, rejected, refusals);
  }
}
