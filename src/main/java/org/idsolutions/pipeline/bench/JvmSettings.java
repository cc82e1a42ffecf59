package org.idsolutions.pipeline.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * The JVM settings a benchmark ran with that move its figures: the heap and collector options, and
 * whether classes came from the launcher's class-data-sharing archive. The first {@code run} or
 * {@code bench} after a jar rebuild writes that archive instead of using it, and its stages start
 * slower (a scale 0.1 full run took 145.8 s writing the archive against 120.9 and 131.9 s using it,
 * docs/performance.md, fourteenth session), so two runs compare fairly only with the same settings.
 *
 * @param classDataSharing {@link #ARCHIVE}, {@link #WRITING_ARCHIVE} or {@link #OFF}
 * @param options the {@code -X} and {@code -XX} options given to the JVM, in order, without the
 *     archive's own options
 */
public record JvmSettings(String classDataSharing, List<String> options) {
  /** Classes loaded from an archive ({@code -XX:SharedArchiveFile}). */
  public static final String ARCHIVE = "archive";

  /** The archive is written when the JVM exits ({@code -XX:ArchiveClassesAtExit}). */
  public static final String WRITING_ARCHIVE = "writing-archive";

  /** Neither: the JDK's default archive of its own classes only. */
  public static final String OFF = "off";

  private static final String SHARED = "-XX:SharedArchiveFile=";

  /** The option that makes a JVM write a class-data archive when it exits. */
  static final String AT_EXIT = "-XX:ArchiveClassesAtExit=";

  /** The settings of this JVM. */
  public static JvmSettings current() {
    return of(ManagementFactory.getRuntimeMXBean().getInputArguments());
  }

  /** The settings that a JVM's input arguments give. */
  public static JvmSettings of(List<String> arguments) {
    String sharing = OFF;
    List<String> options = new ArrayList<>();
    for (String a : arguments) {
      if (a.startsWith(AT_EXIT)) {
        sharing = WRITING_ARCHIVE;
      } else if (a.startsWith(SHARED)) {
        sharing = sharing.equals(WRITING_ARCHIVE) ? sharing : ARCHIVE;
      } else if (a.startsWith("-X") && !a.startsWith("-Xlog:cds")) {
        options.add(a);
      }
    }
    // sharing switched off outright wins over an archive named beside it
    return new JvmSettings(options.contains("-Xshare:off") ? OFF : sharing, List.copyOf(options));
  }

  /**
   * What differs from the settings of an earlier run, as a line to print beside a comparison, or
   * null when nothing does (or the earlier run's settings are unknown).
   */
  public String differenceFrom(JvmSettings earlier) {
    if (earlier == null) {
      return null;
    }
    List<String> parts = new ArrayList<>();
    if (!classDataSharing.equals(earlier.classDataSharing)) {
      parts.add(
          "class data sharing "
              + earlier.classDataSharing
              + " in the baseline, "
              + classDataSharing
              + " now"
              + (classDataSharing.equals(WRITING_ARCHIVE)
                      || earlier.classDataSharing.equals(WRITING_ARCHIVE)
                  ? " (a run that writes the archive starts slower)"
                  : ""));
    }
    if (!options.equals(earlier.options)) {
      parts.add("JVM options " + earlier.options + " in the baseline, " + options + " now");
    }
    return parts.isEmpty() ? null : "note: " + String.join("; ", parts);
  }
}
