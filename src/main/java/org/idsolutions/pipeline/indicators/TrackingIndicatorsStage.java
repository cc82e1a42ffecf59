package org.idsolutions.pipeline.indicators;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.idsolutions.pipeline.config.PipelineConfig.TrackingSettings;
import org.idsolutions.pipeline.indicators.tracking.TrackingIndicators;
import org.idsolutions.pipeline.lakehouse.Lakehouse;
import org.idsolutions.pipeline.lakehouse.Sql;
import org.idsolutions.pipeline.lakehouse.Tables;
import org.idsolutions.pipeline.ops.Fingerprints;
import org.idsolutions.pipeline.ops.RunLog;
import org.idsolutions.pipeline.stage.Stage;
import org.idsolutions.pipeline.stage.StageContext;
import org.idsolutions.pipeline.stage.StageResult;

/**
 * conformed.tracking_counts -> indicators.indicator_values (source family tracking). Skips when
 * neither the conformed table nor the tracking settings changed since the last run; otherwise
 * recomputes only the countries whose conformed rows changed (read from Delta's change data feed)
 * and replaces their rows.
 */
public final class TrackingIndicatorsStage implements Stage {
  public static final String NAME = "indicators-tracking";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public StageResult run(StageContext ctx) {
    Lakehouse lh = ctx.lakehouse();
    TrackingSettings settings = ctx.config().tracking();
    if (!lh.exists(Tables.TRACKING_COUNTS)) {
      return StageResult.skipped(NAME, null, "no conformed tracking data yet: run ingest tracking");
    }
    long version = lh.version(Tables.TRACKING_COUNTS);
    String settingsHash = Fingerprints.sha256(settings.toString()).substring(0, 12);
    String fingerprint = "tracking_counts@" + version + ";settings=" + settingsHash;
    String last = RunLog.lastFingerprint(lh, NAME);
    if (!ctx.force() && fingerprint.equals(last)) {
      return StageResult.skipped(NAME, fingerprint, "up to date with " + fingerprint);
    }
    lh.ensure(Tables.INDICATOR_VALUES);
    List<String> countries = changedCountries(lh, last, settingsHash, version, ctx.force());

    if (countries != null && countries.isEmpty()) {
      return StageResult.skipped(NAME, fingerprint, "no country changed since the last run");
    }
    Dataset<Row> conformed = lh.read(Tables.TRACKING_COUNTS);
    if (countries != null) {
      conformed = conformed.where(col("country_code").isin(countries.toArray()));
    }
    Dataset<Row> values =
        TrackingIndicators.compute(conformed, settings, ctx.runId())
            .persist(StorageLevel.MEMORY_AND_DISK());
    long written = values.count();
    long read = conformed.count();
    String scope =
        countries == null
            ? "source_family = 'tracking'"
            : "source_family = 'tracking' AND " + Sql.in("country", countries);
    values
        .write()
        .format("delta")
        .mode("overwrite")
        .option("replaceWhere", scope)
        .option("mergeSchema", "true")
        .save(lh.path(Tables.INDICATOR_VALUES));
    values.unpersist();
    return new StageResult(
        NAME,
        StageResult.SUCCEEDED,
        read,
        written,
        0,
        lh.versions(List.of(Tables.TRACKING_COUNTS, Tables.INDICATOR_VALUES)),
        fingerprint,
        (countries == null ? "all countries" : "countries " + countries) + " recomputed");
  }

  /**
   * The countries whose conformed rows changed since the version the last run used, or null for all
   * (first run, changed settings, forced, or a history too old to read).
   */
  private static List<String> changedCountries(
      Lakehouse lh, String last, String settingsHash, long version, boolean force) {
    if (force || last == null || !last.endsWith(";settings=" + settingsHash)) {
      return null;
    }
    long previous;
    try {
      previous = Long.parseLong(last.substring("tracking_counts@".length(), last.indexOf(';')));
    } catch (RuntimeException e) {
      return null;
    }
    if (previous >= version) {
      return null;
    }
    try {
      List<String> out = new ArrayList<>();
      for (Row r :
          lh.spark()
              .read()
              .format("delta")
              .option("readChangeFeed", "true")
              .option("startingVersion", previous + 1)
              .option("endingVersion", version)
              .load(lh.path(Tables.TRACKING_COUNTS))
              .select("country_code")
              .distinct()
              .collectAsList()) {
        out.add(r.getString(0));
      }
      return out;
    } catch (RuntimeException e) {
      return null;
    }
  }
}
