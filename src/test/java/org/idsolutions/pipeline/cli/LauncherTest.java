package org.idsolutions.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How jobs/pipeline starts Java: its JVM options and its class-data-sharing archive
 * (docs/performance.md, change 37). The launcher runs from a copy of the project's layout (a built
 * jar with its two files and no sources, so it builds nothing) with a {@code java} on the PATH that
 * writes its arguments down, writes the archive it is asked to write, and exits with {@code
 * FAKE_JAVA_EXIT}.
 */
class LauncherTest {
  @TempDir Path dir;
  private Path target;
  private Path argsFile;

  private record Launch(List<String> args, int exit) {
    boolean has(String prefix) {
      return args.stream().anyMatch(a -> a.startsWith(prefix));
    }
  }

  @BeforeEach
  void layout() throws IOException {
    Path jobs = Files.createDirectories(dir.resolve("jobs"));
    Files.copy(Path.of("jobs/pipeline"), jobs.resolve("pipeline"));
    target = Files.createDirectories(dir.resolve("target")).toRealPath();
    FileTime built = FileTime.from(Instant.now().minusSeconds(600));
    for (String f : List.of("solutions-pipeline.jar", "classpath.txt", "jvm.options")) {
      Path p = target.resolve(f);
      Files.writeString(
          p, f.equals("classpath.txt") ? "/lib/spark.jar" : "-XX:-DontCompileHugeMethods");
      Files.setLastModifiedTime(p, built);
    }
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path java = bin.resolve("java");
    argsFile = dir.resolve("java-args.txt");
    Files.writeString(
        java,
        String.join(
            "\n",
            "#!/usr/bin/env bash",
            "printf '%s\\n' \"$@\" > '" + argsFile + "'",
            "for a in \"$@\"; do",
            "  case \"$a\" in -XX:ArchiveClassesAtExit=*) echo archive > \"${a#*=}\" ;; esac",
            "done",
            "exit \"${FAKE_JAVA_EXIT:-0}\"",
            ""));
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private Launch launch(Map<String, String> env, String... args) throws Exception {
    List<String> command =
        new ArrayList<>(List.of("bash", dir.resolve("jobs/pipeline").toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("PATH", dir.resolve("bin") + ":" + System.getenv("PATH"));
    pb.environment().remove("JAVA_OPTS");
    pb.environment().remove("PIPELINE_CDS");
    pb.environment().putAll(env);
    pb.redirectErrorStream(true);
    Files.deleteIfExists(argsFile);
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).as(output).isTrue();
    assertThat(output).doesNotContain("building");
    return new Launch(Files.readAllLines(argsFile), p.exitValue());
  }

  @Test
  void javaOptsReplaceTheDefaultHeapAndCollectorOnly() throws Exception {
    Launch status = launch(Map.of(), "status");
    assertThat(status.exit()).isZero();
    List<String> args = status.args();
    // the default heap and collector, then jvm.options, the class path and the command
    assertThat(args)
        .startsWith("-Xmx4g", "-XX:+UseParallelGC")
        .contains("-XX:-DontCompileHugeMethods");
    assertThat(args.get(args.indexOf("-cp") + 1))
        .isEqualTo(target.resolve("solutions-pipeline.jar") + ":/lib/spark.jar");
    assertThat(args.subList(args.indexOf("-cp") + 2, args.size()))
        .containsExactly("org.idsolutions.pipeline.cli.PipelineCli", "status");

    Launch own = launch(Map.of("JAVA_OPTS", "-Xmx8g -XX:+UseG1GC"), "status");
    assertThat(own.args())
        .startsWith("-Xmx8g", "-XX:+UseG1GC")
        .doesNotContain("-Xmx4g")
        .contains("-XX:-DontCompileHugeMethods");
  }

  @Test
  void theFirstRunWritesTheArchiveAndLaterCommandsUseIt() throws Exception {
    Path jsa = target.resolve("pipeline.jsa");
    // a status before any run neither uses nor writes an archive
    Launch before = launch(Map.of(), "status");
    assertThat(before.has("-XX:ArchiveClassesAtExit") || before.has("-XX:SharedArchiveFile"))
        .isFalse();

    // a failed run keeps no archive; a successful one (the option after --lakehouse) does
    Launch failed = launch(Map.of("FAKE_JAVA_EXIT", "3"), "run");
    assertThat(failed.exit()).isEqualTo(3);
    assertThat(failed.has("-XX:ArchiveClassesAtExit=" + jsa + ".")).isTrue();
    assertThat(jsa).doesNotExist();
    assertThat(launch(Map.of(), "--lakehouse", "/tmp/lh", "run").exit()).isZero();
    assertThat(jsa).hasContent("archive");
    assertThat(target.toFile().list())
        .containsExactlyInAnyOrder(
            "solutions-pipeline.jar", "classpath.txt", "jvm.options", "pipeline.jsa");

    Launch later = launch(Map.of(), "status");
    assertThat(later.args()).contains("-XX:SharedArchiveFile=" + jsa);
    assertThat(later.has("-XX:ArchiveClassesAtExit")).isFalse();
    assertThat(launch(Map.of("PIPELINE_CDS", "0"), "status").has("-XX:SharedArchiveFile"))
        .isFalse();

    // a rebuilt jar makes the archive stale: the next bench writes a new one
    Files.setLastModifiedTime(
        target.resolve("solutions-pipeline.jar"), FileTime.from(Instant.now().plusSeconds(60)));
    Launch rebuilt = launch(Map.of(), "bench", "--scale", "0.01");
    assertThat(rebuilt.has("-XX:SharedArchiveFile")).isFalse();
    assertThat(rebuilt.has("-XX:ArchiveClassesAtExit=" + jsa + ".")).isTrue();
  }
}
