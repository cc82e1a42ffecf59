package org.idsolutions.pipeline.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.idsolutions.pipeline.bench.Baseline;
import org.idsolutions.pipeline.bench.Benchmark;
import org.idsolutions.pipeline.bench.Benchmark.StageFigure;
import org.idsolutions.pipeline.bench.FreshJvm;
import org.idsolutions.pipeline.bench.JobTimes;
import org.idsolutions.pipeline.bench.JvmSettings;
import org.idsolutions.pipeline.config.ConfigLoader;
import org.idsolutions.pipeline.config.PipelineConfig;
import org.idsolutions.pipeline.errors.Errors;
import org.idsolutions.pipeline.generate.SyntheticData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Benchmark every stage on synthetic data: generates it (or reuses it), runs the full"
          + " pipeline into a fresh lakehouse, adds the increment (one more month of tracking, one"
          + " more survey round, new activities) and runs again.",
      "Prints per stage seconds, rows in, rows per second, peak JVM heap, Spark jobs and tasks,"
          + " the generated classes Spark compiled, and the seconds of CPU, JIT compilation and"
          + " garbage collection the JVM spent, and writes the figures as JSON. Figures"
          + " and how they were taken: docs/performance.md."
    },
    footer = {
      "",
      "Example:",
      "  jobs/pipeline bench --scale 0.1",
      "  JAVA_OPTS=-Xmx8g jobs/pipeline bench --scale 1 --json target/bench/s1.json",
      "  jobs/pipeline bench --scale 0.1 --baseline target/bench/s0.1-main.json"
    })
final class BenchCommand implements Callable<Integer> {
  @ParentCommand PipelineCli root;
  @Spec CommandSpec spec;

  @Option(
      names = "--scale",
      required = true,
      paramLabel = "S",
      description = "Data size (1 = about 1 M tracking rows), as for generate.")
  double scale;

  @Option(
      names = "--seed",
      defaultValue = "1",
      paramLabel = "N",
      description = "Seed of the generated data (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description =
          "Generated data to use or create (default: target/bench/data-s<S>-seed<N>); reused when"
              + " it was generated with the same scale and seed.")
  Path data;

  @Option(
      names = "--work",
      paramLabel = "DIR",
      description =
          "Folder for the run's inputs and lakehouse, emptied first (default:"
              + " target/bench/run-s<S>).")
  Path work;

  @Option(
      names = "--json",
      paramLabel = "FILE",
      description = "Where to write the figures (default: <work>/bench.json).")
  Path json;

  @Option(names = "--full-only", description = "Skip the incremental run.")
  boolean fullOnly;

  @Option(
      names = INCREMENTAL_ONLY,
      description =
          "Run the incremental phase only, on the inputs and lakehouse that a bench --full-only"
              + " left in --work (same --data): adds the increment and runs the stages once.")
  boolean incrementalOnly;

  static final String INCREMENTAL_ONLY = "--incremental-only";

  @Option(
      names = "--fresh-jvm",
      description =
          "Run the incremental phase in a JVM of its own, started with this one's options, as a"
              + " scheduler starts `jobs/pipeline run` after the full run, instead of in the JVM"
              + " the full run warmed up. Its output goes to <work>/incremental-jvm.log.")
  boolean freshJvm;

  @Option(
      names = "--jobs",
      description = "Also print each stage's slowest Spark jobs with their call sites.")
  boolean showJobs;

  @Option(
      names = "--baseline",
      paramLabel = "FILE",
      description =
          "Figures of an earlier run (its --json file, same scale and seed) to compare with: the"
              + " command prints both and fails (exit 1) when a stage or a whole run is slower by"
              + " more than the tolerance and by at least 2 s.")
  Path baseline;

