package org.idsolutions.pipeline.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.idsolutions.pipeline.config.PipelineConfig;
import org.idsolutions.pipeline.errors.Errors;
import org.idsolutions.pipeline.lakehouse.CsvOut;
import org.idsolutions.pipeline.query.QueryGuard;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "query",
    mixinStandardHelpOptions = true,
    description =
        "Run a read-only Spark SQL query over the lakehouse tables by name (layer.table). Statements that"
            + " change anything are refused.",
    footer = {
      "",
      "Example:",
      "  jobs/pipeline query --format csv \"SELECT * FROM indicators.indicator_values"
          + " WHERE indicator_id='idp_stock'\"",
      "  jobs/pipeline query \"SHOW TABLES IN conformed\""
    })
final class QueryCommand implements Callable<Integer> {
  enum Format {
    table,
    csv,
    json
  }

  @ParentCommand PipelineCli root;
  @Spec CommandSpec spec;

  @Option(
      names = "--format",
      description = "table (default), csv (with header) or json (one object per line).")
  Format format = Format.table;

  @Option(
      names = "--limit",
      description = "At most this many rows (default: 200 for table, all for csv and json).")
  Integer limit;

  @Parameters(paramLabel = "SQL", description = "The query.")
  String sql;

  @Override
  public Integer call() {
    PipelineConfig config = Session.config(root, Map.of());
    Session s = Session.open(config);
    QueryGuard.check(s.spark, sql);
    s.lakehouse.registerCatalog();
    Dataset<Row> df;
    try {
      df = s.spark.sql(sql);
    } catch (Exception e) { // AnalysisException, undeclared by spark.sql
      throw Errors.queryFailed(e.getMessage());
    }
    int max = limit != null ? limit : (format == Format.table ? 200 : Integer.MAX_VALUE);
    if (max < Integer.MAX_VALUE) {
      df = df.limit(max);
    }
    PrintWriter out = spec.commandLine().getOut();
    switch (format) {
      case csv -> printCsv(df, out);
      case json -> df.toJSON().toLocalIterator().forEachRemaining(out::println);
      default -> printTable(df, out, max);
    }
    out.flush();
    return 0;
  }

  /** CSV through Spark's own writer functions: nested values as JSON. */
  static void printCsv(Dataset<Row> df, PrintWriter out) {
    CsvOut.write(df, out, null);
  }

  static void printTable(Dataset<Row> df, PrintWriter out, int max) {
    String[] names = df.columns();
    List<String[]> rows = new ArrayList<>();
    Iterator<Row> it = df.toLocalIterator();
    while (it.hasNext()) {
      Row r = it.next();
      String[] cells = new String[names.length];
      for (int i = 0; i < names.length; i++) {
        Object v = r.get(i);
        cells[i] =
            v == null
                ? "NULL"
                : v instanceof scala.collection.Iterable<?> s
                    ? s.mkString("[", ", ", "]")
                    : v.toString();
      }
      rows.add(cells);
    }
    int[] width = new int[names.length];
    for (int i = 0; i < names.length; i++) {
      width[i] = names[i].length();
      for (String[] r : rows) {
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    out.println(line(names, width));
    StringBuilder rule = new StringBuilder();
    for (int w : width) {
      rule.append(rule.length() == 0 ? "" : "-+-").append("-".repeat(w));
    }
    out.println(rule);
    for (String[] r : rows) {
      out.println(line(r, width));
    }
    out.println(
        "("
            + rows.size()
            + " row"
            + (rows.size() == 1 ? "" : "s")
            + (rows.size() == max ? ", limit reached" : "")
            + ")");
  }

  private static String line(String[] cells, int[] width) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      if (i > 0) {
        sb.append(" | ");
      }
      sb.append(String.format("%-" + width[i] + "s", cells[i]));
    }
    return sb.toString().stripTrailing();
  }
}
