package org.idsolutions.pipeline.ingest;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.idsolutions.pipeline.config.PipelineConfig;
import org.idsolutions.pipeline.conform.admin.AdminUnits;
import org.idsolutions.pipeline.conform.tracking.TrackingConform;
import org.idsolutions.pipeline.conform.tracking.TrackingRules;
import org.idsolutions.pipeline.errors.Errors;
import org.idsolutions.pipeline.errors.PipelineException;
import org.idsolutions.pipeline.lakehouse.Lakehouse;
import org.idsolutions.pipeline.lakehouse.SparkSessions;
import org.idsolutions.pipeline.lakehouse.Sql;
import org.idsolutions.pipeline.lakehouse.Tables;
import org.idsolutions.pipeline.ops.FileGate;
import org.idsolutions.pipeline.ops.LoadLedger;
import org.idsolutions.pipeline.raw.InputFile;
import org.idsolutions.pipeline.raw.InputFiles;
import org.idsolutions.pipeline.raw.TrackingFields;
import org.idsolutions.pipeline.raw.TrackingReader;
import org.idsolutions.pipeline.stage.ExecutionMode;
import org.idsolutions.pipeline.stage.Stage;
import org.idsolutions.pipeline.stage.StageContext;
import org.idsolutions.pipeline.stage.StageResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tracking files -> raw.tracking -> conformed.tracking_counts, with rejected rows in
 * quarantine.rejected_rows and each file in ops.load_files. Every file is checked before anything
 * is written; a file whose checksum was loaded is skipped unless forced. Writes are keyed by source
 * file (replaceWhere, MERGE), so a crashed or repeated load leaves the tables as if it ran once.
 */
public final class TrackingIngestStage implements Stage {
  public static final String NAME = "ingest-tracking";
  private static final Logger LOG = LoggerFactory.getLogger(TrackingIngestStage.class);

  @Override
  public String name() {
    return NAME;
  }

  /**
   * Checks the files as ingest would, writing nothing; returns them with their format and checksum.
   */
  public static List<InputFile> validate(SparkSession spark, PipelineConfig config) {
    List<InputFile> files = inspect(spark, config, InputFile.KnownChecksums.NONE);
    for (InputFile f : files) {
      checkContent(spark, f);
    }
    return files;
  }

  /** Finds the input files and checks names, formats and CSV headers, without Spark jobs. */
  private static List<InputFile> inspect(
      SparkSession spark, PipelineConfig config, InputFile.KnownChecksums known) {
    return InputFiles.inspect(
        spark.sparkContext().hadoopConfiguration(),
        config.inputs().tracking(),
        TrackingFields.REQUIRED,
        TrackingFields::canonical,
        known);
  }

  /** Parses a JSON file fully (FAILFAST) so a malformed file is refused before any write. */
  private static void checkContent(SparkSession spark, InputFile file) {
    if (!InputFile.JSON.equals(file.format())) {
      return;
    }
    String apiFailure;
    try {
      apiFailure = TrackingReader.apiFailureMessage(spark, file);
    } catch (Exception e) { // SparkException is checked but undeclared
      throw Errors.malformedFile(file.path(), "invalid JSON (" + rootMessage(e) + ")");
    }
    if (apiFailure != null) {
      throw Errors.apiFailure(file.path(), apiFailure);
    }
  }

  /**
   * The batch's first pass over its records, which computes and caches the checked rows: counts per
   * file for the quality gate and, in the same aggregation, any API envelope that says the call
   * failed. Refuses the batch, before any write, when a file is not valid JSON (traced back to its
   * file by checking the files one by one) or an API call failed.
   */
  private static FileGate gate(
      SparkSession spark,
      Dataset<Row> checked,
      List<InputFile> files,
      String settings,
      double maxShare) {
    Column apiFailure =
        when(
            col(TrackingReader.API_SUCCESS).equalTo("false"),
            coalesce(col(TrackingReader.API_MESSAGE), lit("no message")));
    FileGate fileGate;
    try {
      fileGate = FileGate.evaluate(checked, files, "tracking", settings, maxShare, apiFailure);
    } catch (Exception e) { // SparkException is checked but undeclared
      throw unreadable(spark, files, e);
    }
    if (!fileGate.refusals().isEmpty()) {
      Map.Entry<String, String> first = fileGate.refusals().entrySet().iterator().next();
      throw Errors.apiFailure(first.getKey(), first.getValue());
    }
    return fileGate;
  }

  /**
   * The error for a batch whose files could not be read: the first file that is not valid JSON
   * (checking the files one by one), else the cause's message.
   */
  private static PipelineException unreadable(
      SparkSession spark, List<InputFile> files, Exception e) {
    for (InputFile f : files) {
      checkContent(spark, f);
    }
    return Errors.failed("cannot read the tracking files: " + rootMessage(e), e);
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return Errors.firstLine(t.getMessage());
  }