  @Option(
      names = "--tolerance",
      defaultValue = "25",
      paramLabel = "PCT",
      description =
          "How much slower than the baseline a stage may be, in percent (default:"
              + " ${DEFAULT-VALUE}; runs on one machine vary by about 10 %%).")
  double tolerancePercent;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    if (tolerancePercent < 0) {
      throw Errors.usage("--tolerance must be 0 or more (percent), not " + tolerancePercent);
    }
    if (fullOnly && (freshJvm || incrementalOnly)) {
      throw Errors.usage(
          (freshJvm ? "--fresh-jvm" : INCREMENTAL_ONLY)
              + " is about the incremental phase: leave out --full-only");
    }
    Baseline base = baseline == null ? null : Baseline.read(baseline);
    if (base != null) {
      base.checkSameData(scale, seed);
    }
    String tag = Double.toString(scale).replaceAll("\\.0$", "");
    Path dataDir = data != null ? data : Path.of("target/bench/data-s" + tag + "-seed" + seed);
    Path workDir = work != null ? work : Path.of("target/bench/run-s" + tag);
    Path jsonFile = json != null ? json : workDir.resolve("bench.json");

    SyntheticData.Summary summary = SyntheticData.read(dataDir);
    boolean reused = summary != null && summary.scale() == scale && summary.seed() == seed;
    if (summary != null && !reused) {
      throw Errors.usage(
          dataDir
              + " holds data of scale "
              + summary.scale()
              + " seed "
              + summary.seed()
              + ": pass another --data folder");
    }
    if (incrementalOnly && (!reused || !Files.isDirectory(workDir.resolve("lakehouse")))) {
      throw Errors.usage(
          INCREMENTAL_ONLY
              + " needs the work folder of a bench --full-only on the same data: "
              + (reused ? workDir + " holds no lakehouse" : dataDir + " holds no such data"));
    }
    if (!reused) {
      summary = SyntheticData.generate(dataDir, scale, seed, Path.of("conf/countries.csv"));
    }
    GenerateCommand.print(out, summary, dataDir);
    out.println(reused ? "  (reused)" : "");

    Benchmark.Inputs inputs =
        incrementalOnly ? Benchmark.Inputs.under(workDir) : Benchmark.prepare(dataDir, workDir);
    Map<String, String> overrides = new LinkedHashMap<>(root.sets);
    overrides.put("lakehouse.root", workDir.resolve("lakehouse").toAbsolutePath().toString());
    overrides.put("inputs.tracking", inputs.tracking().toAbsolutePath().toString());
    overrides.put("inputs.surveys", inputs.surveys().toAbsolutePath().toString());
    overrides.put("inputs.programmes", inputs.programmes().toAbsolutePath().toString());
    Path confFile = root.conf != null ? root.conf : dataDir.resolve("pipeline.yaml");
    PipelineConfig config = ConfigLoader.load(confFile, System.getenv(), overrides);

