package org.idsolutions.pipeline.cli;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.idsolutions.pipeline.ingest.ProgrammeIngestStage;
import org.idsolutions.pipeline.ingest.SurveyIngestStage;
import org.idsolutions.pipeline.ingest.TrackingIngestStage;
import org.idsolutions.pipeline.stage.PipelineRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    description = "Load input files of one family into raw, conformed and quarantine tables.",
    subcommands = {
      IngestCommand.Tracking.class,
      IngestCommand.Surveys.class,
      IngestCommand.Programmes.class
    },
    footer = {"", "Example:", "  jobs/pipeline ingest tracking --input data-samples/tracking"})
final class IngestCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  /** No family given: print usage and exit 2. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }

  @ParentCommand PipelineCli root;

  @Command(
      name = "tracking",
      mixinStandardHelpOptions = true,
      description =
          "Load DTM tracking files (API JSON or CSV, a file or a folder) into raw.tracking and"
              + " conformed.tracking_counts. Files already loaded (same checksum) are skipped.",
      footer = {
        "",
        "Example:",
        "  jobs/pipeline ingest tracking --input data-samples/tracking/tcd-lac-export.csv",
        "  jobs/pipeline ingest tracking --force"
      })
  static final class Tracking implements Callable<Integer> {
    @ParentCommand IngestCommand parent;
    @Spec CommandSpec spec;

    @Option(
        names = "--input",
        paramLabel = "PATH",
        description = "File or folder to load (default: inputs.tracking).")
    String input;

    @Option(
        names = "--force",
        description = "Reload files even when their checksum was loaded before.")
    boolean force;

    @Override
    public Integer call() {
      Map<String, String> extra = new HashMap<>();
      if (input != null) {
        extra.put("inputs.tracking", input);
      }
      Session s = Session.open(Session.config(parent.root, extra));
      PipelineRunner.run(
          s.context("ingest tracking", force),
          List.of(new TrackingIngestStage()),
          new StageLines(spec.commandLine().getOut()));
      return 0;
    }
  }

  @Command(
      name = "surveys",
      mixinStandardHelpOptions = true,
      description =
          "Load the household-survey exports named by the manifests (conf/surveys/*.yaml) into"
              + " raw.survey_responses and conformed.survey_households. Personal data stays in raw.",
      footer = {
        "",
        "Example:",
        "  jobs/pipeline ingest surveys",
        "  jobs/pipeline ingest surveys --manifests conf/surveys/nga-msna-2025.yaml --force"
      })
  static final class Surveys implements Callable<Integer> {
    @ParentCommand IngestCommand parent;
    @Spec CommandSpec spec;

    @Option(
        names = "--manifests",
        paramLabel = "PATH",
        description = "A manifest file or folder of manifests (default: inputs.surveys).")
    String manifests;

    @Option(
        names = "--force",
        description = "Reload exports even when their checksum was loaded before.")
    boolean force;

    @Override
    public Integer call() {
      Map<String, String> extra = new HashMap<>();
      if (manifests != null) {
        extra.put("inputs.surveys", manifests);
      }
      Session s = Session.open(Session.config(parent.root, extra));
      PipelineRunner.run(
          s.context("ingest surveys", force),
          List.of(new SurveyIngestStage()),
          new StageLines(spec.commandLine().getOut()));
      return 0;
    }
  }

  @Command(
      name = "programmes",
      mixinStandardHelpOptions = true,
      description =
          "Load IATI activity XML and 3W CSV sheets (a file or a folder) into raw.programme_records and the"
              + " conformed programme tables.",
      footer = {
        "",
        "Example:",
        "  jobs/pipeline ingest programmes",
        "  jobs/pipeline ingest programmes --input data-samples/programmes/iati-activities.xml --force"
      })
  static final class Programmes implements Callable<Integer> {
    @ParentCommand IngestCommand parent;
    @Spec CommandSpec spec;

    @Option(
        names = "--input",
        paramLabel = "PATH",
        description = "File or folder to load (default: inputs.programmes).")
    String input;

    @Option(
        names = "--force",
        description = "Reload files even when their checksum was loaded before.")
    boolean force;

    @Override
    public Integer call() {
      Map<String, String> extra = new HashMap<>();
      if (input != null) {
        extra.put("inputs.programmes", input);
      }
      Session s = Session.open(Session.config(parent.root, extra));
      PipelineRunner.run(
          s.context("ingest programmes", force),
          List.of(new ProgrammeIngestStage()),
          new StageLines(spec.commandLine().getOut()));
      return 0;
    }
  }
}