  @Override
  public StageResult run(StageContext ctx) {
    SparkSession spark = ctx.spark();
    PipelineConfig config = ctx.config();
    Lakehouse lh = ctx.lakehouse();
    long t0 = System.nanoTime();
    LoadLedger.Loaded loaded = LoadLedger.loaded(lh, "tracking");
    List<InputFile> files = inspect(spark, config, loaded.known(ctx.force()));
    String settings = IngestSettings.tracking(spark.sparkContext().hadoopConfiguration(), config);
    // the batch's later file wins a grain key: in the order the files last loaded
    LoadLedger.Selection<InputFile> selection =
        loaded.toLoad(loaded.inLoadOrder(files), f -> f, f -> settings, ctx.force());
    List<InputFile> todo = selection.todo();
    if (todo.isEmpty()) {
      return StageResult.skipped(NAME, null, files.size() + " file(s) already loaded");
    }
    long bytes = todo.stream().mapToLong(InputFile::sizeBytes).sum();
    try (SparkSessions.Restore mode = ExecutionMode.forStage(spark, config, NAME, bytes)) {
      return ingest(ctx, selection, settings, t0);
    }
  }

  /** Reads, checks and writes the new files. */
  private StageResult ingest(
      StageContext ctx, LoadLedger.Selection<InputFile> selection, String settings, long t0) {
    List<InputFile> todo = selection.todo();
    SparkSession spark = ctx.spark();
    PipelineConfig config = ctx.config();
    Lakehouse lh = ctx.lakehouse();
    // one pass over the files: the checked rows carry every raw field, so raw.tracking, the
    // quarantine and the conformed rows are all written from one cache (the distinct admin inputs
    // and the duplicate ids are found from it too, without reading the files again or shuffling
    // the rows); the admin units are matched on the cached rows, by a broadcast join
    Dataset<Row> units = AdminUnits.load(spark, config.inputs().adminUnits());
    Dataset<Row> aliases = AdminUnits.loadAliases(spark, config.inputs().adminAliases());
    // the rules over the union of the files' scans are planned once, above the union (change 101)
    Dataset<Row> rows;
    try (SparkSessions.Restore once = SparkSessions.projectionsAboveUnions(spark)) {
      rows =
          TrackingRules.rowRules(
                  TrackingReader.readAll(spark, todo, ctx.runId()), config.tracking())
              .persist(StorageLevel.MEMORY_AND_DISK());
    }
    try {
      Dataset<Row> checked;
      try { // matching the admin units reads (and caches) the rows
        checked = TrackingRules.checkRuled(rows, units, aliases, true);
      } catch (Exception e) { // SparkException is checked but undeclared
        throw unreadable(spark, todo, e);
      }
      FileGate fileGate = gate(spark, checked, todo, settings, config.quality().maxRejectShare());
      LOG.info(
          "read and checked {} new file(s) at {} ms",
          todo.size(),
          (System.nanoTime() - t0) / 1_000_000);
      lh.ensure(
          List.of(
              Tables.RAW_TRACKING, Tables.QUARANTINE, Tables.TRACKING_COUNTS, Tables.LOAD_FILES));
      loadReference(ctx);
      return load(ctx, selection, checked, fileGate);
    } finally {
      rows.unpersist();
    }
  }

  private StageResult load(
      StageContext ctx,
      LoadLedger.Selection<InputFile> selection,
      Dataset<Row> checked,
      FileGate fileGate) {
    Lakehouse lh = ctx.lakehouse();
    List<String> paths = fileGate.paths();
    List<String> passing = fileGate.passing();
    List<LoadLedger.Entry> entries = fileGate.entries();
    PipelineException gate = fileGate.failure();
    long read = fileGate.read();
    long rejected = fileGate.rejected();

    String files = Sql.in("source_file", paths);
    List<Column> rawColumns = new ArrayList<>();
    for (var field : Tables.RAW_TRACKING.schema().fields()) {
      rawColumns.add(col(field.name()));
    }
    checked
        .select(rawColumns.toArray(new Column[0]))
        .write()
        .format("delta")
        .mode("overwrite")
        .option("replaceWhere", files)
        .save(lh.path(Tables.RAW_TRACKING));
    LOG.info("raw written");
    TrackingConform.rejected(checked, ctx.runId())
        .write()
        .format("delta")
        .mode("overwrite")
        .option("replaceWhere", "family = 'tracking' AND " + files)
        .save(lh.path(Tables.QUARANTINE));
    LOG.info("quarantine written");

    long conformedRows = 0;
    if (!passing.isEmpty()) {
      Dataset<Row> accepted =
          TrackingConform.accepted(checked).where(col("source_file").isin(passing.toArray()));
      conformedRows =
          merge(
              lh,
              TrackingConform.aggregate(accepted, ctx.config().tracking()),
              accepted,
              passing,
              LoadLedger.anyLoadedBefore(lh, "tracking", passing));
      LOG.info("conformed merged");
    }
    LoadLedger.append(lh, ctx.runId(), entries);
    if (gate != null) {
      throw gate;
    }
    return new StageResult(
        NAME,
        StageResult.SUCCEEDED,
        read,
        conformedRows,
        rejected,
        lh.versions(List.of(Tables.RAW_TRACKING, Tables.QUARANTINE, Tables.TRACKING_COUNTS)),
        null,
        selection.summary("file"));
  }

