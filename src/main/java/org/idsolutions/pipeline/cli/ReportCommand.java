package org.idsolutions.pipeline.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.idsolutions.pipeline.errors.Errors;
import org.idsolutions.pipeline.report.ReportStage;
import org.idsolutions.pipeline.stage.PipelineRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description =
        "Write the annual state-of-solutions report for one year: a folder with index.html (headline"
            + " figures, tables per country and region, charts, method notes, a data-coverage annex),"
            + " the charts as PNG and the CSV behind every table and chart. It replaces an earlier"
            + " report in that folder. See docs/report.md.",
    footer = {
      "",
      "Example:",
      "  jobs/pipeline report --year 2025",
      "  jobs/pipeline report --year 2025 --out /srv/reports/sos-2025"
    })
final class ReportCommand implements Callable<Integer> {
  @ParentCommand PipelineCli root;
  @Spec CommandSpec spec;

  @Option(names = "--year", required = true, paramLabel = "YEAR", description = "the report's year")
  int year;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "the report folder on the local disk (default: reports/<YEAR>)")
  Path out;

  @Override
  public Integer call() {
    if (year < 1900 || year > 2999) {
      throw Errors.usage("--year " + year + " is not a calendar year like 2025");
    }
    Path folder = out == null ? Path.of("reports", String.valueOf(year)) : out;
    Session s = Session.open(Session.config(root, Map.of()));
    PipelineRunner.run(
        s.context("report", false),
        List.of(new ReportStage(year, folder)),
        new StageLines(spec.commandLine().getOut()));
    return 0;
  }
}
