package org.idsolutions.pipeline.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.spark.metrics.source.CodegenMetrics;
import org.apache.spark.sql.SparkSession;
import org.idsolutions.pipeline.errors.Errors;
import org.idsolutions.pipeline.stage.PipelineRunner;
import org.idsolutions.pipeline.stage.Stage;
import org.idsolutions.pipeline.stage.StageContext;
import org.idsolutions.pipeline.stage.StageResult;

/**
 * Times the pipeline on synthetic data (DESIGN 10): a full run into a fresh lakehouse, then an
 * incremental run after the increment's files (one more month of tracking, one more survey round,
 * new activities) are added to the inputs. Per stage it measures seconds, rows in, rows per second
 * and the peak JVM heap while the stage ran, and where its time went: the process's CPU time, the
 * JIT compilers' and the collectors' ({@link JvmTime}).
 */
public final class Benchmark {
  /** One stage of one phase. */
  public record StageFigure(
      String phase,
      String stage,
      String status,
      double seconds,
      long rowsIn,
      long rowsWritten,
      double rowsPerSecond,
      long peakHeapMb,
      int sparkJobs,
      int sparkTasks,
      long classesCompiled,
      double cpuSeconds,
      double jitSeconds,
      double gcSeconds,
      List<JobTimes.Job> slowestJobs) {}

  /** The input folders a run reads, under the benchmark's work folder. */
  public record Inputs(Path tracking, Path surveys, Path programmes) {
    public static Inputs under(Path work) {
      return new Inputs(
          work.resolve("inputs/tracking"),
          work.resolve("inputs/surveys"),
          work.resolve("inputs/programmes"));
    }
  }

  private Benchmark() {}

  /** Empties the work folder and links the base data's files into its input folders. */
  public static Inputs prepare(Path data, Path work) {
    deleteRecursively(work);
    Inputs in = Inputs.under(work);
    link(data.resolve("base/tracking"), in.tracking());
    link(data.resolve("base/surveys/manifests"), in.surveys());
    link(data.resolve("base/programmes"), in.programmes());
    return in;
  }

  /** Adds the increment's files to the input folders. */
  public static void addIncrement(Path data, Inputs in) {
    link(data.resolve("increment/tracking"), in.tracking());
    link(data.resolve("increment/surveys/manifests"), in.surveys());
    link(data.resolve("increment/programmes"), in.programmes());
  }

  /**
   * Runs the stages once and returns a figure per stage. Each stage is wrapped so that what only
   * the stage's own thread can read (its heap peak, classes compiled and JVM time) is measured
   * around it, for the runner's listener to report.
   */
  public static List<StageFigure> phase(
      String phase,
      StageContext ctx,
      List<Stage> stages,
      JobTimes jobs,
      Function<StageFigure, Void> onFigure) {
    List<StageFigure> figures = new ArrayList<>();
    List<Stage> measured = new ArrayList<>();
    Measured[] last = new Measured[1];
    for (Stage s : stages) {
      measured.add(
          new Stage() {
            @Override
            public String name() {
              return s.name();
            }

            @Override
            public StageResult run(StageContext context) {
              long compiledBefore = classesCompiled();
              JvmTime timeBefore = JvmTime.now();
              try {
                return s.run(context);
              } finally {
                last[0] =
                    new Measured(
                        heapPeakBytes(),
                        classesCompiled() - compiledBefore,
                        JvmTime.now().since(timeBefore));
              }
            }
          });
    }
    PipelineRunner.Listener listener =
        (StageResult r, Duration elapsed) -> {
          double seconds = elapsed.toNanos() / 1e9;
          waitForListeners(ctx.spark());
          List<JobTimes.Job> stageJobs = jobs.drain(r.stage());
          StageFigure f =
              new StageFigure(
                  phase,
                  r.stage(),
                  r.status(),
                  seconds,
                  r.rowsIn(),
                  r.rowsWritten(),
                  seconds > 0 ? r.rowsIn() / seconds : 0,
                  last[0].heapPeakBytes() / (1024 * 1024),
                  stageJobs.size(),
                  stageJobs.stream().mapToInt(JobTimes.Job::tasks).sum(),
                  last[0].classesCompiled(),
                  last[0].time().cpuSeconds(),
                  last[0].time().jitSeconds(),
                  last[0].time().gcSeconds(),
                  JobTimes.slowest(stageJobs, 5));
          figures.add(f);
          onFigure.apply(f);
          resetHeap();
        };
    resetHeap();
    PipelineRunner.run(ctx, measured, listener);
    return figures;
  }

