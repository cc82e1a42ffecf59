package org.idsolutions.pipeline.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.storage.StorageLevel;
import org.idsolutions.pipeline.config.PipelineConfig;
import org.idsolutions.pipeline.config.ThreeWColumns;
import org.idsolutions.pipeline.conform.admin.AdminUnits;
import org.idsolutions.pipeline.conform.programme.ProgrammeConform;
import org.idsolutions.pipeline.conform.programme.ProgrammeReference;
import org.idsolutions.pipeline.errors.Errors;
import org.idsolutions.pipeline.errors.PipelineException;
import org.idsolutions.pipeline.lakehouse.Lakehouse;
import org.idsolutions.pipeline.lakehouse.SparkSessions;
import org.idsolutions.pipeline.lakehouse.Sql;
import org.idsolutions.pipeline.lakehouse.TableSpec;
import org.idsolutions.pipeline.lakehouse.Tables;
import org.idsolutions.pipeline.ops.FileGate;
import org.idsolutions.pipeline.ops.LoadLedger;
import org.idsolutions.pipeline.raw.IatiReader;
import org.idsolutions.pipeline.raw.InputFile;
import org.idsolutions.pipeline.raw.InputFiles;
import org.idsolutions.pipeline.raw.ThreeWReader;
import org.idsolutions.pipeline.stage.ExecutionMode;
import org.idsolutions.pipeline.stage.Stage;
import org.idsolutions.pipeline.stage.StageContext;
import org.idsolutions.pipeline.stage.StageResult;

/**
 * IATI XML and 3W CSV files -> raw.programme_records -> conformed programme tables (activities,
 * locations, finance, sectors, reach), bad activities to quarantine. Files are checked first (3W
 * tags; well-formed XML of the files to load); a loaded checksum is skipped unless forced; every
 * table is written by source file (replaceWhere).
 */
public final class ProgrammeIngestStage implements Stage {
  public static final String NAME = "ingest-programmes";
  static final List<TableSpec> CONFORMED = Tables.PROGRAMME_CONFORMED;

  @Override
  public String name() {
    return NAME;
  }

  /**
   * The files with, for 3W sheets, the tag of each column (none for IATI files, whose
   * well-formedness is checked once they are to be loaded: {@link #checkWellFormed}).
   */
  static Map<InputFile, List<String>> inspect(
      SparkSession spark, PipelineConfig config, InputFile.KnownChecksums known) {
    var hadoop = spark.sparkContext().hadoopConfiguration();
    ThreeWColumns headers = ThreeWColumns.load(config.inputs().threeWColumns());
    Map<InputFile, List<String>> out = new java.util.LinkedHashMap<>();
    for (InputFile f :
        InputFiles.inspect(hadoop, config.inputs().programmes(), List.of(), h -> h, known)) {
      if (InputFile.XML.equals(f.format())) {
        out.put(f, List.of());
      } else if (InputFile.CSV.equals(f.format())) {
        out.put(f, ThreeWReader.tags(hadoop, f, headers.headers()));
      } else {
        throw Errors.unsupportedFormat(f.path());
      }
    }
    return out;
  }

