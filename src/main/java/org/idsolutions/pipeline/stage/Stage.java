package org.idsolutions.pipeline.stage;

/**
 * One step of the pipeline: reads tables or files, applies pure transforms, writes Delta tables.
 */
public interface Stage {
  /** Short name used in logs and ops.pipeline_runs, e.g. {@code ingest-tracking}. */
  String name();

  StageResult run(StageContext context);
}
