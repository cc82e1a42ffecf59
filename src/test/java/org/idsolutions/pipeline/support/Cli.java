package org.idsolutions.pipeline.support;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.idsolutions.pipeline.cli.PipelineCli;

/** Runs the CLI in the test JVM (sharing its SparkSession) and captures what it prints. */
public final class Cli {
  public final int exitCode;
  public final String out;
  public final String err;

  private Cli(int exitCode, String out, String err) {
    this.exitCode = exitCode;
    this.out = out;
    this.err = err;
  }

  public static Cli run(String... args) {
    SparkTestSession.get();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = PipelineCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Cli(code, out.toString(), err.toString());
  }

  /**
   * The test config's arguments for the lakehouse, with each of {@code sets} as a {@code --set
   * key=value}, then {@code command}.
   */
  public static String[] testConfig(Path lakehouse, Map<String, ?> sets, String... command) {
    List<String> args =
        new ArrayList<>(List.of("--conf", "src/test/resources/test.yaml", "--lakehouse"));
    args.add(lakehouse.toString());
    sets.forEach((key, value) -> args.addAll(List.of("--set", key + "=" + value)));
    args.addAll(List.of(command));
    return args.toArray(new String[0]);
  }

  /**
   * The test config's arguments for a lakehouse fed by tracking files only, then {@code command}:
   * the tracking input {@code tracking}, the survey and programme inputs the folder {@code empty}.
   */
  public static String[] trackingOnly(
      Path lakehouse, Path tracking, Path empty, String... command) {
    return testConfig(
        lakehouse,
        Map.of("inputs.tracking", tracking, "inputs.surveys", empty, "inputs.programmes", empty),
        command);
  }
}