  @Override
  public StageResult run(StageContext ctx) {
    SparkSession spark = ctx.spark();
    Lakehouse lh = ctx.lakehouse();
    PipelineConfig config = ctx.config();
    if (InputFiles.isEmptyFolder(
        spark.sparkContext().hadoopConfiguration(), config.inputs().programmes())) {
      return StageResult.skipped(
          NAME, null, "no programme files in " + config.inputs().programmes());
    }
    LoadLedger.Loaded loaded = LoadLedger.loaded(lh, "programme");
    Map<InputFile, List<String>> files = inspect(spark, config, loaded.known(ctx.force()));
    // in the order the files last loaded (the ledger records it: the versions of an activity in
    // several files count by it, ProgrammeIndicators.superseded)
    String settings = IngestSettings.programme(spark.sparkContext().hadoopConfiguration(), config);
    LoadLedger.Selection<InputFile> selection =
        loaded.toLoad(loaded.inLoadOrder(files.keySet()), f -> f, f -> settings, ctx.force());
    Map<InputFile, List<String>> todo = new java.util.LinkedHashMap<>();
    for (InputFile f : selection.todo()) {
      todo.put(f, files.get(f));
    }
    if (todo.isEmpty()) {
      return StageResult.skipped(NAME, null, files.size() + " file(s) already loaded");
    }
    checkWellFormed(spark, todo.keySet());
    long bytes = todo.keySet().stream().mapToLong(InputFile::sizeBytes).sum();
    try (SparkSessions.Restore mode = ExecutionMode.forStage(spark, config, NAME, bytes)) {
      return read(ctx, todo, settings, selection.summary("file"));
    }
  }

  /**
   * Refuses the batch, before anything is read with Spark, when an IATI file to load is not
   * well-formed XML. Only the files to load are parsed: the files loaded before were checked then.
   */
  private static void checkWellFormed(SparkSession spark, Set<InputFile> files) {
    for (InputFile f : files) {
      if (InputFile.XML.equals(f.format())) {
        IatiReader.checkWellFormed(spark.sparkContext().hadoopConfiguration(), f.path());
      }
    }
  }

