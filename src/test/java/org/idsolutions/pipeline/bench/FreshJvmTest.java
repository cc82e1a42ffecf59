package org.idsolutions.pipeline.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.idsolutions.pipeline.errors.ExitCode;
import org.idsolutions.pipeline.errors.PipelineException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FreshJvmTest {
  @TempDir Path dir;

  @Test
  void theNewJvmGetsThisOnesOptionsButDoesNotWriteTheArchive() {
    List<String> cmd =
        FreshJvm.command(
            "/jdk/bin/java",
            List.of(
                "-Xmx8g",
                "-XX:ArchiveClassesAtExit=/p/target/pipeline.jsa.123",
                "-Xlog:cds*=off",
                "--add-opens=java.base/java.nio=ALL-UNNAMED"),
            "/p/a.jar:/p/b.jar",
            "org.example.Main",
            List.of("bench", "--scale", "1"));
    assertThat(cmd)
        .containsExactly(
            "/jdk/bin/java",
            "-Xmx8g",
            "-Xlog:cds*=off",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "-cp",
            "/p/a.jar:/p/b.jar",
            "org.example.Main",
            "bench",
            "--scale",
            "1");
    // an archive that is only read is read by the new JVM too, as by a scheduled run
    assertThat(
            FreshJvm.command(
                "java", List.of("-XX:SharedArchiveFile=/p/a.jsa"), "cp", "M", List.of()))
        .containsExactly("java", "-XX:SharedArchiveFile=/p/a.jsa", "-cp", "cp", "M");
  }

  @Test
  void theCurrentJvmsCommandStartsWithItsJavaAndEndsWithTheArguments() {
    List<String> cmd = FreshJvm.command("org.example.Main", List.of("run"));
    assertThat(Path.of(cmd.get(0)).getFileName().toString()).startsWith("java");
    assertThat(cmd.subList(cmd.size() - 4, cmd.size()))
        .containsExactly("-cp", System.getProperty("java.class.path"), "org.example.Main", "run");
  }

  @Test
  void aFailedJvmOrOneThatWroteNoFiguresFailsNamingTheLog() throws Exception {
    Path json = dir.resolve("figures.json");
    Path log = dir.resolve("child.log");
    assertThatThrownBy(() -> FreshJvm.run(List.of("sh", "-c", "echo boom; exit 3"), json, log))
        .isInstanceOf(PipelineException.class)
        .hasMessage("the run in a fresh JVM failed with exit 3: see " + log)
        .satisfies(e -> assertThat(((PipelineException) e).exitCode()).isEqualTo(ExitCode.FAILED));
    assertThat(Files.readString(log)).contains("boom");

    assertThatThrownBy(() -> FreshJvm.run(List.of("sh", "-c", "exit 0"), json, log))
        .hasMessage("the run in a fresh JVM wrote no figures to " + json);

    // the figures it wrote are read back as stage figures, whatever else the file holds
    String written =
        "{\"machine\": {\"classDataSharing\": \"off\", \"cores\": 2}, \"stages\": [{\"phase\":"
            + " \"incremental\", \"stage\": \"ingest-tracking\", \"status\": \"succeeded\","
            + " \"seconds\": 2.5, \"rowsIn\": 40, \"sparkJobs\": 7, \"slowestJobs\": [{\"group\":"
            + " \"ingest-tracking\", \"id\": 3, \"seconds\": 1.0, \"tasks\": 2, \"callSite\":"
            + " \"save at X.java:1\"}]}]}";
    Path source = Files.writeString(dir.resolve("source.json"), written);
    FreshJvm.Result r = FreshJvm.run(List.of("cp", source.toString(), json.toString()), json, log);
    assertThat(r.classDataSharing()).isEqualTo("off");
    assertThat(r.figures()).hasSize(1);
    Benchmark.StageFigure f = r.figures().get(0);
    assertThat(
            f.phase()
                + " "
                + f.stage()
                + " "
                + f.seconds()
                + " "
                + f.rowsIn()
                + " "
                + f.sparkJobs())
        .isEqualTo("incremental ingest-tracking 2.5 40 7");
    assertThat(f.slowestJobs())
        .containsExactly(new JobTimes.Job("ingest-tracking", 3, 1.0, 2, "save at X.java:1"));
  }
}
