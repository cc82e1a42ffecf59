package org.idsolutions.pipeline.indicators;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.idsolutions.pipeline.indicators.programme.ProgrammeIndicators;
import org.idsolutions.pipeline.lakehouse.Lakehouse;
import org.idsolutions.pipeline.lakehouse.TableSpec;
import org.idsolutions.pipeline.lakehouse.Tables;
import org.idsolutions.pipeline.ops.RunLog;
import org.idsolutions.pipeline.stage.Stage;
import org.idsolutions.pipeline.stage.StageContext;
import org.idsolutions.pipeline.stage.StageResult;

/**
 * Conformed programme tables -> indicators.indicator_values (source family programme); skips when
 * unchanged.
 */
public final class ProgrammeIndicatorsStage implements Stage {
  public static final String NAME = "indicators-programmes";
  static final List<TableSpec> INPUTS = Tables.PROGRAMME_CONFORMED;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public StageResult run(StageContext ctx) {
    Lakehouse lh = ctx.lakehouse();
    if (!lh.exists(Tables.PROGRAMME_ACTIVITIES)) {
      return StageResult.skipped(
          NAME, null, "no conformed programme data yet: run ingest programmes");
    }
    String fingerprint = "programme@" + lh.versions(INPUTS).values();
    if (!ctx.force() && fingerprint.equals(RunLog.lastFingerprint(lh, NAME))) {
      return StageResult.skipped(NAME, fingerprint, "up to date with " + fingerprint);
    }
    lh.ensure(Tables.INDICATOR_VALUES);
    Dataset<Row> activities = lh.read(Tables.PROGRAMME_ACTIVITIES);
    Dataset<Row> values =
        ProgrammeIndicators.compute(
            activities,
            lh.read(Tables.PROGRAMME_LOCATIONS),
            lh.read(Tables.PROGRAMME_FINANCE),
            lh.read(Tables.PROGRAMME_SECTORS),
            lh.read(Tables.PROGRAMME_REACH),
            ctx.runId());
    long written = lh.overwrite(values, Tables.INDICATOR_VALUES, "source_family = 'programme'");
    return new StageResult(
        NAME,
        StageResult.SUCCEEDED,
        activities.count(),
        written,
        0,
        lh.versions(List.of(Tables.INDICATOR_VALUES)),
        fingerprint,
        "all programmes recomputed");
  }
}
