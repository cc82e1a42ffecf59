package org.idsolutions.pipeline.cli;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.idsolutions.pipeline.errors.Errors;
import org.idsolutions.pipeline.indicators.ProgrammeIndicatorsStage;
import org.idsolutions.pipeline.indicators.SurveyIndicatorsStage;
import org.idsolutions.pipeline.indicators.TrackingIndicatorsStage;
import org.idsolutions.pipeline.stage.Backfill;
import org.idsolutions.pipeline.stage.PipelineRunner;
import org.idsolutions.pipeline.stage.Stage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "indicators",
    mixinStandardHelpOptions = true,
    description =
        "Compute indicators.indicator_values from the conformed tables (only what changed since"
            + " the last run), for every family or the ones named.",
    footer = {
      "",
      "Example:",
      "  jobs/pipeline indicators",
      "  jobs/pipeline indicators tracking --force",
      "  jobs/pipeline indicators --from 2024 --to 2024   (backfill: recompute 2024's periods)"
    })
final class IndicatorsCommand implements Callable<Integer> {
  /** The indicator families, in the order their stages run. */
  enum Family {
    tracking,
    surveys,
    programmes
  }

  @ParentCommand PipelineCli root;
  @Spec CommandSpec spec;

  @Parameters(
      arity = "0..*",
      paramLabel = "FAMILY",
      description =
          "Only these families: tracking, surveys, programmes (default: all three, in that"
              + " order).")
  List<String> families;

  @Option(names = "--force", description = "Recompute every country even when up to date.")
  boolean force;

  @Mixin BackfillOptions backfill;

  @Override
  public Integer call() {
    Backfill window = backfill.window(force);
    EnumSet<Family> chosen = EnumSet.noneOf(Family.class);
    for (String name : families == null ? List.<String>of() : families) {
      try {
        chosen.add(Family.valueOf(name));
      } catch (IllegalArgumentException e) {
        throw Errors.usage(
            "unknown indicator family '" + name + "': name tracking, surveys or programmes");
      }
    }
    if (chosen.isEmpty()) {
      chosen = EnumSet.allOf(Family.class);
    }
    List<Stage> stages = new ArrayList<>();
    for (Family f : chosen) {
      stages.add(
          switch (f) {
            case tracking -> new TrackingIndicatorsStage();
            case surveys -> new SurveyIndicatorsStage();
            case programmes -> new ProgrammeIndicatorsStage();
          });
    }
    Session s = Session.open(Session.config(root, Map.of()));
    PipelineRunner.run(
        s.context("indicators", force, window),
        stages,
        new StageLines(spec.commandLine().getOut()));
    return 0;
  }
}
