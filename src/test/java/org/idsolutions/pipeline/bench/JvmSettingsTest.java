package org.idsolutions.pipeline.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class JvmSettingsTest {
  /** What jobs/pipeline passes: JAVA_OPTS, the archive's options, then target/jvm.options. */
  private static List<String> launcher(String... archive) {
    List<String> args = new java.util.ArrayList<>(List.of("-Xmx8g", "-XX:+UseParallelGC"));
    args.addAll(List.of(archive));
    args.addAll(
        List.of(
            "-XX:+IgnoreUnrecognizedVMOptions",
            "-XX:-DontCompileHugeMethods",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "-Djdk.reflect.useDirectMethodHandle=false"));
    return args;
  }

  @Test
  void theLaunchersArchiveOptionsTellWhetherClassesCameFromTheArchive() {
    JvmSettings using =
        JvmSettings.of(
            launcher("-XX:SharedArchiveFile=/repo/target/pipeline.jsa", "-Xlog:cds*=off"));
    JvmSettings writing =
        JvmSettings.of(
            launcher("-XX:ArchiveClassesAtExit=/repo/target/pipeline.jsa.123", "-Xlog:cds*=off"));
    JvmSettings off = JvmSettings.of(launcher());

    assertThat(using.classDataSharing()).isEqualTo(JvmSettings.ARCHIVE);
    assertThat(writing.classDataSharing()).isEqualTo(JvmSettings.WRITING_ARCHIVE);
    assertThat(off.classDataSharing()).isEqualTo(JvmSettings.OFF);
    assertThat(
            JvmSettings.of(
                    List.of("-XX:SharedArchiveFile=/repo/target/pipeline.jsa", "-Xshare:off"))
                .classDataSharing())
        .isEqualTo(JvmSettings.OFF);
    // the options are the heap, collector and compiler settings, the same in all three runs
    assertThat(using.options())
        .containsExactly(
            "-Xmx8g",
            "-XX:+UseParallelGC",
            "-XX:+IgnoreUnrecognizedVMOptions",
            "-XX:-DontCompileHugeMethods")
        .isEqualTo(writing.options())
        .isEqualTo(off.options());
  }

  @Test
  void aDifferenceFromTheBaselinesSettingsIsOneNoteLine() {
    JvmSettings using = new JvmSettings(JvmSettings.ARCHIVE, List.of("-Xmx8g"));
    JvmSettings writing = new JvmSettings(JvmSettings.WRITING_ARCHIVE, List.of("-Xmx8g"));
    JvmSettings smaller = new JvmSettings(JvmSettings.ARCHIVE, List.of("-Xmx4g"));

    assertThat(using.differenceFrom(new JvmSettings(JvmSettings.ARCHIVE, List.of("-Xmx8g"))))
        .isNull();
    assertThat(using.differenceFrom(null)).isNull(); // an older baseline file does not say
    assertThat(using.differenceFrom(writing))
        .isEqualTo(
            "note: class data sharing writing-archive in the baseline, archive now (a run that"
                + " writes the archive starts slower)");
    assertThat(smaller.differenceFrom(writing))
        .isEqualTo(
            "note: class data sharing writing-archive in the baseline, archive now (a run that"
                + " writes the archive starts slower); JVM options [-Xmx8g] in the baseline,"
                + " [-Xmx4g] now");
    assertThat(smaller.differenceFrom(using))
        .isEqualTo("note: JVM options [-Xmx8g] in the baseline, [-Xmx4g] now");
  }

  @Test
  void theRunningJvmsSettingsAreReadFromItsArguments() {
    JvmSettings now = JvmSettings.current();
    assertThat(now.classDataSharing())
        .isIn(JvmSettings.ARCHIVE, JvmSettings.WRITING_ARCHIVE, JvmSettings.OFF);
    assertThat(now.options()).allMatch(o -> o.startsWith("-X"));
  }

  /**
   * The launcher's options start with {@code -XX:+IgnoreUnrecognizedVMOptions}, so a misspelt or
   * retired HotSpot flag in them would be dropped without a word. Surefire starts this JVM with the
   * same {@code spark.jvm.options} that the build writes to target/jvm.options, so each {@code -XX}
   * flag there must hold its value here.
   */
  @Test
  void everyHotSpotFlagInTheLaunchersOptionsTakesEffect() throws Exception {
    List<String> flags =
        List.of(Files.readString(Path.of("target", "jvm.options")).trim().split("\\s+")).stream()
            .filter(o -> o.startsWith("-XX:") && !o.equals("-XX:+IgnoreUnrecognizedVMOptions"))
            .toList();
    HotSpotDiagnosticMXBean hotSpot =
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);

    assertThat(flags)
        .contains(
            "-XX:-DontCompileHugeMethods", "-XX:InlineSmallCode=1000", "-XX:FreqInlineSize=100");
    for (String flag : flags) {
      String setting = flag.substring("-XX:".length());
      boolean bool = setting.startsWith("+") || setting.startsWith("-");
      String name = bool ? setting.substring(1) : setting.substring(0, setting.indexOf('='));
      String value =
          bool
              ? String.valueOf(setting.startsWith("+"))
              : setting.substring(setting.indexOf('=') + 1);
      assertThat(hotSpot.getVMOption(name).getValue()).as(flag).isEqualTo(value);
    }
  }
}
