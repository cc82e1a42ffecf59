package org.idsolutions.pipeline.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.idsolutions.pipeline.errors.Errors;
import org.idsolutions.pipeline.errors.ExitCode;
import org.idsolutions.pipeline.errors.PipelineException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The one entry point: {@code jobs/pipeline <command>} locally, or the main class under
 * spark-submit.
 */
@Command(
    name = "pipeline",
    mixinStandardHelpOptions = true,
    version = "solutions-pipeline 0.1.0",
    description =
        "Merges displacement tracking, household surveys and programme records into Delta tables and"
            + " computes regional indicators.",
    subcommands = {
      RunCommand.class,
      IngestCommand.class,
      IndicatorsCommand.class,
      TrendsCommand.class,
      ExportCommand.class,
      PublishCommand.class,
      ReportCommand.class,
      DescribeCommand.class,
      QueryCommand.class,
      StatusCommand.class,
      HistoryCommand.class,
      ValidateCommand.class,
      GenerateCommand.class,
      BenchCommand.class,
      MaintainCommand.class
    },
    footer = {"", "Example:", "  jobs/pipeline run", "  jobs/pipeline --lakehouse /tmp/lh status"})
public final class PipelineCli implements java.util.concurrent.Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  /** No command given: print usage and exit 2. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCode.USAGE.code();
  }

  static final Path DEFAULT_CONF = Path.of("conf/local.yaml");

  @Option(
      names = "--conf",
      scope = ScopeType.INHERIT,
      paramLabel = "FILE",
      description =
          "YAML config (default: conf/local.yaml when it exists, else the built-in defaults).")
  Path conf;

  @Option(
      names = "--lakehouse",
      scope = ScopeType.INHERIT,
      paramLabel = "DIR",
      description = "Lakehouse root folder or URI; overrides lakehouse.root.")
  String lakehouse;

  /** The --set values, in order, from before and after the command name. */
  final Map<String, String> sets = new LinkedHashMap<>();

  /**
   * Adds --set values. A setter, not a field: picocli gives an inherited map option given both
   * before and after the command name a new map after the name, which dropped the earlier values.
   */
  @Option(
      names = "--set",
      scope = ScopeType.INHERIT,
      paramLabel = "KEY=VALUE",
      description =
          "Override any config key, e.g. --set tracking.stale-after-months=6 (repeatable).")
  void set(Map<String, String> keyValues) {
    sets.putAll(keyValues);
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs a command line and returns its exit code (tests call this instead of main). */
  public static int execute(String... args) {
    return execute(
        new java.io.PrintWriter(System.out, true), new java.io.PrintWriter(System.err, true), args);
  }

  /** Runs a command line with the given output and error streams. */
  public static int execute(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(new PipelineCli());
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          if (e instanceof PipelineException pe) {
            commandLine.getErr().println("error: " + pe.getMessage());
            return pe.exitCode().code();
          }
          commandLine.getErr().println("error: " + Errors.firstLine(String.valueOf(e)));
          org.slf4j.LoggerFactory.getLogger(PipelineCli.class).debug("failure", e);
          return ExitCode.FAILED.code();
        });
    return cli.execute(args);
  }
}
