package org.idsolutions.pipeline.cli;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.idsolutions.pipeline.config.PipelineConfig;
import org.idsolutions.pipeline.conform.admin.AdminUnits;
import org.idsolutions.pipeline.conform.tracking.TrackingRules;
import org.idsolutions.pipeline.errors.Errors;
import org.idsolutions.pipeline.errors.ExitCode;
import org.idsolutions.pipeline.ingest.TrackingIngestStage;
import org.idsolutions.pipeline.raw.InputFile;
import org.idsolutions.pipeline.raw.TrackingReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description =
        "Check tracking input files as ingest would (format, columns, every row rule) and report; writes"
            + " nothing. Exit 3 when a file's rejected share is above quality.max-reject-share.",
    footer = {"", "Example:", "  jobs/pipeline validate --input data-samples/tracking"})
final class ValidateCommand implements Callable<Integer> {
  @ParentCommand PipelineCli root;
  @Spec CommandSpec spec;

  @Option(
      names = "--input",
      required = true,
      paramLabel = "PATH",
      description = "File or folder to check.")
  String input;

  @Override
  public Integer call() {
    PipelineConfig config = Session.config(root, Map.of("inputs.tracking", input));
    Session s = Session.open(config);
    List<InputFile> files = TrackingIngestStage.validate(s.spark, config);
    Dataset<Row> raw = TrackingReader.readAll(s.spark, files, "validate");
    Dataset<Row> checked =
        TrackingRules.check(
            raw,
            AdminUnits.load(s.spark, config.inputs().adminUnits()),
            AdminUnits.loadAliases(s.spark, config.inputs().adminAliases()),
            config.tracking());
    List<Row> counts =
        checked
            .groupBy(col("source_file"), col("reject_rule"))
            .agg(count(lit(1)).as("n"))
            .orderBy("source_file", "reject_rule")
            .collectAsList();
    PrintWriter out = spec.commandLine().getOut();
    int exit = ExitCode.OK.code();
    for (InputFile f : files) {
      long read = 0;
      long rejected = 0;
      StringBuilder rules = new StringBuilder();
      for (Row r : counts) {
        if (r.getString(0).equals(f.path())) {
          read += r.getLong(2);
          if (!r.isNullAt(1)) {
            rejected += r.getLong(2);
            rules.append(" ").append(r.getString(1)).append("=").append(r.getLong(2));
          }
        }
      }
      out.printf(
          "%s: %s%s, %d rows, %d would be quarantined%s%n",
          f.path(), f.format(), f.hxlRow() ? " with HXL row" : "", read, rejected, rules);
      if (read > 0 && (double) rejected / read > config.quality().maxRejectShare()) {
        out.println(
            "  "
                + Errors.qualityGate(
                        f.path(), (double) rejected / read, config.quality().maxRejectShare())
                    .getMessage());
        exit = ExitCode.QUALITY_GATE.code();
      }
    }
    out.flush();
    return exit;
  }
}
