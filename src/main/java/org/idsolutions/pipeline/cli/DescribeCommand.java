package org.idsolutions.pipeline.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.idsolutions.pipeline.lakehouse.DataDictionary;
import org.idsolutions.pipeline.lakehouse.TableSpec;
import org.idsolutions.pipeline.lakehouse.Tables;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "describe",
    mixinStandardHelpOptions = true,
    description =
        "Print the data dictionary (grain, key, every column with its type and comment) of one table or of"
            + " all; --markdown prints docs/data-dictionary.md.",
    footer = {
      "",
      "Example:",
      "  jobs/pipeline describe indicators.regional_summary",
      "  jobs/pipeline describe --markdown > docs/data-dictionary.md"
    })
final class DescribeCommand implements Callable<Integer> {
  @ParentCommand PipelineCli root;
  @Spec CommandSpec spec;

  @Parameters(
      arity = "0..1",
      paramLabel = "TABLE",
      description = "layer.table, e.g. indicators.indicator_values")
  String table;

  @Option(
      names = "--markdown",
      description = "Markdown for every table (the data dictionary document).")
  boolean markdown;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (markdown) {
      out.print(DataDictionary.markdown());
    } else if (table == null) {
      for (TableSpec t : Tables.ALL) {
        out.println(DataDictionary.text(t));
      }
    } else {
      out.print(DataDictionary.text(Tables.named(table)));
    }
    out.flush();
    return 0;
  }
}