  /** What a wrapped stage measured around its run, read by the listener after it. */
  private record Measured(long heapPeakBytes, long classesCompiled, JvmTime time) {}

  /**
   * Where a phase's time went, summed over its stages: {@code "; cpu .. s, jit .. s, gc .. s"}, or
   * nothing when the JVM does not measure one of them.
   */
  public static String timeSpent(List<StageFigure> figures, String phase) {
    double cpu = 0;
    double jit = 0;
    double gc = 0;
    for (StageFigure f : figures) {
      if (!f.phase().equals(phase)) {
        continue;
      }
      if (f.cpuSeconds() < 0 || f.jitSeconds() < 0 || f.gcSeconds() < 0) {
        return "";
      }
      cpu += f.cpuSeconds();
      jit += f.jitSeconds();
      gc += f.gcSeconds();
    }
    return String.format(Locale.ROOT, "; cpu %.1f s, jit %.1f s, gc %.1f s", cpu, jit, gc);
  }

  /**
   * Collects the garbage and resets the heap peaks, so each stage's peak is its own. It runs
   * between stages, after the runner has taken the previous stage's end time and before it takes
   * the next one's start: the benchmark's own collections (0.1-1 s each) are not counted as a
   * stage's time.
   */
  private static void resetHeap() {
    System.gc();
    resetHeapPeaks();
  }

  /**
   * Lets Spark's listener bus deliver the events posted so far (job ends, query executions) before
   * they are counted; on a timeout the counts may miss the last ones.
   */
  public static void waitForListeners(SparkSession spark) {
    try {
      spark.sparkContext().listenerBus().waitUntilEmpty();
    } catch (java.util.concurrent.TimeoutException | RuntimeException e) {
      // counts may then miss the last jobs of the stage
    }
  }

  /**
   * Generated classes Spark has compiled in this JVM so far: each query's generated code is
   * compiled once and kept in a cache of {@code spark.sql.codegen.cache.maxEntries} classes, so
   * this counts the cache's misses (few where queries run interpreted).
   */
  static long classesCompiled() {
    return CodegenMetrics.METRIC_COMPILATION_TIME().getCount();
  }

  private static void resetHeapPeaks() {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        pool.resetPeakUsage();
      }
    }
  }

  /** The sum of the heap pools' peaks since the last reset (an upper bound of the heap in use). */
  private static long heapPeakBytes() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum;
  }

  private static void link(Path from, Path to) {
    try {
      Files.createDirectories(to);
      if (!Files.isDirectory(from)) {
        throw Errors.usage(from + " does not exist: regenerate the benchmark data");
      }
      try (Stream<Path> files = Files.list(from)) {
        for (Path f : files.sorted().toList()) {
          Path target = to.resolve(f.getFileName());
          try {
            Files.createLink(target, f.toAbsolutePath());
          } catch (FileAlreadyExistsException e) {
            throw Errors.usage(target + " already exists: use a fresh --work folder");
          } catch (IOException | UnsupportedOperationException e) {
            Files.copy(f, target);
          }
        }
      }
    } catch (IOException e) {
      throw Errors.failed("cannot link " + from + " into " + to + ": " + e.getMessage(), e);
    }
  }

  static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw Errors.failed("cannot empty " + dir + ": " + e.getMessage(), e);
    }
  }
}
