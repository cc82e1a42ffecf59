package org.idsolutions.pipeline.cli;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.idsolutions.pipeline.stage.PipelineRunner;
import org.idsolutions.pipeline.trends.SummaryAndTrendsStage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "trends",
    mixinStandardHelpOptions = true,
    description =
        "Compute the combined indicators, indicators.regional_summary and indicators.indicator_trends from"
            + " indicators.indicator_values.",
    footer = {"", "Example:", "  jobs/pipeline trends", "  jobs/pipeline trends --force"})
final class TrendsCommand implements Callable<Integer> {
  @ParentCommand PipelineCli root;
  @Spec CommandSpec spec;

  @Option(names = "--force", description = "Recompute even when up to date.")
  boolean force;

  @Override
  public Integer call() {
    Session s = Session.open(Session.config(root, Map.of()));
    PipelineRunner.run(
        s.context("trends", force),
        List.of(new SummaryAndTrendsStage()),
        new StageLines(spec.commandLine().getOut()));
    return 0;
  }
}
