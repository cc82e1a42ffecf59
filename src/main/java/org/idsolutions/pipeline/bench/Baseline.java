package org.idsolutions.pipeline.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.idsolutions.pipeline.bench.Benchmark.StageFigure;
import org.idsolutions.pipeline.errors.Errors;

/**
 * The figures of an earlier benchmark (its JSON file), to catch regressions: a stage, or a phase as
 * a whole, is slower when it took more than {@code tolerance} more than in the baseline and at
 * least {@link #SLACK_SECONDS} more (small stages vary by about that much from run to run on one
 * machine, docs/performance.md).
 *
 * @param file where the figures were read from
 * @param scale the baseline's data scale
 * @param seed the baseline's data seed
 * @param seconds seconds per phase and stage, with each phase's total under {@link #TOTAL}
 * @param jvm the JVM settings the baseline ran with, or null when its file does not say (an older
 *     file)
 * @param freshJvm whether its incremental phase ran in a JVM of its own ({@code bench
 *     --fresh-jvm}), or null when its file does not say
 */
public record Baseline(
    Path file,
    double scale,
    long seed,
    Map<String, Double> seconds,
    JvmSettings jvm,
    Boolean freshJvm) {
  /** The stage name a phase's total is kept under. */
  public static final String TOTAL = "(run)";

  /** The figures' field that says which JVM ran the incremental phase. */
  public static final String INCREMENTAL_JVM = "incrementalJvm";

  /** How that field starts when the incremental phase ran in a JVM of its own. */
  public static final String FRESH = "fresh";

  /**
   * A line to print beside a comparison when the baseline's incremental phase ran in another kind
   * of JVM than this run's, or null.
   */
  public String incrementalJvmDifference(boolean nowFresh) {
    if (freshJvm == null || freshJvm == nowFresh) {
      return null;
    }
    return "note: the baseline's incremental phase ran "
        + (freshJvm ? "in a fresh JVM" : "in the full run's JVM")
        + ", this one's "
        + (nowFresh ? "in a fresh JVM" : "in the full run's JVM")
        + " (a fresh JVM loads and compiles its code again)";
  }

  /** Differences below this many seconds are never a regression. */
  public static final double SLACK_SECONDS = 2.0;

  /** One stage (or a phase's total) in both runs. */
  public record Comparison(
      String phase, String stage, double baseline, double now, boolean slower) {
    /** The change in percent of the baseline. */
    public double changePercent() {
      return baseline > 0 ? 100 * (now - baseline) / baseline : 0;
    }
  }

  /**
   * Reads a file written by {@code bench --json}; a missing or unreadable file, or one without
   * stage figures, is a usage error that names the file.
   */
  public static Baseline read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw Errors.usage("baseline " + file + " not found: pass a file written by bench --json");
    }
    JsonNode doc;
    try {
      doc = new ObjectMapper().readTree(file.toFile());
    } catch (IOException e) {
      throw Errors.usage(
          "baseline " + file + " is not valid JSON (" + Errors.firstLine(e.getMessage()) + ")");
    }
    JsonNode stages = doc == null ? null : doc.get("stages");
    if (stages == null || !stages.isArray() || !doc.hasNonNull("scale")) {
      throw Errors.usage(
          "baseline " + file + " holds no benchmark figures: pass a file written by bench --json");
    }
    Map<String, Double> seconds = new LinkedHashMap<>();
    for (JsonNode s : stages) {
      seconds.put(
          key(s.path("phase").asText(), s.path("stage").asText()), s.path("seconds").asDouble());
    }
    putTotal(seconds, doc, "fullSeconds", "full");
    putTotal(seconds, doc, "incrementalSeconds", "incremental");
    JsonNode incrementalJvm = doc.path(INCREMENTAL_JVM);
    return new Baseline(
        file,
        doc.get("scale").asDouble(),
        doc.path("seed").asLong(1),
        seconds,
        jvm(doc),
        incrementalJvm.isTextual() ? incrementalJvm.asText().startsWith(FRESH) : null);
  }

  /** The JVM settings in the file's machine figures, or null when it has none. */
  private static JvmSettings jvm(JsonNode doc) {
    JsonNode machine = doc.path("machine");
    JsonNode options = machine.path("jvmOptions");
    if (!machine.hasNonNull("classDataSharing") || !options.isArray()) {
      return null;
    }
    List<String> list = new ArrayList<>();
    options.forEach(o -> list.add(o.asText()));
    return new JvmSettings(machine.get("classDataSharing").asText(), List.copyOf(list));
  }

  private static void putTotal(
      Map<String, Double> seconds, JsonNode doc, String field, String phase) {
    if (doc.hasNonNull(field)) {
      seconds.put(key(phase, TOTAL), doc.get(field).asDouble());
    }
  }

  private static String key(String phase, String stage) {
    return phase + " " + stage;
  }

  /** Refuses, before anything runs, a baseline measured on other data. */
  public void checkSameData(double scale, long seed) {
    if (this.scale != scale || this.seed != seed) {
      throw Errors.usage(
          "baseline "
              + file
              + " was measured at scale "
              + this.scale
              + " seed "
              + this.seed
              + ", this run is scale "
              + scale
              + " seed "
              + seed
              + ": compare runs on the same data");
    }
  }

  /**
   * Each stage of {@code figures} that the baseline also timed, then each phase's total, in the
   * order of {@code figures}.
   *
   * @param tolerance the share by which a stage may be slower, e.g. 0.25
   */
  public List<Comparison> compare(List<StageFigure> figures, double tolerance) {
    List<Comparison> out = new ArrayList<>();
    Set<String> phases = new LinkedHashSet<>();
    for (StageFigure f : figures) {
      phases.add(f.phase());
      add(out, f.phase(), f.stage(), f.seconds(), tolerance);
    }
    for (String phase : phases) {
      add(out, phase, TOTAL, total(figures, phase), tolerance);
    }
    return out;
  }

  /** The seconds of a phase's stages added up (the bench's run totals are this sum too). */
  public static double total(List<StageFigure> figures, String phase) {
    return figures.stream()
        .filter(f -> f.phase().equals(phase))
        .mapToDouble(StageFigure::seconds)
        .sum();
  }

  private void add(List<Comparison> out, String phase, String stage, double now, double tolerance) {
    Double base = seconds.get(key(phase, stage));
    if (base == null) {
      return;
    }
    boolean slower = now > base * (1 + tolerance) && now - base >= SLACK_SECONDS;
    out.add(new Comparison(phase, stage, base, now, slower));
  }
}
