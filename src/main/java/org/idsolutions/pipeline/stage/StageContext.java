package org.idsolutions.pipeline.stage;

import org.apache.spark.sql.SparkSession;
import org.idsolutions.pipeline.config.PipelineConfig;
import org.idsolutions.pipeline.lakehouse.Lakehouse;

/**
 * What a stage runs with.
 *
 * @param force reload files already loaded and recompute results that are up to date
 * @param backfill the periods the indicator stages recompute besides what changed ({@code
 *     --from/--to}), or null
 */
public record StageContext(
    PipelineConfig config,
    Lakehouse lakehouse,
    String runId,
    String command,
    boolean force,
    Backfill backfill) {

  public SparkSession spark() {
    return lakehouse.spark();
  }

  /**
   * Whether a stage whose inputs and settings are as at its last run is up to date: not when
   * forced, nor when a backfill asks for periods to be recomputed.
   */
  public boolean mayBeUpToDate() {
    return !force && backfill == null;
  }
}
