package org.idsolutions.pipeline.support;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.stream.Stream;
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
   * The test config's arguments for a lakehouse fed by tracking files only, then {@code command}:
   * the tracking input {@code tracking}, the survey and programme inputs the folder {@code empty}.
   */
  public static String[] trackingOnly(
      Path lakehouse, Path tracking, Path empty, String... command) {
    String[] base = {
      "--conf",
      "src/test/resources/test.yaml",
      "--lakehouse",
      lakehouse.toString(),
      "--set",
      "inputs.tracking=" + tracking,
      "--set",
      "inputs.surveys=" + empty,
      "--set",
      "inputs.programmes=" + empty
    };
    return Stream.concat(Stream.of(base), Stream.of(command)).toArray(String[]::new);
  }
}
