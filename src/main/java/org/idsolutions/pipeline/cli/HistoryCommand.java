package org.idsolutions.pipeline.cli;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.idsolutions.pipeline.errors.Errors;
import org.idsolutions.pipeline.lakehouse.TableSpec;
import org.idsolutions.pipeline.lakehouse.Tables;
import org.idsolutions.pipeline.ops.History;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "history",
    mixinStandardHelpOptions = true,
    description =
        "Show what ran and what it changed: the runs (newest first, one line each), the stages of one"
            + " run (--run), or a table's Delta versions with the run and stage that wrote each.",
    footer = {
      "",
      "Example:",
      "  jobs/pipeline history",
      "  jobs/pipeline history --run 20251207T081906Z-7e1557",
      "  jobs/pipeline history indicators.indicator_values --limit 50"
    })
final class HistoryCommand implements Callable<Integer> {
  @ParentCommand PipelineCli root;
  @Spec CommandSpec spec;

  @Parameters(
      arity = "0..1",
      paramLabel = "TABLE",
      description = "a table (layer.name) whose versions to list")
  String table;

  @Option(names = "--run", paramLabel = "RUN_ID", description = "list the stages of this run")
  String run;

  @Option(
      names = "--limit",
      paramLabel = "N",
      description = "at most N runs or table versions (default ${DEFAULT-VALUE})")
  int limit = 20;

  @Override
  public Integer call() {
    if (table != null && run != null) {
      throw Errors.usage("give a TABLE or --run, not both");
    }
    if (limit < 1) {
      throw Errors.usage("--limit must be at least 1");
    }
    TableSpec spec_ = table == null ? null : Tables.named(table);
    Session s = Session.open(Session.config(root, Map.of()));
    PrintWriter out = spec.commandLine().getOut();
    boolean logged = s.lakehouse.exists(Tables.PIPELINE_RUNS);
    Dataset<Row> runLog =
        logged
            ? s.lakehouse.read(Tables.PIPELINE_RUNS)
            : s.spark.createDataFrame(java.util.List.of(), Tables.PIPELINE_RUNS.schema());
    Dataset<Row> rows;
    if (spec_ != null) {
      if (!s.lakehouse.exists(spec_)) {
        throw Errors.usage(table + " does not exist yet in " + s.lakehouse.root());
      }
      rows = History.commits(s.lakehouse.delta(spec_).history(limit), runLog);
    } else if (!logged) {
      out.println("no runs recorded in " + s.lakehouse.root() + " yet");
      out.flush();
      return 0;
    } else if (run != null) {
      rows = History.stages(runLog, run);
      if (rows.isEmpty()) {
        throw Errors.usage(
            "no run " + run + " in ops.pipeline_runs: `jobs/pipeline history` lists the runs");
      }
    } else {
      rows = History.runs(runLog).limit(limit);
    }
    // a run's stages are all shown; --limit counts runs and versions
    QueryCommand.printTable(rows, out, run != null ? Integer.MAX_VALUE : limit);
    out.flush();
    return 0;
  }
}
