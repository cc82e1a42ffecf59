package org.idsolutions.pipeline.cli;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.idsolutions.pipeline.errors.Errors;
import org.idsolutions.pipeline.ops.MaintainStage;
import org.idsolutions.pipeline.stage.PipelineRunner;
import org.idsolutions.pipeline.stage.StageContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "maintain",
    mixinStandardHelpOptions = true,
    description =
        "Delta housekeeping: compact the tables' small files (OPTIMIZE; conformed.tracking_counts,"
            + " indicators.indicator_values and indicators.indicator_trends keep the file layout"
            + " their incremental runs rely on) and delete the files no version within the"
            + " retention needs (VACUUM). Changes no row.",
    footer = {
      "",
      "Example:",
      "  jobs/pipeline maintain",
      "  jobs/pipeline maintain --retain-hours 720",
      "  jobs/pipeline maintain --no-vacuum",
      "  jobs/pipeline maintain --full-vacuum --no-compact"
    })
final class MaintainCommand implements Callable<Integer> {
  @ParentCommand PipelineCli root;
  @Spec CommandSpec spec;

  @Option(
      names = "--retain-hours",
      paramLabel = "H",
      description =
          "Keep the files removed from a table in the last H hours, for time travel, running jobs"
              + " and the change data feed (default ${DEFAULT-VALUE}, Delta's own; less is refused"
              + " unless spark.databricks.delta.retentionDurationCheck.enabled is false).")
  int retainHours = MaintainStage.DEFAULT_RETAIN_HOURS;

  @Option(names = "--no-vacuum", description = "Compact only; delete no file.")
  boolean noVacuum;

  @Option(names = "--no-compact", description = "Vacuum only; rewrite no file.")
  boolean noCompact;

  @Option(
      names = "--full-vacuum",
      description =
          "Also delete the files in the tables' folders that no version refers to (left by a write"
              + " killed before its commit), by listing every folder; the default vacuum reads the"
              + " Delta log only.")
  boolean fullVacuum;

  @Override
  public Integer call() {
    if (noVacuum && noCompact) {
      throw Errors.usage("--no-vacuum and --no-compact leave nothing to do: give at most one");
    }
    if (noVacuum && fullVacuum) {
      throw Errors.usage("--no-vacuum and --full-vacuum contradict each other: give one");
    }
    MaintainStage.Vacuum vacuum =
        noVacuum
            ? MaintainStage.Vacuum.NONE
            : fullVacuum ? MaintainStage.Vacuum.FULL : MaintainStage.Vacuum.LITE;
    Session s = Session.open(Session.config(root, Map.of()));
    StageContext ctx = s.context("maintain", false);
    if (!noVacuum) {
      // a usage error before anything is written, the run log included
      MaintainStage.checkRetention(ctx, retainHours);
    }
    PipelineRunner.run(
        ctx,
        List.of(new MaintainStage(retainHours, !noCompact, vacuum)),
        new StageLines(spec.commandLine().getOut()));
    return 0;
  }
}
