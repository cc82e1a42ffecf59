package org.idsolutions.pipeline.stage;

import org.apache.spark.sql.SparkSession;
import org.idsolutions.pipeline.config.PipelineConfig;
import org.idsolutions.pipeline.lakehouse.Lakehouse;

/**
 * What a stage runs with.
 *
 * @param force reload files already loaded and recompute results that are up to date
 */
public record StageContext(
    PipelineConfig config, Lakehouse lakehouse, String runId, String command, boolean force) {

  public SparkSession spark() {
    return lakehouse.spark();
  }
}
