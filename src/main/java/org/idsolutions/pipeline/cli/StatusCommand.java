package org.idsolutions.pipeline.cli;

import static org.apache.spark.sql.functions.col;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Row;
import org.idsolutions.pipeline.lakehouse.TableSpec;
import org.idsolutions.pipeline.lakehouse.Tables;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = "Show each table's Delta version and row count, and the latest stage runs.",
    footer = {"", "Example:", "  jobs/pipeline status", "  jobs/pipeline status --runs 20"})
final class StatusCommand implements Callable<Integer> {
  @ParentCommand PipelineCli root;
  @Spec CommandSpec spec;

  @Option(names = "--runs", description = "How many recent stage runs to list (default 10).")
  int runs = 10;

  @Override
  public Integer call() {
    Session s = Session.open(Session.config(root, Map.of()));
    PrintWriter out = spec.commandLine().getOut();
    out.println("lakehouse: " + s.lakehouse.root());
    out.printf("%-32s %8s %12s%n", "table", "version", "rows");
    for (TableSpec t : Tables.ALL) {
      if (s.lakehouse.exists(t)) {
        out.printf(
            "%-32s %8d %12d%n",
            t.qualifiedName(), s.lakehouse.version(t), s.lakehouse.read(t).count());
      } else {
        out.printf("%-32s %8s %12s%n", t.qualifiedName(), "-", "(not created)");
      }
    }
    if (s.lakehouse.exists(Tables.PIPELINE_RUNS)) {
      out.println();
      out.println("latest stage runs:");
      for (Row r :
          s.lakehouse
              .read(Tables.PIPELINE_RUNS)
              .orderBy(col("started_at").desc())
              .limit(runs)
              .select(
                  "run_id",
                  "stage",
                  "status",
                  "rows_in",
                  "rows_written",
                  "rows_quarantined",
                  "message")
              .collectAsList()) {
        out.printf(
            "  %s  %-20s %-9s in %d, written %d, quarantined %d  %s%n",
            r.getString(0),
            r.getString(1),
            r.getString(2),
            r.getLong(3),
            r.getLong(4),
            r.getLong(5),
            r.isNullAt(6) ? "" : r.getString(6));
      }
    }
    out.flush();
    return 0;
  }
}