  /** Publishes the admin reference as reference.admin_units when its file changed. */
  private static void loadReference(StageContext ctx) {
    Lakehouse lh = ctx.lakehouse();
    String path = ctx.config().inputs().adminUnits();
    LoadLedger.Loaded loaded = LoadLedger.loaded(lh, "reference");
    InputFile ref =
        InputFiles.inspect(
                ctx.spark().sparkContext().hadoopConfiguration(),
                path,
                List.of(),
                h -> h,
                loaded.known(ctx.force()))
            .get(0);
    if (lh.exists(Tables.REFERENCE_ADMIN_UNITS) && loaded.checksums().contains(ref.checksum())) {
      return;
    }
    lh.ensure(Tables.REFERENCE_ADMIN_UNITS);
    Dataset<Row> units = AdminUnits.load(ctx.spark(), path).persist(StorageLevel.MEMORY_AND_DISK());
    long n = units.count();
    units.write().format("delta").mode("overwrite").save(lh.path(Tables.REFERENCE_ADMIN_UNITS));
    units.unpersist();
    LoadLedger.append(
        lh,
        ctx.runId(),
        List.of(
            new LoadLedger.Entry(
                ref.path(),
                "reference",
                InputFile.CSV,
                ref.checksum(),
                ref.sizeBytes(),
                n,
                n,
                0,
                LoadLedger.LOADED,
                ref.modifiedMillis(),
                null)));
  }

  /**
   * Upserts by grain, within the batch's countries, and returns the number of conformed rows (from
   * the commit's metrics: the rows are computed once, by the write, with no cache or count of their
   * own). When a file is loaded again, its rows that are no longer in it are deleted. A batch that
   * can match no row of the table is appended instead (change 77): the grain holds the country and
   * the reporting date, so when the table has no row of a batch country dated on or after that
   * country's earliest report in the batch (a new month of rounds, or the first load), nothing can
   * match, and the merge's join with every stored row of those countries is not needed.
   *
   * @param accepted the cached accepted rows {@code conformed} is computed from: its countries and
   *     earliest reports are read from them rather than by computing {@code conformed} a second
   *     time
   */
  private static long merge(
      Lakehouse lh,
      Dataset<Row> conformed,
      Dataset<Row> accepted,
      List<String> files,
      boolean reload) {
    if (lh.read(Tables.TRACKING_COUNTS).isEmpty()) {
      // the first load: appended without a pass over the batch for its countries' dates
      return append(lh, conformed);
    }
    Map<String, LocalDate> earliest = new TreeMap<>();
    for (Row r : accepted.groupBy("country").agg(min("report_date")).collectAsList()) {
      earliest.put(r.getString(0), r.isNullAt(1) ? null : r.getDate(1).toLocalDate());
    }
    if (!reload && !holdsFrom(lh, earliest)) {
      return append(lh, conformed);
    }
    StringBuilder on = new StringBuilder();
    for (String k : TrackingConform.GRAIN) {
      on.append("t.").append(k).append(" = s.").append(k).append(" AND ");
    }
    on.append(earliest.isEmpty() ? "false" : Sql.in("t.country_code", earliest.keySet()));
    var merge =
        lh.delta(Tables.TRACKING_COUNTS)
            .as("t")
            .merge(conformed.as("s"), on.toString())
            .whenMatched()
            .updateAll()
            .whenNotMatched()
            .insertAll();
    if (reload) {
      merge = merge.whenNotMatchedBySource(Sql.in("t.source_file", files)).delete();
    }
    merge.execute();
    return written(lh, "numSourceRows", conformed);
  }

  private static long append(Lakehouse lh, Dataset<Row> conformed) {
    conformed.write().format("delta").mode("append").save(lh.path(Tables.TRACKING_COUNTS));
    return written(lh, "numOutputRows", conformed);
  }

  /**
   * Whether conformed.tracking_counts holds a row of one of the countries dated on or after the
   * country's date (an unknown date counts as the earliest). Delta skips the files whose reporting
   * date statistics end before it, so a new month reads no file.
   */
  private static boolean holdsFrom(Lakehouse lh, Map<String, LocalDate> earliest) {
    return !lh.read(Tables.TRACKING_COUNTS).where(TrackingConform.reportsFrom(earliest)).isEmpty();
  }

  /**
   * A row count from conformed.tracking_counts' latest commit, or {@code conformed} counted again
   * when the commit has no metrics.
   */
  private static long written(Lakehouse lh, String metric, Dataset<Row> conformed) {
    String value = lh.lastMetrics(Tables.TRACKING_COUNTS).get(metric);
    return value != null ? Long.parseLong(value) : conformed.count();
  }
}
