package org.idsolutions.pipeline.ops;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.max_by;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.idsolutions.pipeline.lakehouse.Lakehouse;
import org.idsolutions.pipeline.lakehouse.Tables;
import org.idsolutions.pipeline.raw.InputFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** ops.load_files: which files were loaded, by checksum, with their row reconciliation. */
public final class LoadLedger {
  public static final String LOADED = "loaded";
  public static final String QUALITY_GATE_FAILED = "quality_gate_failed";
  static final String MODIFIED_AT = "modified_at";
  static final String SETTINGS = "settings";
  private static final Logger LOG = LoggerFactory.getLogger(LoadLedger.class);

  /**
   * One file load. rowsRead = rowsConformed + rowsQuarantined; settings: the hash of the ingest
   * settings the file was conformed with (null where none apply: reference files).
   */
  public record Entry(
      String filePath,
      String family,
      String format,
      String checksum,
      long sizeBytes,
      long rowsRead,
      long rowsConformed,
      long rowsQuarantined,
      String status,
      long modifiedMillis,
      String settings) {}

  /**
   * The files of a family that loaded successfully: their checksums, and each checksum by the path,
   * size and modification time the file had when it loaded. A file found again with the same three
   * is taken to hold the same content, as make and rsync take it, and is not read to be hashed
   * again; its path with another size or time, or a key that two loads gave different checksums, is
   * hashed. Loads recorded before the ledger kept modification times, and loads of files modified
   * just before they were read ({@link InputFile#UNSETTLED}), are only known by checksum. With
   * them: when each path last loaded, in milliseconds (the load order of {@link #inLoadOrder}), and
   * the ingest settings each checksum's latest load was conformed with (null for loads recorded
   * before the ledger kept them).
   */
  public record Loaded(
      Set<String> checksums,
      Map<List<Object>, String> byFile,
      Map<String, Long> lastLoaded,
      Map<String, String> settings)
      implements InputFile.KnownChecksums {
    /** Nothing loaded yet. */
    static final Loaded EMPTY = new Loaded(Set.of(), Map.of(), Map.of(), Map.of());

    /**
     * The files in the order they last loaded (each path's latest load; files never loaded last, in
     * the order given, by name). A batch's later file wins a key two of its files give, and across
     * loads the later load wins, so in this order a forced reload of every file gives each key what
     * it holds now: a correction loaded after the file it corrects, though named to sort before it,
     * still wins, and so does a file reloaded alone with --force. The entries of one load are
     * recorded 1 ms apart in the batch's order ({@link #append}), so the order survives a forced
     * reload of every file.
     */
    public List<InputFile> inLoadOrder(Collection<InputFile> files) {
      List<InputFile> out = new ArrayList<>(files);
      out.sort(
          Comparator.comparingLong(
              (InputFile f) -> lastLoaded.getOrDefault(f.path(), Long.MAX_VALUE)));
      return out;
    }

    @Override
    public String of(String path, long sizeBytes, long modifiedMillis) {
      return byFile.get(List.of(path, sizeBytes, modifiedMillis));
    }

    /**
     * The checksums to take instead of reading files: these, or none when the run is forced (a
     * forced run hashes every file).
     */
    public InputFile.KnownChecksums known(boolean force) {
      return force ? InputFile.KnownChecksums.NONE : this;
    }

    /**
     * Whether a file with this checksum is to be loaded: when forced, when none loaded it, or when
     * its latest load was conformed with other ingest settings ({@link #loadedWithOtherSettings}).
     */
    public boolean toLoad(String checksum, String settings, boolean force) {
      return force || !checksums.contains(checksum) || loadedWithOtherSettings(checksum, settings);
    }

    /**
     * The items whose files are to be loaded ({@link #toLoad(String, String, boolean)}), in the
     * order given, with how many of them load again because their settings changed; logs each item
     * skipped and each loaded again.
     */
    public <T> Selection<T> toLoad(
        Collection<T> items,
        Function<T, InputFile> file,
        Function<T, String> settingsOf,
        boolean force) {
      List<T> todo = new ArrayList<>();
      int again = 0;
      for (T item : items) {
        InputFile f = file.apply(item);
        String now = settingsOf.apply(item);
        if (!toLoad(f.checksum(), now, force)) {
          LOG.info("skipping {}: already loaded (checksum {})", f.path(), f.checksum());
          continue;
        }
        if (!force && loadedWithOtherSettings(f.checksum(), now)) {
          LOG.info(
              "loading {} again: its latest load had other ingest settings ({}, now {})",
              f.path(),
              settings.get(f.checksum()),
              now);
          again++;
        }
        todo.add(item);
      }
      return new Selection<>(todo, again);
    }

    /**
     * Whether the latest load of this checksum was conformed with other settings than these: its
     * rows would not be what a load now gives. A load recorded before the ledger kept settings
     * counts as other settings, so the first run after an upgrade loads every file once more.
     */
    public boolean loadedWithOtherSettings(String checksum, String settings) {
      return checksums.contains(checksum) && !Objects.equals(this.settings.get(checksum), settings);
    }
  }

