package org.idsolutions.pipeline.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.idsolutions.pipeline.config.PipelineConfig;
import org.idsolutions.pipeline.config.SurveyConfigs;
import org.idsolutions.pipeline.config.SurveyManifest;
import org.idsolutions.pipeline.conform.admin.AdminUnits;
import org.idsolutions.pipeline.conform.survey.SurveyConform;
import org.idsolutions.pipeline.errors.Errors;
import org.idsolutions.pipeline.errors.PipelineException;
import org.idsolutions.pipeline.lakehouse.Lakehouse;
import org.idsolutions.pipeline.lakehouse.SparkSessions;
import org.idsolutions.pipeline.lakehouse.Sql;
import org.idsolutions.pipeline.lakehouse.Tables;
import org.idsolutions.pipeline.ops.HashKeys;
import org.idsolutions.pipeline.ops.LoadLedger;
import org.idsolutions.pipeline.raw.InputFile;
import org.idsolutions.pipeline.raw.InputFiles;
import org.idsolutions.pipeline.raw.KoboReader;
import org.idsolutions.pipeline.stage.ExecutionMode;
import org.idsolutions.pipeline.stage.Stage;
import org.idsolutions.pipeline.stage.StageContext;
import org.idsolutions.pipeline.stage.StageResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kobo exports named by the survey manifests -> raw.survey_responses ->
 * conformed.survey_households, rejected rows to quarantine. Every manifest and file header is
 * checked before anything is written; a survey's rows are replaced as a whole (replaceWhere
 * survey_id), so re-runs leave the tables as if loaded once.
 */
public final class SurveyIngestStage implements Stage {
  public static final String NAME = "ingest-surveys";
  private static final Logger LOG = LoggerFactory.getLogger(SurveyIngestStage.class);

  /** A manifest with its checked input file. */
  record Survey(SurveyManifest manifest, InputFile file, char separator, List<String> header) {}

  @Override
  public String name() {
    return NAME;
  }

  /** Manifests and file headers, checked: an unknown column is a usage error naming it. */
  static List<Survey> inspect(
      SparkSession spark, PipelineConfig config, InputFile.KnownChecksums known) {
    List<Survey> out = new ArrayList<>();
    for (SurveyManifest m : SurveyConfigs.manifests(config.inputs().surveys())) {
      InputFile file =
          InputFiles.inspect(
                  spark.sparkContext().hadoopConfiguration(), m.input(), List.of(), h -> h, known)
              .get(0);
      String headerLine;
      try (BufferedReader r =
          InputFiles.open(spark.sparkContext().hadoopConfiguration(), m.input())) {
        headerLine = r.readLine();
      } catch (IOException e) {
        throw Errors.failed("cannot read " + m.input() + ": " + e.getMessage(), e);
      }
      if (headerLine == null) {
        throw Errors.malformedFile(m.input(), "the file is empty");
      }
      char sep = KoboReader.separator(headerLine);
      List<String> header = KoboReader.header(headerLine);
      for (String c : SurveyConform.sourceColumns(m)) {
        if (!header.contains(c)) {
          throw Errors.usage(
              "survey "
                  + m.surveyId()
                  + ": column '"
                  + c
                  + "' named in the manifest is not in "
                  + m.input()
                  + ": fix conf/surveys/"
                  + m.surveyId()
                  + ".yaml or the export");
        }
      }
      out.add(new Survey(m, file, sep, header));
    }
    return out;
  }

  @Override
  public StageResult run(StageContext ctx) {
    SparkSession spark = ctx.spark();
    Lakehouse lh = ctx.lakehouse();
    LoadLedger.Loaded loaded = LoadLedger.loaded(lh, "survey");
    List<Survey> surveys = inspect(spark, ctx.config(), loaded.known(ctx.force()));
    if (surveys.isEmpty()) {
      return StageResult.skipped(
          NAME, null, "no survey manifests in " + ctx.config().inputs().surveys());
    }
    Function<SurveyManifest, String> settings =
        IngestSettings.surveys(spark.sparkContext().hadoopConfiguration(), ctx.config());
    LoadLedger.Selection<Survey> selection =
        loaded.toLoad(surveys, Survey::file, s -> settings.apply(s.manifest()), ctx.force());
    if (selection.todo().isEmpty()) {
      return StageResult.skipped(NAME, null, surveys.size() + " survey(s) already loaded");
    }
    long bytes = selection.todo().stream().mapToLong(t -> t.file().sizeBytes()).sum();
    try (SparkSessions.Restore mode = ExecutionMode.forStage(spark, ctx.config(), NAME, bytes)) {
      return load(ctx, selection, settings);
    }
  }