    long t0 = System.nanoTime();
    Session s = Session.open(config);
    double sessionSeconds = (System.nanoTime() - t0) / 1e9;
    JobTimes jobs = new JobTimes();
    s.spark.sparkContext().addSparkListener(jobs);
    JvmSettings jvm = JvmSettings.current();
    out.printf(
        Locale.ROOT,
        "spark session %.1f s; master %s, %d cores, max heap %d MB; class data sharing %s%n",
        sessionSeconds,
        s.spark.sparkContext().master(),
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() / (1024 * 1024),
        jvm.classDataSharing());
    String jvmDifference = base == null ? null : jvm.differenceFrom(base.jvm());
    String freshDifference =
        base == null || fullOnly
            ? null
            : base.incrementalJvmDifference(freshJvm || incrementalOnly);
    if (freshDifference != null) {
      jvmDifference =
          jvmDifference == null ? freshDifference : jvmDifference + "\n" + freshDifference;
    }
    if (jvmDifference != null) {
      out.println(jvmDifference);
    }
    out.println();
    out.printf(
        "%-12s %-22s %-9s %9s %12s %12s %10s %6s %7s %8s %8s %8s %7s%n",
        "phase", "stage", "status", "seconds", "rows in", "rows/s", "heap MB", "jobs", "tasks",
        "classes", "cpu s", "jit s", "gc s");
    List<StageFigure> figures = new ArrayList<>();
    if (!incrementalOnly) {
      figures.addAll(
          Benchmark.phase(
              "full", s.context("bench", false), RunCommand.stages(), jobs, f -> line(out, f)));
    }
    String incrementalJvm = null;
    if (!fullOnly) {
      if (freshJvm) { // the JVM that runs the phase adds the increment
        FreshJvm.Result fresh = incrementalInFreshJvm(dataDir, workDir);
        fresh.figures().forEach(f -> line(out, f));
        figures.addAll(fresh.figures());
        incrementalJvm = Baseline.FRESH + ", class data sharing " + fresh.classDataSharing();
      } else {
        Benchmark.addIncrement(dataDir, inputs);
        figures.addAll(
            Benchmark.phase(
                "incremental",
                s.context("bench", false),
                RunCommand.stages(),
                jobs,
                f -> line(out, f)));
        incrementalJvm =
            incrementalOnly
                ? Baseline.FRESH + ", class data sharing " + jvm.classDataSharing()
                : "same as the full run's";
      }
    }
    double full = Baseline.total(figures, "full");
    double incremental = Baseline.total(figures, "incremental");
    out.println();
    if (!incrementalOnly) {
      out.printf(
          Locale.ROOT, "full run        %8.1f s%s%n", full, Benchmark.timeSpent(figures, "full"));
    }
    if (!fullOnly) {
      out.printf(
          Locale.ROOT,
          "incremental run %8.1f s%s%s%s%n",
          incremental,
          incrementalOnly
              ? ""
              : String.format(Locale.ROOT, " (%.1f %% of the full run)", 100 * incremental / full),
          Benchmark.timeSpent(figures, "incremental"),
          freshJvm || incrementalOnly ? "; in a fresh JVM" : "");
    }

    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("scale", scale);
    doc.put("seed", seed);
    doc.put("data", dataDir.toString());
    doc.put("generated", summary);
    doc.put("dataReused", reused);
    Map<String, Object> machine = new LinkedHashMap<>();
    machine.put("cores", Runtime.getRuntime().availableProcessors());
    machine.put("maxHeapMb", Runtime.getRuntime().maxMemory() / (1024 * 1024));
    machine.put("java", System.getProperty("java.version"));
    machine.put("sparkMaster", s.spark.sparkContext().master());
    machine.put("shufflePartitions", s.spark.conf().get("spark.sql.shuffle.partitions"));
    machine.put("classDataSharing", jvm.classDataSharing());
    machine.put("jvmOptions", jvm.options());
    doc.put("machine", machine);
    if (incrementalJvm != null) {
      doc.put(Baseline.INCREMENTAL_JVM, incrementalJvm);
    }
    doc.put("sparkSessionSeconds", sessionSeconds);
    doc.put("stages", figures);
    if (showJobs) {
      doc.put("sparkJobs", jobs.all());
    }
    if (!incrementalOnly) {
      doc.put("fullSeconds", full);
    }
    if (!fullOnly) {
      doc.put("incrementalSeconds", incremental);
    }
    if (!fullOnly && !incrementalOnly) {
      doc.put("incrementalShareOfFull", incremental / full);
    }
    List<Baseline.Comparison> comparisons = List.of();
    if (base != null) {
      comparisons = base.compare(figures, tolerancePercent / 100);
      Map<String, Object> against = new LinkedHashMap<>();
      against.put("file", base.file().toString());
      against.put("tolerancePercent", tolerancePercent);
      against.put("comparisons", comparisons);
      doc.put("baseline", against);
    }
    Files.createDirectories(jsonFile.toAbsolutePath().getParent());
    new ObjectMapper()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(jsonFile.toFile(), doc);
    out.println("figures written to " + jsonFile);
    if (base != null) {
      printAndCheck(out, base, comparisons, jvmDifference);
    }
    return 0;
  }

  /**
   * The incremental phase run by this command in a JVM of its own ({@link FreshJvm}), on the work
   * folder this JVM has prepared, with the same config, overrides and data.
   */
  private FreshJvm.Result incrementalInFreshJvm(Path dataDir, Path workDir) {
    List<String> args = new ArrayList<>();
    if (root.conf != null) {
      args.addAll(List.of("--conf", root.conf.toAbsolutePath().toString()));
    }
    root.sets.forEach((k, v) -> args.addAll(List.of("--set", k + "=" + v)));
    args.addAll(
        List.of(
            "bench",
            "--scale",
            Double.toString(scale),
            "--seed",
            Long.toString(seed),
            "--data",
            dataDir.toAbsolutePath().toString(),
            "--work",
            workDir.toAbsolutePath().toString(),
            "--json",
            workDir.resolve("incremental-jvm.json").toAbsolutePath().toString(),
            INCREMENTAL_ONLY));
    if (showJobs) {
      args.add("--jobs");
    }
    return FreshJvm.run(
        FreshJvm.command(PipelineCli.class.getName(), args),
        workDir.resolve("incremental-jvm.json"),
        workDir.resolve("incremental-jvm.log"));
  }

  /** Prints the comparison with the baseline and fails on the first stage that got slower. */
  private void printAndCheck(
      PrintWriter out, Baseline base, List<Baseline.Comparison> comparisons, String jvmDifference) {
    out.printf(
        Locale.ROOT,
        "%nagainst %s (tolerance %.0f %%, and at least %.0f s):%n",
        base.file(),
        tolerancePercent,
        Baseline.SLACK_SECONDS);
    out.printf("%-12s %-22s %9s %9s %8s%n", "phase", "stage", "baseline", "seconds", "change");
    for (Baseline.Comparison c : comparisons) {
      out.printf(
          Locale.ROOT,
          "%-12s %-22s %9.1f %9.1f %+7.1f%%%s%n",
          c.phase(),
          c.stage(),
          c.baseline(),
          c.now(),
          c.changePercent(),
          c.slower() ? "  SLOWER" : "");
    }
    if (jvmDifference != null) {
      out.println(jvmDifference);
    }
    out.flush();
    comparisons.stream()
        .filter(Baseline.Comparison::slower)
        .findFirst()
        .ifPresent(
            c -> {
              throw Errors.failed(
                  String.format(
                      Locale.ROOT,
                      "performance regression: %s %s took %.1f s against %.1f s in %s (%+.1f %%,"
                          + " tolerance %.0f %%); see the comparison above",
                      c.phase(),
                      c.stage(),
                      c.now(),
                      c.baseline(),
                      base.file(),
                      c.changePercent(),
                      tolerancePercent),
                  null);
            });
  }

  private Void line(PrintWriter out, StageFigure f) {
    out.printf(
        Locale.ROOT,
        "%-12s %-22s %-9s %9.1f %,12d %,12.0f %10d %6d %7d %8d %8.1f %8.1f %7.1f%n",
        f.phase(),
        f.stage(),
        f.status(),
        f.seconds(),
        f.rowsIn(),
        f.rowsPerSecond(),
        f.peakHeapMb(),
        f.sparkJobs(),
        f.sparkTasks(),
        f.classesCompiled(),
        f.cpuSeconds(),
        f.jitSeconds(),
        f.gcSeconds());
    if (showJobs) {
      for (JobTimes.Job j : f.slowestJobs()) {
        out.printf(
            Locale.ROOT,
            "%14s job %5d %7.1f s %5d tasks  %s%n",
            "",
            j.id(),
            j.seconds(),
            j.tasks(),
            j.callSite());
      }
    }
    out.flush();
    return null;
  }
}
