package org.idsolutions.pipeline.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.idsolutions.pipeline.errors.ExitCode;
import org.idsolutions.pipeline.errors.PipelineException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;

  private Path yaml(String text) throws IOException {
    Path p = dir.resolve("c.yaml");
    Files.writeString(p, text);
    return p;
  }

  @Test
  void defaultsApplyWithoutAFile() {
    PipelineConfig c = ConfigLoader.load(null, Map.of(), Map.of());
    assertThat(c.lakehouse().root()).isEqualTo("./lakehouse");
    assertThat(c.tracking().staleAfterMonths()).isEqualTo(3);
    assertThat(c.tracking().operationPriority()).isEmpty();
    assertThat(c.quality().maxRejectShare()).isEqualTo(0.2);
  }

  @Test
  void cliBeatsEnvironmentBeatsFileBeatsDefault() throws IOException {
    Path file = yaml("lakehouse:\n  root: /from/file\ntracking:\n  stale-after-months: 4\n");
    Map<String, String> env =
        Map.of(
            "SOLUTIONS_LAKEHOUSE_ROOT", "/from/env", "SOLUTIONS_TRACKING_ADMIN2_TOLERANCE", "0.1");
    PipelineConfig c = ConfigLoader.load(file, env, Map.of("lakehouse.root", "/from/cli"));
    assertThat(c.lakehouse().root()).isEqualTo("/from/cli"); // CLI over env and file
    assertThat(c.tracking().admin2Tolerance()).isEqualTo(0.1); // env over default
    assertThat(c.tracking().staleAfterMonths()).isEqualTo(4); // file over default
    assertThat(c.tracking().minReportDate()).isEqualTo("2000-01-01"); // default
    PipelineConfig envOverFile = ConfigLoader.load(file, env, Map.of());
    assertThat(envOverFile.lakehouse().root()).isEqualTo("/from/env");
  }

  @Test
  void listsComeCommaSeparatedFromEnvironmentAndCli() {
    PipelineConfig c =
        ConfigLoader.load(
            null, Map.of("SOLUTIONS_TRACKING_OPERATION_PRIORITY", "Op B, Op A"), Map.of());
    assertThat(c.tracking().operationPriority()).containsExactly("Op B", "Op A");
  }

  @Test
  void publishPasswordComesFromTheEnvironmentAndIsNeverPrinted() {
    PipelineConfig c =
        ConfigLoader.load(null, Map.of("SOLUTIONS_PUBLISH_PASSWORD", "s3cret"), Map.of());
    assertThat(c.publish().password()).isEqualTo("s3cret");
    assertThat(c.publish().schema()).isEqualTo("solutions");
    assertThat(c.publish().toString()).doesNotContain("s3cret").contains("password=***");
    assertThat(c.toString()).doesNotContain("s3cret");
    assertThatThrownBy(
            () -> ConfigLoader.load(null, Map.of(), Map.of("publish.reader-role", "Reader;")))
        .isInstanceOf(PipelineException.class)
        .hasMessageContaining("publish.reader-role")
        .hasMessageContaining("lower-case name");
  }

  @Test
  void sparkConfPassesThrough() throws IOException {
    Path file = yaml("spark:\n  conf:\n    spark.sql.shuffle.partitions: 7\n");
    PipelineConfig c = ConfigLoader.load(file, Map.of(), Map.of("spark.conf.spark.foo", "bar"));
    assertThat(c.spark().conf())
        .containsEntry("spark.sql.shuffle.partitions", "7")
        .containsEntry("spark.foo", "bar")
        .containsEntry("spark.sql.session.timeZone", "UTC")
        // a default the session is built with (Spark keeps 100 generated classes otherwise)
        .containsEntry("spark.sql.codegen.cache.maxEntries", "4000")
        .containsEntry("spark.sql.icu.caseMappings.enabled", "false");
  }

  @Test
  void unknownKeyIsAUsageErrorNamingIt() throws IOException {
    Path file = yaml("tracking:\n  stale-months: 4\n");
    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of(), Map.of()))
        .isInstanceOf(PipelineException.class)
        .hasMessageContaining("unknown config key 'tracking.stale-months'")
        .hasMessageContaining(file.toString())
        .satisfies(e -> assertThat(((PipelineException) e).exitCode()).isEqualTo(ExitCode.USAGE));
  }

  @Test
  void badValueIsAUsageErrorNamingTheKey() throws IOException {
    Path file = yaml("tracking:\n  stale-after-months: soon\n");
    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of(), Map.of()))
        .isInstanceOf(PipelineException.class)
        .hasMessageContaining("'tracking.stale-after-months'");
    assertThatThrownBy(
            () -> ConfigLoader.load(null, Map.of(), Map.of("quality.max-reject-share", "2")))
        .hasMessageContaining("quality.max-reject-share")
        .hasMessageContaining("between 0 and 1");
  }

  @Test
  void unknownCliKeyAndMissingFileAreRefused() {
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("lakehouse.rot", "x")))
        .hasMessageContaining("unknown config key 'lakehouse.rot'");
    assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("nope.yaml"), Map.of(), Map.of()))
        .hasMessageContaining("nope.yaml not found");
  }

  @Test
  void environmentNamesFollowTheKey() {
    assertThat(ConfigLoader.envName("tracking.stale-after-months"))
        .isEqualTo("SOLUTIONS_TRACKING_STALE_AFTER_MONTHS");
    assertThat(ConfigLoader.knownKeys())
        .contains("lakehouse.root", "inputs.tracking", "spark.conf");
  }
}