  /** Loads the surveys not loaded yet, in one commit per table. */
  private static StageResult load(
      StageContext ctx,
      LoadLedger.Selection<Survey> selection,
      Function<SurveyManifest, String> settings) {
    List<Survey> todo = selection.todo();
    SparkSession spark = ctx.spark();
    Lakehouse lh = ctx.lakehouse();
    lh.ensure(
        List.of(
            Tables.RAW_SURVEY_RESPONSES,
            Tables.QUARANTINE,
            Tables.SURVEY_HOUSEHOLDS,
            Tables.LOAD_FILES));
    String key =
        HashKeys.key(lh, spark.sparkContext().hadoopConfiguration(), System.getenv(HashKeys.ENV));
    Dataset<Row> units = AdminUnits.load(spark, ctx.config().inputs().adminUnits()).cache();
    long read = 0;
    long written = 0;
    long rejected = 0;
    PipelineException gate = null;
    List<LoadLedger.Entry> entries = new ArrayList<>();
    List<String> passing = new ArrayList<>();
    // the whole batch in one plan: one scan per export layout, and one check that looks each
    // row's manifest settings up by its survey (Spark jobs do not grow with the surveys)
    Dataset<Row> raw =
        KoboReader.readAll(
                spark,
                todo.stream()
                    .map(
                        s ->
                            new KoboReader.Export(
                                s.manifest().surveyId(), s.file(), s.separator(), s.header()))
                    .toList(),
                ctx.runId())
            .persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> checked =
        SurveyConform.check(
                raw,
                todo.stream().map(Survey::manifest).toList(),
                units,
                ctx.config().surveys(),
                key)
            .persist(StorageLevel.MEMORY_AND_DISK());
    // rows read and rejected per survey, for the whole batch in one job
    Map<String, long[]> counts = new HashMap<>();
    for (Row c :
        checked
            .groupBy("survey_id")
            .agg(count(lit(1)).as("read"), count(col("reject_rule")).as("rejected"))
            .collectAsList()) {
      counts.put(c.getString(0), new long[] {c.getLong(1), c.getLong(2)});
    }
    for (Survey s : todo) {
      SurveyManifest m = s.manifest();
      long[] c = counts.getOrDefault(m.surveyId(), new long[2]);
      long[] r = {c[0], 0, c[1]};
      double share = r[0] == 0 ? 0 : (double) r[2] / r[0];
      boolean failedGate = share > ctx.config().quality().maxRejectShare();
      if (failedGate && gate == null) {
        gate = Errors.qualityGate(s.file().path(), share, ctx.config().quality().maxRejectShare());
      }
      if (!failedGate) {
        r[1] = r[0] - r[2];
        passing.add(m.surveyId());
      }
      read += r[0];
      written += r[1];
      rejected += r[2];
      entries.add(
          new LoadLedger.Entry(
              s.file().path(),
              "survey",
              InputFile.CSV,
              s.file().checksum(),
              s.file().sizeBytes(),
              r[0],
              r[0] - r[2],
              r[2],
              failedGate ? LoadLedger.QUALITY_GATE_FAILED : LoadLedger.LOADED,
              s.file().modifiedMillis(),
              settings.apply(m)));
    }
    // One commit per table for the whole batch: each survey's rows are replaced as a whole.
    List<String> ids = todo.stream().map(s -> s.manifest().surveyId()).toList();
    List<String> paths = todo.stream().map(s -> s.file().path()).toList();
    raw.write()
        .format("delta")
        .mode("overwrite")
        .option("replaceWhere", Sql.in("survey_id", ids))
        .save(lh.path(Tables.RAW_SURVEY_RESPONSES));
    SurveyConform.rejected(checked, ctx.runId())
        .write()
        .format("delta")
        .mode("overwrite")
        .option("replaceWhere", "family = 'survey' AND " + Sql.in("source_file", paths))
        .save(lh.path(Tables.QUARANTINE));
    if (!passing.isEmpty()) {
      Lakehouse.byPartitions(
              SurveyConform.households(checked.where(col("survey_id").isin(passing.toArray()))),
              Tables.SURVEY_HOUSEHOLDS)
          .write()
          .format("delta")
          .mode("overwrite")
          .option("replaceWhere", Sql.in("survey_id", passing))
          .save(lh.path(Tables.SURVEY_HOUSEHOLDS));
    }
    checked.unpersist();
    raw.unpersist();
    units.unpersist();
    LoadLedger.append(lh, ctx.runId(), entries);
    if (gate != null) {
      throw gate;
    }
    return new StageResult(
        NAME,
        StageResult.SUCCEEDED,
        read,
        written,
        rejected,
        lh.versions(
            List.of(Tables.RAW_SURVEY_RESPONSES, Tables.QUARANTINE, Tables.SURVEY_HOUSEHOLDS)),
        null,
        selection.summary("survey"));
  }
}