  /**
   * The items to load, and how many of them load again because the settings they were loaded with
   * changed.
   */
  public record Selection<T>(List<T> todo, int again) {
    /** The stage's summary of the load: "3 file(s) loaded", with the reloads named. */
    public String summary(String what) {
      return todo.size()
          + " "
          + what
          + "(s) loaded"
          + (again == 0 ? "" : " (" + again + " again: the ingest settings changed)");
    }
  }

  private LoadLedger() {}

  /**
   * The files of a family that loaded successfully ({@link Loaded}), in one query: one row per
   * distinct file state loaded (as many as the family's input files over time, at most).
   */
  public static Loaded loaded(Lakehouse lh, String family) {
    if (!lh.exists(Tables.LOAD_FILES)) {
      return Loaded.EMPTY;
    }
    Dataset<Row> ledger = lh.read(Tables.LOAD_FILES);
    // a ledger written before a column existed gains it with its next load (mergeSchema)
    List<String> columns = List.of(ledger.columns());
    boolean timed = columns.contains(MODIFIED_AT);
    Column settings = columns.contains(SETTINGS) ? col(SETTINGS) : lit(null).cast("string");
    Set<String> checksums = new HashSet<>();
    Map<List<Object>, String> byFile = new HashMap<>();
    Map<String, Long> lastLoaded = new HashMap<>();
    Map<String, String> latestSettings = new HashMap<>();
    Map<String, Long> latestLoad = new HashMap<>();
    Set<List<Object>> ambiguous = new HashSet<>();
    for (Row r :
        ledger
            .where(col("family").equalTo(family).and(col("status").equalTo(LOADED)))
            .groupBy(
                col("checksum"),
                col("file_path"),
                col("size_bytes"),
                timed ? col(MODIFIED_AT) : lit(null).cast("timestamp"))
            .agg(max(col("loaded_at")), max_by(settings, col("loaded_at")))
            .collectAsList()) {
      long at = r.getTimestamp(4).getTime();
      checksums.add(r.getString(0));
      lastLoaded.merge(r.getString(1), at, Math::max);
      if (at >= latestLoad.getOrDefault(r.getString(0), Long.MIN_VALUE)) {
        latestLoad.put(r.getString(0), at);
        latestSettings.put(r.getString(0), r.getString(5));
      }
      if (r.isNullAt(3)) {
        continue;
      }
      List<Object> key = List.of(r.getString(1), r.getLong(2), r.getTimestamp(3).getTime());
      String earlier = byFile.putIfAbsent(key, r.getString(0));
      if (earlier != null && !earlier.equals(r.getString(0))) {
        ambiguous.add(key);
      }
    }
    byFile.keySet().removeAll(ambiguous);
    return new Loaded(checksums, byFile, lastLoaded, latestSettings);
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
    // the entries 1 ms apart, in the batch's order: the load order of Loaded.inLoadOrder
    long now = Instant.now().toEpochMilli();
    List<Row> rows = new ArrayList<>();
    for (Entry e : entries) {
      Timestamp loadedAt = new Timestamp(now + rows.size());
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
              loadedAt,
              runId,
              e.modifiedMillis() == InputFile.UNSETTLED ? null : new Timestamp(e.modifiedMillis()),
              e.settings()));
    }
    lh.spark()
        .createDataFrame(rows, Tables.LOAD_FILES.schema())
        .write()
        .format("delta")
        .mode("append")
        .option("mergeSchema", "true")
        .save(lh.path(Tables.LOAD_FILES));
  }
}
