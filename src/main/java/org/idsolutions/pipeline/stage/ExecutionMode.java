package org.idsolutions.pipeline.stage;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.SparkSession;
import org.idsolutions.pipeline.config.PipelineConfig;
import org.idsolutions.pipeline.config.SurveyConfigs;
import org.idsolutions.pipeline.config.SurveyManifest;
import org.idsolutions.pipeline.lakehouse.SparkSessions;
import org.idsolutions.pipeline.lakehouse.SparkSessions.Restore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses, before a command's stages run, whether Spark generates and compiles Java code for its
 * queries or evaluates them interpreted. Compiling pays off on big data; on a few MB it is most of
 * the work, since every query compiles its own code in a JVM that is still warming up (a run on
 * data-samples took 97 s interpreted against 111-121 s compiled, docs/performance.md, change 38).
 * The data is the input files of the three families plus everything already in the lakehouse; below
 * {@code spark.interpreted-below-mb} the queries run interpreted. In a command that compiles, a
 * stage with little to do can still run interpreted ({@link #forStage}). Both ways give the same
 * results. Explicit {@code spark.sql.codegen.*} settings (in {@code spark.conf} or given to
 * spark-submit) always win.
 */
public final class ExecutionMode {
  static final String WHOLE_STAGE = "spark.sql.codegen.wholeStage";
  static final String FACTORY_MODE = "spark.sql.codegen.factoryMode";
  private static final Logger LOG = LoggerFactory.getLogger(ExecutionMode.class);
  private static final long MB = 1024 * 1024;

  private ExecutionMode() {}

  /** For a command whose settings were left alone: nothing to restore. */
  private static final Restore UNCHANGED = () -> {};

  /**
   * Sets the session's code generation for the data the command works on, until the returned handle
   * is closed (which restores the session's earlier settings).
   */
  public static Restore choose(SparkSession spark, PipelineConfig config) {
    long limitMb = config.spark().interpretedBelowMb();
    if (explicit(spark, config) || limitMb <= 0) {
      return UNCHANGED;
    }
    long limit = limitMb * MB;
    long bytes = dataBytes(spark.sparkContext().hadoopConfiguration(), config, limit);
    boolean interpreted = bytes >= 0 && bytes < limit;
    LOG.info(
        "{} MB of inputs and tables: queries run {}",
        bytes < 0
            ? "unknown"
            : bytes >= limit ? "at least " + limitMb : String.format("%.1f", bytes / (double) MB),
        interpreted ? "interpreted" : "with generated code");
    return interpreted ? interpret(spark) : UNCHANGED;
  }

  /**
   * For one stage of a command that compiles its queries: runs the stage's queries interpreted,
   * until the returned handle is closed, when the data the stage works on ({@code workBytes}: the
   * new files an ingest loads, or the input files of the surveys whose indicators are recomputed)
   * is under {@code spark.stage-interpreted-below-mb}. An incremental run at scale 1 reads a few MB
   * in its three ingests and its survey indicators, where compiling each query costs more than it
   * saves (docs/performance.md, changes 43, 60 and 62). A negative {@code workBytes} (unknown)
   * compiles.
   */
  public static Restore forStage(
      SparkSession spark, PipelineConfig config, String stage, long workBytes) {
    long limitMb = config.spark().stageInterpretedBelowMb();
    if (explicit(spark, config)
        || limitMb <= 0
        || workBytes < 0
        || workBytes >= limitMb * MB
        || "false".equals(spark.conf().get(WHOLE_STAGE, "true"))) {
      return UNCHANGED;
    }
    LOG.info(
        "{}: {} MB to work on, its queries run interpreted",
        stage,
        String.format("%.1f", workBytes / (double) MB));
    return interpret(spark);
  }

  /** True when spark.conf or spark-submit sets the code generation itself. */
  private static boolean explicit(SparkSession spark, PipelineConfig config) {
    for (String key : List.of(WHOLE_STAGE, FACTORY_MODE)) {
      if (config.spark().conf().containsKey(key) || spark.sparkContext().getConf().contains(key)) {
        return true;
      }
    }
    return false;
  }

  /** Turns code generation off, returning the handle that restores the earlier settings. */
  private static Restore interpret(SparkSession spark) {
    return SparkSessions.setUntilClosed(
        spark, Map.of(WHOLE_STAGE, "false", FACTORY_MODE, "NO_CODEGEN"));
  }

  /**
   * Bytes of the inputs and the lakehouse, counted until they pass {@code limit} (so a big
   * lakehouse on object storage is not listed to the end), or -1 when a location cannot be measured
   * (then code is generated, as for big data; the stage itself reports a bad location).
   */
  static long dataBytes(Configuration hadoop, PipelineConfig config, long limit) {
    List<String> paths = new ArrayList<>();
    paths.add(config.inputs().tracking());
    paths.add(config.inputs().programmes());
    try {
      for (SurveyManifest m : SurveyConfigs.manifests(config.inputs().surveys())) {
        paths.add(m.input());
      }
      paths.add(config.lakehouse().root());
      long total = 0;
      for (String p : paths) {
        total += size(hadoop, p, limit - total);
        if (total >= limit) {
          break;
        }
      }
      return total;
    } catch (IOException | RuntimeException e) {
      LOG.debug("cannot measure the data: {}", e.toString());
      return -1;
    }
  }

  /**
   * The bytes of the files at or under these locations, or -1 when one is missing or cannot be
   * measured.
   */
  public static long bytesOf(Configuration hadoop, List<String> locations) {
    try {
      long total = 0;
      for (String location : locations) {
        Path path = new Path(location);
        FileSystem fs = path.getFileSystem(hadoop);
        if (!fs.exists(path)) {
          return -1;
        }
        total += listed(fs, path, Long.MAX_VALUE);
      }
      return total;
    } catch (IOException | RuntimeException e) {
      LOG.debug("cannot measure {}: {}", locations, e.toString());
      return -1;
    }
  }

  /** The bytes of the files under {@code location}, counted until they reach {@code atMost}. */
  private static long size(Configuration hadoop, String location, long atMost) throws IOException {
    if (location == null || location.isBlank()) {
      return 0;
    }
    Path path = new Path(location);
    FileSystem fs = path.getFileSystem(hadoop);
    if (!fs.exists(path)) {
      return 0;
    }
    return listed(fs, path, atMost);
  }

  /**
   * The bytes of the files at or under an existing {@code path}, until they reach {@code atMost}.
   * Object stores list a whole tree in one flat listing ({@code listFiles}); the local file system
   * is walked with {@code listStatus}, because its {@code listFiles} builds a located status per
   * file and, without Hadoop's native library, each of those starts an {@code ls -ld} process for
   * the file's permissions (520 processes in a scale 0.1 bench; docs/performance.md, change 61).
   */
  private static long listed(FileSystem fs, Path path, long atMost) throws IOException {
    long total = 0;
    if (!"file".equals(fs.getUri().getScheme())) {
      RemoteIterator<LocatedFileStatus> files = fs.listFiles(path, true);
      while (files.hasNext() && total < atMost) {
        total += files.next().getLen();
      }
      return total;
    }
    ArrayDeque<Path> todo = new ArrayDeque<>(List.of(path));
    while (!todo.isEmpty() && total < atMost) {
      for (FileStatus f : fs.listStatus(todo.pop())) {
        if (f.isDirectory()) {
          todo.push(f.getPath());
        } else {
          total += f.getLen();
        }
      }
    }
    return total;
  }
}
