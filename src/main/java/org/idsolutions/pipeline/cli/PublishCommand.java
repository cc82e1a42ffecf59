package org.idsolutions.pipeline.cli;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.idsolutions.pipeline.publish.PublishStage;
import org.idsolutions.pipeline.stage.PipelineRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "publish",
    mixinStandardHelpOptions = true,
    description =
        "Copy the gold tables (indicators.*) to PostgreSQL for BI tools: schema publish.schema, replaced"
            + " in one transaction, readable by the role publish.reader-role. After the first time,"
            + " a table whose writes since were replaceWhere overwrites gets only the rows they can"
            + " have changed. Skipped when that database already holds the tables' current"
            + " versions. See docs/publish.md.",
    footer = {
      "",
      "Example:",
      "  jobs/pipeline publish",
      "  SOLUTIONS_PUBLISH_PASSWORD=... jobs/pipeline publish"
          + " --set publish.url=jdbc:postgresql://db.example.org:5432/analytics"
          + " --set publish.user=pipeline",
      "  jobs/pipeline run && jobs/pipeline publish"
    })
final class PublishCommand implements Callable<Integer> {
  @ParentCommand PipelineCli root;
  @Spec CommandSpec spec;

  @Option(
      names = "--force",
      description =
          "Publish even when the database already holds the current versions, every table"
              + " whole.")
  boolean force;

  @Override
  public Integer call() {
    Session s = Session.open(Session.config(root, Map.of()));
    PipelineRunner.run(
        s.context("publish", force),
        List.of(new PublishStage()),
        new StageLines(spec.commandLine().getOut()));
    return 0;
  }
}
