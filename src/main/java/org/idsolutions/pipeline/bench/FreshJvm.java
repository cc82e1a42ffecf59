package org.idsolutions.pipeline.bench;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.idsolutions.pipeline.bench.Benchmark.StageFigure;
import org.idsolutions.pipeline.errors.Errors;

/**
 * Runs a command of the CLI in a new JVM, as a scheduler starts {@code jobs/pipeline}: the same
 * java, JVM options and class path as this JVM, and none of its loaded classes, compiled code or
 * Spark session. The bench runs its incremental phase so with {@code --fresh-jvm}: in the JVM that
 * has just run the full phase, Spark's and Delta's code is already loaded and compiled, and the
 * increment took half as long as in a JVM of its own (docs/performance.md).
 */
public final class FreshJvm {
  private FreshJvm() {}

  /**
   * The command line that starts {@code mainClass} with {@code args} in a JVM like this one. A JVM
   * that writes the launcher's class-data archive passes that on to none (two JVMs would write one
   * file): the new JVM then loads its classes without an archive, as {@link JvmSettings} records.
   */
  public static List<String> command(String mainClass, List<String> args) {
    return command(
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()),
        ManagementFactory.getRuntimeMXBean().getInputArguments(),
        System.getProperty("java.class.path"),
        mainClass,
        args);
  }

  /** As {@link #command(String, List)}, for a JVM started as {@code java jvmArgs -cp classPath}. */
  static List<String> command(
      String java, List<String> jvmArgs, String classPath, String mainClass, List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    for (String a : jvmArgs) {
      if (!a.startsWith(JvmSettings.AT_EXIT)) { // one archive, one writer
        cmd.add(a);
      }
    }
    cmd.add("-cp");
    cmd.add(classPath);
    cmd.add(mainClass);
    cmd.addAll(args);
    return cmd;
  }

  /**
   * Runs {@code command} with its output (both streams) in {@code log}, waits for it, and returns
   * the stage figures it wrote to {@code json} (a {@code bench --json} file). A non-zero exit, or a
   * file without figures, fails with the log's name.
   */
  public static Result run(List<String> command, Path json, Path log) {
    try {
      Files.deleteIfExists(json);
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      int exit = p.waitFor();
      if (exit != 0) {
        throw Errors.failed(
            "the run in a fresh JVM failed with exit " + exit + ": see " + log, null);
      }
      ObjectMapper mapper =
          new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
      JsonNode doc = Files.isRegularFile(json) ? mapper.readTree(json.toFile()) : null;
      if (doc == null || !doc.path("stages").isArray()) {
        throw Errors.failed("the run in a fresh JVM wrote no figures to " + json, null);
      }
      List<StageFigure> figures = new ArrayList<>();
      for (JsonNode s : doc.get("stages")) {
        figures.add(mapper.treeToValue(s, StageFigure.class));
      }
      return new Result(figures, doc.path("machine").path("classDataSharing").asText(null));
    } catch (IOException e) {
      throw Errors.failed("cannot run a fresh JVM: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Errors.failed("interrupted while waiting for the fresh JVM", e);
    }
  }

  /**
   * What the fresh JVM measured.
   *
   * @param figures its stage figures
   * @param classDataSharing its {@link JvmSettings#classDataSharing()}, or null if not written
   */
  public record Result(List<StageFigure> figures, String classDataSharing) {}
}
