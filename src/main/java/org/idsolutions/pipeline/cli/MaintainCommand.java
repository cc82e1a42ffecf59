package org.idsolutions.pipeline.cli;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.idsolutions.pipeline.errors.Errors;
import org.idsolutions.pipeline.lakehouse.TableSpec;
import org.idsolutions.pipeline.lakehouse.Tables;
import org.idsolutions.pipeline.ops.MaintainStage;
import org.idsolutions.pipeline.stage.PipelineRunner;
import org.idsolutions.pipeline.stage.StageContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "maintain",
    mixinStandardHelpOptions = true,
    description =
        "Delta housekeeping: compact the tables' small files (OPTIMIZE; conformed.tracking_counts,"
            + " indicators.indicator_values and indicators.indicator_trends keep the file layout"
            + " their incremental runs rely on) and delete the files no version within the"
            + " retention needs (VACUUM). Changes no row. Every table by default, or the tables"
            + " named.",
    footer = {
      "",
      "Example:",
      "  jobs/pipeline maintain",
      "  jobs/pipeline maintain --retain-hours 720",
      "  jobs/pipeline maintain --no-vacuum",
      "  jobs/pipeline maintain --full-vacuum --no-compact",
      "  jobs/pipeline maintain raw.tracking conformed.tracking_records"
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

  @Parameters(
      paramLabel = "TABLE",
      arity = "0..*",
      description =
          "Maintain only these tables (layer.name, as `status` lists them); every table by"
              + " default.")
  List<String> tables = List.of();

  @Override
  public Integer call() {
    if (noVacuum && noCompact) {
      throw Errors.usage("--no-vacuum and --no-compact leave nothing to do: give at most one");
    }
    if (noVacuum && fullVacuum) {
      throw Errors.usage("--no-vacuum and --full-vacuum contradict each other: give one");
    }
    List<TableSpec> named = tables.stream().map(Tables::named).distinct().toList();
    MaintainStage.Vacuum vacuum =
        noVacuum
            ? MaintainStage.Vacuum.NONE
            : fullVacuum ? MaintainStage.Vacuum.FULL : MaintainStage.Vacuum.LITE;
    Session s = Session.open(Session.config(root, Map.of()));
    StageContext ctx = s.context("maintain", false);
    // usage errors before anything is written, the run log included
    if (!noVacuum) {
      MaintainStage.checkRetention(ctx, retainHours);
    }
    for (TableSpec t : named) {
      if (!ctx.lakehouse().exists(t)) {
        throw Errors.usage(
            t.qualifiedName()
                + " does not exist in "
                + ctx.lakehouse().root()
                + " yet: name one that does");
      }
    }
    PipelineRunner.run(
        ctx,
        List.of(
            new MaintainStage(
                retainHours, !noCompact, vacuum, named.isEmpty() ? Tables.ALL : named)),
        new StageLines(spec.commandLine().getOut()));
    return 0;
  }
}
