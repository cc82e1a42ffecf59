package org.idsolutions.pipeline.stage;

import java.util.Map;

/**
 * The outcome of one stage, recorded in ops.pipeline_runs.
 *
 * @param status succeeded or skipped (nothing to do)
 * @param tableVersions Delta version of each table the stage wrote, after the stage
 * @param fingerprint the inputs and settings the result was computed from, or null
 */
public record StageResult(
    String stage,
    String status,
    long rowsIn,
    long rowsWritten,
    long rowsQuarantined,
    Map<String, Long> tableVersions,
    String fingerprint,
    String message) {

  public static final String SUCCEEDED = "succeeded";
  public static final String SKIPPED = "skipped";
  public static final String FAILED = "failed";

  public static StageResult skipped(String stage, String fingerprint, String message) {
    return new StageResult(stage, SKIPPED, 0, 0, 0, Map.of(), fingerprint, message);
  }
}
