package org.idsolutions.pipeline.trends;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.storage.StorageLevel;
import org.idsolutions.pipeline.config.IndicatorRules;
import org.idsolutions.pipeline.config.SurveyConfigs;
import org.idsolutions.pipeline.indicators.combined.CombinedIndicators;
import org.idsolutions.pipeline.lakehouse.Lakehouse;
import org.idsolutions.pipeline.lakehouse.Tables;
import org.idsolutions.pipeline.ops.Fingerprints;
import org.idsolutions.pipeline.ops.RunLog;
import org.idsolutions.pipeline.stage.Stage;
import org.idsolutions.pipeline.stage.StageContext;
import org.idsolutions.pipeline.stage.StageResult;

/**
 * indicators.indicator_values -> combined indicators (source family combined),
 * indicators.regional_summary and indicators.indicator_trends. Skips when the conformed tables and
 * the indicator rules are as at its last run.
 */
public final class SummaryAndTrendsStage implements Stage {
  public static final String NAME = "summary-and-trends";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public StageResult run(StageContext ctx) {
    Lakehouse lh = ctx.lakehouse();
    if (!lh.exists(Tables.INDICATOR_VALUES)) {
      return StageResult.skipped(NAME, null, "no indicator values yet: run indicators");
    }
    IndicatorRules rules = SurveyConfigs.rules(ctx.config().inputs().indicatorRules());
    // the indicator stages' own fingerprints change whenever they recompute (inputs or settings)
    String upstream =
        RunLog.lastFingerprint(lh, "indicators-tracking")
            + "|"
            + RunLog.lastFingerprint(lh, "indicators-surveys")
            + "|"
            + RunLog.lastFingerprint(lh, "indicators-programmes");
    String fingerprint =
        "indicators@"
            + Fingerprints.sha256(upstream).substring(0, 12)
            + ";rules="
            + Fingerprints.sha256(rules.toString()).substring(0, 12);
    if (!ctx.force() && fingerprint.equals(RunLog.lastFingerprint(lh, NAME))) {
      return StageResult.skipped(NAME, fingerprint, "up to date with " + fingerprint);
    }
    lh.ensure(List.of(Tables.REGIONAL_SUMMARY, Tables.INDICATOR_TRENDS));
    Dataset<Row> summary =
        CombinedIndicators.regionalSummary(lh.read(Tables.INDICATOR_VALUES), ctx.runId())
            .persist(StorageLevel.MEMORY_AND_DISK());
    long regions = lh.overwrite(summary, Tables.REGIONAL_SUMMARY, null);
    lh.overwrite(
        CombinedIndicators.longFormat(summary).where("value IS NOT NULL"),
        Tables.INDICATOR_VALUES,
        "source_family = 'combined'");
    summary.unpersist();
    List<Column> cols = new ArrayList<>();
    for (StructField f : Tables.INDICATOR_TRENDS.schema().fields()) {
      cols.add(col(f.name()).cast(f.dataType()).as(f.name()));
    }
    Dataset<Row> trends =
        IndicatorTrends.compute(
                lh.read(Tables.INDICATOR_VALUES), IndicatorTrends.polarity(rules), ctx.runId())
            .select(cols.toArray(new Column[0]));
    long points = lh.overwrite(trends, Tables.INDICATOR_TRENDS, null);
    return new StageResult(
        NAME,
        StageResult.SUCCEEDED,
        regions,
        regions + points,
        0,
        lh.versions(
            List.of(Tables.REGIONAL_SUMMARY, Tables.INDICATOR_TRENDS, Tables.INDICATOR_VALUES)),
        fingerprint,
        regions + " region-years, " + points + " trend points");
  }
}