  /** Reads and checks the files not loaded yet, then loads them. */
  private StageResult read(
      StageContext ctx, Map<InputFile, List<String>> todo, String settings, String summary) {
    SparkSession spark = ctx.spark();
    Lakehouse lh = ctx.lakehouse();
    PipelineConfig config = ctx.config();
    List<TableSpec> tables = new ArrayList<>(CONFORMED);
    tables.add(Tables.RAW_PROGRAMME_RECORDS);
    tables.add(Tables.QUARANTINE);
    tables.add(Tables.LOAD_FILES);
    lh.ensure(tables);

    // One scan for the IATI files and one per group of 3W sheets with the same columns.
    Map<String, List<InputFile>> groups = new java.util.LinkedHashMap<>();
    for (Map.Entry<InputFile, List<String>> e : todo.entrySet()) {
      InputFile f = e.getKey();
      String key = InputFile.XML.equals(f.format()) ? "xml" : "3w " + f.hxlRow() + e.getValue();
      groups.computeIfAbsent(key, k -> new ArrayList<>()).add(f);
    }
    Dataset<Row> records = null;
    for (List<InputFile> group : groups.values()) {
      InputFile first = group.get(0);
      Dataset<Row> normalised =
          InputFile.XML.equals(first.format())
              ? ProgrammeConform.fromIati(IatiReader.readAll(spark, group, ctx.runId()))
              : ProgrammeConform.fromThreeW(ThreeWReader.readAll(spark, group, todo.get(first)));
      records = records == null ? normalised : records.unionByName(normalised);
    }
    records = records.persist(StorageLevel.MEMORY_AND_DISK());
    ProgrammeReference ref =
        ProgrammeReference.load(
            spark,
            config.inputs().fxRates(),
            config.inputs().sectorGroups(),
            config.inputs().countries());
    Dataset<Row> units = AdminUnits.load(spark, config.inputs().adminUnits());
    Dataset<Row> checked =
        ProgrammeConform.check(records, units, ref).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      return load(ctx, todo, checked, units, ref, settings, summary);
    } finally {
      checked.unpersist();
      records.unpersist();
    }
  }

  private StageResult load(
      StageContext ctx,
      Map<InputFile, List<String>> todo,
      Dataset<Row> checked,
      Dataset<Row> units,
      ProgrammeReference ref,
      String settings,
      String summary) {
    Lakehouse lh = ctx.lakehouse();
    FileGate fileGate =
        FileGate.evaluate(
            checked, todo.keySet(), "programme", settings, ctx.config().quality().maxRejectShare());
    List<String> paths = fileGate.paths();
    List<String> passing = fileGate.passing();
    List<LoadLedger.Entry> entries = fileGate.entries();
    PipelineException gate = fileGate.failure();
    long read = fileGate.read();
    long rejected = fileGate.rejected();
    String files = Sql.in("source_file", paths);
    write(
        checked.select(
            col("source_file"),
            col("source_format"),
            col("row_number"),
            col("raw_json").as("record_json"),
            checksumOf(todo).as("file_checksum"),
            lit(ctx.runId()).as("load_run_id")),
        lh,
        Tables.RAW_PROGRAMME_RECORDS,
        files);
    write(
        checked
            .where(col("reject_rule").isNotNull())
            .select(
                lit("programme").as("family"),
                col("source_file"),
                col("row_number"),
                col("quarantine_json").as("raw_row"),
                col("reject_rule").as("rule"),
                col("reject_message").as("message"),
                lit(ctx.runId()).as("run_id")),
        lh,
        Tables.QUARANTINE,
        "family = 'programme' AND " + files);
    long activities = 0;
    if (!passing.isEmpty()) {
      Dataset<Row> accepted =
          checked
              .where(col("reject_rule").isNull().and(col("source_file").isin(passing.toArray())))
              .withColumn("load_run_id", lit(ctx.runId()));
      String scope = Sql.in("source_file", passing);
      Dataset<Row> activityRows =
          accepted
              .withColumn("org_count", size(col("organisations")))
              .withColumn("joint", size(col("organisations")).geq(2));
      activities = activityRows.count();
      write(activityRows, lh, Tables.PROGRAMME_ACTIVITIES, scope);
      write(
          ProgrammeConform.locations(accepted, units, ref)
              .withColumnRenamed("loc_country", "country"),
          lh,
          Tables.PROGRAMME_LOCATIONS,
          scope);
      Dataset<Row> country =
          accepted.select(
              col("activity_id").as("a_id"), col("source_file").as("a_file"), col("country"));
      write(
          ProgrammeConform.finance(accepted, ref)
              .join(
                  country,
                  col("activity_id")
                      .equalTo(col("a_id"))
                      .and(col("source_file").equalTo(col("a_file")))),
          lh,
          Tables.PROGRAMME_FINANCE,
          scope);
      write(ProgrammeConform.sectors(accepted, ref), lh, Tables.PROGRAMME_SECTORS, scope);
      write(
          accepted
              .where(col("people_reached").isNotNull())
              .withColumn("reach_date", col("end_date")),
          lh,
          Tables.PROGRAMME_REACH,
          scope);
    }
    LoadLedger.append(lh, ctx.runId(), entries);
    if (gate != null) {
      throw gate;
    }
    List<TableSpec> written = new ArrayList<>(CONFORMED);
    written.add(Tables.QUARANTINE);
    return new StageResult(
        NAME,
        StageResult.SUCCEEDED,
        read,
        activities,
        rejected,
        lh.versions(written),
        null,
        summary);
  }

  /** The checksum of each record's source file. */
  private static Column checksumOf(Map<InputFile, List<String>> files) {
    Column c = lit(null).cast("string");
    for (InputFile f : files.keySet()) {
      c = when(col("source_file").equalTo(f.path()), lit(f.checksum())).otherwise(c);
    }
    return c;
  }

  /** Writes the table's columns of {@code df}, replacing the rows the predicate selects. */
  private static void write(Dataset<Row> df, Lakehouse lh, TableSpec table, String replaceWhere) {
    List<Column> cols = new ArrayList<>();
    for (StructField f : table.schema().fields()) {
      cols.add(col(f.name()).cast(f.dataType()).as(f.name()));
    }
    Lakehouse.byPartitions(df.select(cols.toArray(new Column[0])), table)
        .write()
        .format("delta")
        .mode("overwrite")
        .option("replaceWhere", replaceWhere)
        .save(lh.path(table));
  }
}
