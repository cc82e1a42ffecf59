package org.idsolutions.pipeline.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.idsolutions.pipeline.errors.Errors;
import org.idsolutions.pipeline.lakehouse.CsvOut;
import org.idsolutions.pipeline.lakehouse.HxlTags;
import org.idsolutions.pipeline.lakehouse.TableSpec;
import org.idsolutions.pipeline.lakehouse.Tables;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description =
        "Export a gold table (indicators.*) to one CSV file (optionally with an HXL tag row, for HDX) or to"
            + " Parquet. Only published tables can be exported.",
    footer = {
      "",
      "Example:",
      "  jobs/pipeline export indicators.regional_summary --format csv --hxl --out /tmp/summary.csv",
      "  jobs/pipeline export indicators.indicator_values --format parquet --out /tmp/values"
          + " --where \"country = 'NGA'\""
    })
final class ExportCommand implements Callable<Integer> {
  enum Format {
    csv,
    parquet
  }

  @ParentCommand PipelineCli root;
  @Spec CommandSpec spec;

  @Parameters(
      paramLabel = "TABLE",
      description =
          "indicators.indicator_values, regional_summary, indicator_trends or indicator_trend_series")
  String table;

  @Option(names = "--format", description = "csv (default) or parquet")
  Format format = Format.csv;

  @Option(
      names = "--hxl",
      description = "CSV only: add an HXL tag row under the header (tags in docs/export.md)")
  boolean hxl;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "PATH",
      description = "file (csv) or folder (parquet)")
  String out;

  @Option(names = "--where", paramLabel = "SQL", description = "a filter, e.g. \"country = 'NGA'\"")
  String where;

  @Override
  public Integer call() throws IOException {
    TableSpec spec_ =
        Tables.ALL.stream()
            .filter(t -> t.qualifiedName().equals(table) && t.layer().equals("indicators"))
            .findFirst()
            .orElseThrow(
                () ->
                    Errors.usage(
                        "cannot export '"
                            + table
                            + "': only indicators.indicator_values, indicators.regional_summary,"
                            + " indicators.indicator_trends and indicators.indicator_trend_series are"
                            + " published"));
    if (hxl && format != Format.csv) {
      throw Errors.usage("--hxl applies to --format csv only");
    }
    Session s = Session.open(Session.config(root, Map.of()));
    if (!s.lakehouse.exists(spec_)) {
      throw Errors.usage(table + " does not exist yet: run the pipeline first");
    }
    Dataset<Row> df = s.lakehouse.read(spec_);
    if (where != null) {
      if (where.contains(";")) {
        throw Errors.usage("--where takes one filter expression");
      }
      df = df.where(where);
    }
    long rows;
    Path target = new Path(out);
    if (target.getFileSystem(s.spark.sparkContext().hadoopConfiguration()).exists(target)) {
      throw Errors.usage(out + " already exists: remove it or choose another --out");
    }
    if (format == Format.parquet) {
      df.write().mode("errorifexists").parquet(out);
      rows = s.spark.read().parquet(out).count();
    } else {
      Path path = new Path(out);
      try (OutputStream os =
              path.getFileSystem(s.spark.sparkContext().hadoopConfiguration()).create(path, true);
          PrintWriter w = new PrintWriter(new OutputStreamWriter(os, StandardCharsets.UTF_8))) {
        CsvOut.write(df, w, hxl ? HxlTags.forColumns(List.of(df.columns())) : null);
      }
      rows = df.count();
    }
    spec.commandLine().getOut().println("exported " + rows + " rows of " + table + " to " + out);
    return 0;
  }

  static List<String> columns(Dataset<Row> df) {
    return new ArrayList<>(List.of(df.columns()));
  }
}
