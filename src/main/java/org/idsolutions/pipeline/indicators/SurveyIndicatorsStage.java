package org.idsolutions.pipeline.indicators;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.idsolutions.pipeline.config.IndicatorRules;
import org.idsolutions.pipeline.config.PipelineConfig;
import org.idsolutions.pipeline.config.SurveyConfigs;
import org.idsolutions.pipeline.indicators.survey.SurveyIndicators;
import org.idsolutions.pipeline.lakehouse.Lakehouse;
import org.idsolutions.pipeline.lakehouse.Tables;
import org.idsolutions.pipeline.ops.Fingerprints;
import org.idsolutions.pipeline.ops.RunLog;
import org.idsolutions.pipeline.stage.Stage;
import org.idsolutions.pipeline.stage.StageContext;
import org.idsolutions.pipeline.stage.StageResult;

/**
 * conformed.survey_households -> indicators.indicator_values (source family survey). Skips when
 * neither the households nor the indicator rules and publication settings changed since the last
 * run.
 */
public final class SurveyIndicatorsStage implements Stage {
  public static final String NAME = "indicators-surveys";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public StageResult run(StageContext ctx) {
    Lakehouse lh = ctx.lakehouse();
    PipelineConfig config = ctx.config();
    if (!lh.exists(Tables.SURVEY_HOUSEHOLDS)) {
      return StageResult.skipped(NAME, null, "no conformed survey data yet: run ingest surveys");
    }
    IndicatorRules rules = SurveyConfigs.rules(config.inputs().indicatorRules());
    String settings =
        Fingerprints.sha256(
                rules.subCriteria().toString()
                    + config.suppression()
                    + config.surveys().confidenceLevel())
            .substring(0, 12);
    String fingerprint =
        "survey_households@" + lh.version(Tables.SURVEY_HOUSEHOLDS) + ";settings=" + settings;
    if (!ctx.force() && fingerprint.equals(RunLog.lastFingerprint(lh, NAME))) {
      return StageResult.skipped(NAME, fingerprint, "up to date with " + fingerprint);
    }
    lh.ensure(Tables.INDICATOR_VALUES);
    Dataset<Row> households =
        lh.read(Tables.SURVEY_HOUSEHOLDS).persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> values =
        SurveyIndicators.compute(
                ctx.spark(),
                households,
                rules,
                config.suppression(),
                config.surveys().confidenceLevel(),
                ctx.runId())
            .persist(StorageLevel.MEMORY_AND_DISK());
    long written = values.count();
    long read = households.count();
    values
        .write()
        .format("delta")
        .mode("overwrite")
        .option("replaceWhere", "source_family = 'survey'")
        .option("mergeSchema", "true")
        .save(lh.path(Tables.INDICATOR_VALUES));
    values.unpersist();
    households.unpersist();
    return new StageResult(
        NAME,
        StageResult.SUCCEEDED,
        read,
        written,
        0,
        lh.versions(List.of(Tables.SURVEY_HOUSEHOLDS, Tables.INDICATOR_VALUES)),
        fingerprint,
        "all surveys recomputed");
  }
}
