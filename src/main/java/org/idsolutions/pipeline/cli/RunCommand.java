package org.idsolutions.pipeline.cli;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.idsolutions.pipeline.indicators.ProgrammeIndicatorsStage;
import org.idsolutions.pipeline.indicators.SurveyIndicatorsStage;
import org.idsolutions.pipeline.indicators.TrackingIndicatorsStage;
import org.idsolutions.pipeline.ingest.ProgrammeIngestStage;
import org.idsolutions.pipeline.ingest.SurveyIngestStage;
import org.idsolutions.pipeline.ingest.TrackingIngestStage;
import org.idsolutions.pipeline.stage.Backfill;
import org.idsolutions.pipeline.stage.PipelineRunner;
import org.idsolutions.pipeline.stage.Stage;
import org.idsolutions.pipeline.trends.SummaryAndTrendsStage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description =
        "Run every stage in order: ingest tracking, surveys and programmes, their indicators, then the"
            + " regional summary and trends.",
    footer = {
      "",
      "Example:",
      "  jobs/pipeline run",
      "  jobs/pipeline run --force --lakehouse /data/lh",
      "  jobs/pipeline run --from 2025-01 --to 2025-06   (backfill: also recompute those periods)"
    })
final class RunCommand implements Callable<Integer> {
  @ParentCommand PipelineCli root;
  @Spec CommandSpec spec;

  @Option(
      names = "--force",
      description = "Reload files already loaded and recompute up-to-date results.")
  boolean force;

  @Mixin BackfillOptions backfill;

  @Override
  public Integer call() {
    Backfill window = backfill.window(force);
    Session s = Session.open(Session.config(root, Map.of()));
    PipelineRunner.run(
        s.context("run", force, window), stages(), new StageLines(spec.commandLine().getOut()));
    return 0;
  }

  /** Every stage, in the order a run executes them. */
  static List<Stage> stages() {
    return List.of(
        new TrackingIngestStage(),
        new SurveyIngestStage(),
        new ProgrammeIngestStage(),
        new TrackingIndicatorsStage(),
        new SurveyIndicatorsStage(),
        new ProgrammeIndicatorsStage(),
        new SummaryAndTrendsStage());
  }
}
