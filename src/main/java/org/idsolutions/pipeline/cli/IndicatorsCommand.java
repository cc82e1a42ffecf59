package org.idsolutions.pipeline.cli;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.idsolutions.pipeline.indicators.ProgrammeIndicatorsStage;
import org.idsolutions.pipeline.indicators.SurveyIndicatorsStage;
import org.idsolutions.pipeline.indicators.TrackingIndicatorsStage;
import org.idsolutions.pipeline.stage.PipelineRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "indicators",
    mixinStandardHelpOptions = true,
    description =
        "Compute indicators.indicator_values from the conformed tables (only what changed since the last run).",
    footer = {"", "Example:", "  jobs/pipeline indicators", "  jobs/pipeline indicators --force"})
final class IndicatorsCommand implements Callable<Integer> {
  @ParentCommand PipelineCli root;
  @Spec CommandSpec spec;

  @Option(names = "--force", description = "Recompute every country even when up to date.")
  boolean force;

  @Override
  public Integer call() {
    Session s = Session.open(Session.config(root, Map.of()));
    PipelineRunner.run(
        s.context("indicators", force),
        List.of(
            new TrackingIndicatorsStage(),
            new SurveyIndicatorsStage(),
            new ProgrammeIndicatorsStage()),
        new StageLines(spec.commandLine().getOut()));
    return 0;
  }
}
