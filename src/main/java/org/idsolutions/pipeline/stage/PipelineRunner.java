package org.idsolutions.pipeline.stage;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.idsolutions.pipeline.errors.Errors;
import org.idsolutions.pipeline.errors.ExitCode;
import org.idsolutions.pipeline.errors.PipelineException;
import org.idsolutions.pipeline.lakehouse.SparkSessions;
import org.idsolutions.pipeline.ops.RunLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs stages in order, labels their Spark jobs, and records each in ops.pipeline_runs. */
public final class PipelineRunner {
  private static final Logger LOG = LoggerFactory.getLogger(PipelineRunner.class);

  /** Told about each finished stage (the CLI prints one line per stage). */
  public interface Listener {
    void finished(StageResult result, Duration elapsed);
  }

  private PipelineRunner() {}

  /**
   * Runs the stages in order. A failed data-quality gate does not stop later stages (the files that
   * passed were loaded and their indicators should be current); its error is rethrown once every
   * stage has run. Any other failure stops the run.
   */
  public static List<StageResult> run(StageContext ctx, List<Stage> stages, Listener listener) {
    try (SparkSessions.Restore mode = ExecutionMode.choose(ctx.spark(), ctx.config())) {
      return runAll(ctx, stages, listener);
    }
  }

  private static List<StageResult> runAll(StageContext ctx, List<Stage> stages, Listener listener) {
    List<StageResult> results = new ArrayList<>();
    PipelineException gate = null;
    for (Stage stage : stages) {
      Instant start = Instant.now();
      ctx.spark()
          .sparkContext()
          .setJobGroup(stage.name(), ctx.command() + " " + ctx.runId(), false);
      StageResult result;
      try {
        result = stage.run(ctx);
      } catch (RuntimeException e) {
        String message =
            e instanceof PipelineException ? e.getMessage() : Errors.firstLine(String.valueOf(e));
        StageResult failed =
            new StageResult(stage.name(), StageResult.FAILED, 0, 0, 0, Map.of(), null, message);
        try {
          RunLog.append(ctx, failed, start, Instant.now());
        } catch (RuntimeException logError) {
          LOG.warn("could not record the failed stage {}: {}", stage.name(), logError.toString());
        }
        listener.finished(failed, Duration.between(start, Instant.now()));
        if (e instanceof PipelineException pe && pe.exitCode() == ExitCode.QUALITY_GATE) {
          gate = gate == null ? pe : gate;
          continue;
        }
        throw e;
      } finally {
        ctx.spark().sparkContext().clearJobGroup();
      }
      Instant end = Instant.now();
      RunLog.append(ctx, result, start, end);
      results.add(result);
      listener.finished(result, Duration.between(start, end));
    }
    if (gate != null) {
      throw gate;
    }
    return results;
  }
}
