package org.idsolutions.pipeline.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.idsolutions.pipeline.bench.Benchmark.StageFigure;
import org.idsolutions.pipeline.errors.ExitCode;
import org.idsolutions.pipeline.errors.PipelineException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BaselineTest {
  @TempDir Path dir;

  private Path write(String json) throws IOException {
    return Files.writeString(dir.resolve("base.json"), json);
  }

  private static StageFigure figure(String phase, String stage, double seconds) {
    return Figures.figure(phase, stage, seconds, 0, 0, 0);
  }

  /** The shape bench --json writes, with the fields the comparison reads. */
  private static final String BASE =
      """
      {"scale": 1.0, "seed": 1, "machine": {"cores": 2},
       "stages": [
         {"phase": "full", "stage": "ingest-tracking", "seconds": 100.0, "rowsIn": 1016045},
         {"phase": "full", "stage": "ingest-surveys", "seconds": 4.0},
         {"phase": "full", "stage": "indicators-tracking", "seconds": 30.0},
         {"phase": "incremental", "stage": "ingest-tracking", "seconds": 20.0}],
       "fullSeconds": 134.0, "incrementalSeconds": 20.0}
      """;

  @Test
  void aStageIsSlowerBeyondTheToleranceAndTheSlackOnly() throws IOException {
    Baseline base = Baseline.read(write(BASE));
    List<Baseline.Comparison> c =
        base.compare(
            List.of(
                figure("full", "ingest-tracking", 126.0), // +26 %, +26 s: slower
                figure("full", "ingest-surveys", 5.9), // +47.5 % but +1.9 s: jitter
                figure("full", "indicators-tracking", 37.4), // +24.7 %: within 25 %
                figure("full", "indicators-surveys", 9.0), // not in the baseline: not compared
                figure("incremental", "ingest-tracking", 12.0)), // faster
            0.25);

    assertThat(c)
        .extracting(x -> x.phase() + " " + x.stage() + " " + x.baseline() + " " + x.now())
        .containsExactly(
            "full ingest-tracking 100.0 126.0",
            "full ingest-surveys 4.0 5.9",
            "full indicators-tracking 30.0 37.4",
            "incremental ingest-tracking 20.0 12.0",
            // the phases' totals: 126 + 5.9 + 37.4 + 9 against 134; 12 against 20
            "full (run) 134.0 178.3",
            "incremental (run) 20.0 12.0");
    assertThat(c)
        .extracting(Baseline.Comparison::slower)
        .containsExactly(true, false, false, false, true, false);
    assertThat(c.get(0).changePercent()).isCloseTo(26.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(c.get(3).changePercent())
        .isCloseTo(-40.0, org.assertj.core.data.Offset.offset(1e-9));

    // with no tolerance the 24.7 % is slower too, the 1.9 s still is not (nor the totals of
    // these one-stage runs, far below the baseline's)
    assertThat(base.compare(List.of(figure("full", "indicators-tracking", 37.4)), 0))
        .extracting(Baseline.Comparison::slower)
        .containsExactly(true, false);
    assertThat(base.compare(List.of(figure("full", "ingest-surveys", 5.9)), 0))
        .extracting(Baseline.Comparison::slower)
        .containsExactly(false, false);
  }

  @Test
  void aRunsTotalIsTheSameNumberTheBenchWritesAsItsRunSeconds() throws IOException {
    // ten stages of 0.1 s: added one by one they make 0.9999999999999999, the bench's
    // fullSeconds (Baseline.total) 1.0; the comparison must show the number the JSON holds
    List<StageFigure> tenths = new java.util.ArrayList<>();
    for (int i = 0; i < 10; i++) {
      tenths.add(figure("full", "stage-" + i, 0.1));
    }
    assertThat(Baseline.total(tenths, "full")).isEqualTo(1.0);
    List<Baseline.Comparison> c = Baseline.read(write(BASE)).compare(tenths, 0.25);
    assertThat(c).singleElement().satisfies(x -> assertThat(x.stage()).isEqualTo("(run)"));
    assertThat(c.get(0).now()).isEqualTo(Baseline.total(tenths, "full"));
  }

  @Test
  void theBaselinesJvmSettingsAreReadWhenItsFileHasThem() throws IOException {
    // an older file (BASE) has no settings: nothing to compare them with
    assertThat(Baseline.read(write(BASE)).jvm()).isNull();
    Baseline base =
        Baseline.read(
            write(
                BASE.replace(
                    "\"machine\": {\"cores\": 2}",
                    "\"machine\": {\"cores\": 2, \"classDataSharing\": \"writing-archive\","
                        + " \"jvmOptions\": [\"-Xmx8g\", \"-XX:+UseParallelGC\"]}")));
    assertThat(base.jvm())
        .isEqualTo(
            new JvmSettings(JvmSettings.WRITING_ARCHIVE, List.of("-Xmx8g", "-XX:+UseParallelGC")));
  }

  @Test
  void aBaselineWhoseIncrementalPhaseRanInAnotherKindOfJvmIsNamed() throws IOException {
    // an older file does not say: no note either way
    Baseline old = Baseline.read(write(BASE));
    assertThat(old.freshJvm()).isNull();
    assertThat(old.incrementalJvmDifference(true)).isNull();

    Baseline same = withIncrementalJvm("same as the full run's");
    assertThat(same.freshJvm()).isFalse();
    assertThat(same.incrementalJvmDifference(false)).isNull();
    assertThat(same.incrementalJvmDifference(true))
        .isEqualTo(
            "note: the baseline's incremental phase ran in the full run's JVM, this one's in a"
                + " fresh JVM (a fresh JVM loads and compiles its code again)");

    Baseline fresh = withIncrementalJvm("fresh, class data sharing archive");
    assertThat(fresh.freshJvm()).isTrue();
    assertThat(fresh.incrementalJvmDifference(true)).isNull();
    assertThat(fresh.incrementalJvmDifference(false))
        .startsWith("note: the baseline's incremental phase ran in a fresh JVM, this one's in the");
  }

  private Baseline withIncrementalJvm(String value) throws IOException {
    return Baseline.read(
        write(
            BASE.replace(
                "\"fullSeconds\"", "\"incrementalJvm\": \"" + value + "\", \"fullSeconds\"")));
  }

  @Test
  void aBaselineOfOtherDataOrNoFiguresIsAUsageErrorNamingTheFile() throws IOException {
    Baseline base = Baseline.read(write(BASE));
    base.checkSameData(1.0, 1); // same data: accepted
    assertThatThrownBy(() -> base.checkSameData(0.1, 1))
        .isInstanceOf(PipelineException.class)
        .hasMessageContaining("base.json was measured at scale 1.0 seed 1, this run is scale 0.1")
        .satisfies(e -> assertThat(((PipelineException) e).exitCode()).isEqualTo(ExitCode.USAGE));
    assertThatThrownBy(() -> base.checkSameData(1.0, 2)).hasMessageContaining("seed 2");

    assertThatThrownBy(() -> Baseline.read(dir.resolve("missing.json")))
        .isInstanceOf(PipelineException.class)
        .hasMessageContaining("missing.json not found");
    assertThatThrownBy(() -> Baseline.read(write("{\"scale\": 1, \"stages\": ")))
        .hasMessageContaining("is not valid JSON");
    assertThatThrownBy(() -> Baseline.read(write("{\"rows\": []}")))
        .hasMessageContaining("holds no benchmark figures");
  }
}
