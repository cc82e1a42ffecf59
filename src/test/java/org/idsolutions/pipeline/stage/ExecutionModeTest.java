package org.idsolutions.pipeline.stage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.idsolutions.pipeline.config.PipelineConfig;
import org.idsolutions.pipeline.lakehouse.SparkSessions;
import org.idsolutions.pipeline.support.PlanRecorder;
import org.idsolutions.pipeline.support.SparkTestSession;
import org.idsolutions.pipeline.support.TestConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecutionModeTest {
  @TempDir Path dir;

  /** Inputs of {@code trackingBytes} and {@code lakehouseBytes}, no programmes or surveys. */
  private PipelineConfig config(long trackingBytes, long lakehouseBytes, String... more)
      throws IOException {
    Path tracking = Files.createDirectories(dir.resolve("tracking"));
    Files.write(tracking.resolve("a.csv"), new byte[(int) trackingBytes]);
    Path lakehouse = Files.createDirectories(dir.resolve("lakehouse/conformed/t"));
    Files.write(lakehouse.resolve("part-0.parquet"), new byte[(int) lakehouseBytes]);
    Path surveys = Files.createDirectories(dir.resolve("surveys"));
    String[] keys = {
      "inputs.tracking", tracking.toString(),
      "inputs.programmes", dir.resolve("none").toString(),
      "inputs.surveys", surveys.toString(),
      "lakehouse.root", dir.resolve("lakehouse").toString()
    };
    String[] all = new String[keys.length + more.length];
    System.arraycopy(keys, 0, all, 0, keys.length);
    System.arraycopy(more, 0, all, keys.length, more.length);
    return TestConfig.defaults(all);
  }

  private static String wholeStage(SparkSession spark) {
    return spark.conf().get(ExecutionMode.WHOLE_STAGE);
  }

  @Test
  void measuresTheInputsAndTheLakehouse() throws IOException {
    PipelineConfig c = config(1000, 234);
    var hadoop = SparkTestSession.get().sparkContext().hadoopConfiguration();
    assertThat(ExecutionMode.dataBytes(hadoop, c, 1_000_000)).isEqualTo(1234);
    // counting stops once the limit is passed: the lakehouse is not listed
    assertThat(ExecutionMode.dataBytes(hadoop, c, 500)).isEqualTo(1000);
  }

  @Test
  void smallDataRunsInterpretedUntilTheRunEnds() throws IOException {
    // the test session runs interpreted (SparkTestSession); Spark's default compiles
    try (SparkSessions.Restore session = SparkTestSession.compiled()) {
      SparkSession spark = SparkTestSession.get();
      String before = wholeStage(spark);
      try (SparkSessions.Restore r = ExecutionMode.choose(spark, config(1000, 1000))) {
        assertThat(wholeStage(spark)).isEqualTo("false");
        assertThat(spark.conf().get(ExecutionMode.FACTORY_MODE)).isEqualTo("NO_CODEGEN");
      }
      assertThat(wholeStage(spark)).isEqualTo(before);
    }
  }

  @Test
  void dataAboveTheLimitOrASettingOfZeroOrAnExplicitSparkSettingCompile() throws IOException {
    // the test session runs interpreted (SparkTestSession); Spark's default compiles
    try (SparkSessions.Restore session = SparkTestSession.compiled()) {
      SparkSession spark = SparkTestSession.get();
      String before = wholeStage(spark);
      // each config rewrites the same files, so each is made just before it is used
      try (SparkSessions.Restore r =
          ExecutionMode.choose(
              spark, config(1000, 2 * 1024 * 1024, "spark.interpreted-below-mb", "2"))) {
        assertThat(wholeStage(spark)).isEqualTo(before);
      }
      try (SparkSessions.Restore r =
          ExecutionMode.choose(spark, config(1000, 1000, "spark.interpreted-below-mb", "0"))) {
        assertThat(wholeStage(spark)).isEqualTo(before);
      }
      try (SparkSessions.Restore r =
          ExecutionMode.choose(
              spark, config(1000, 1000, "spark.conf.spark.sql.codegen.wholeStage", "true"))) {
        assertThat(wholeStage(spark)).isEqualTo(before);
      }
    }
  }

  /** Whether a query's plan compiles generated code. */
  static boolean generatesCode(SparkSession spark) {
    return PlanRecorder.compiles(
        spark.range(10).selectExpr("id * 2 AS x").queryExecution().executedPlan().toString());
  }

  @Test
  void aStageWithLittleToDoRunsInterpretedInACommandThatCompiles() throws IOException {
    // the test session runs interpreted (SparkTestSession); Spark's default compiles
    try (SparkSessions.Restore session = SparkTestSession.compiled()) {
      SparkSession spark = SparkTestSession.get();
      long mb = 1024 * 1024;
      PipelineConfig c = config(10, 10, "spark.interpreted-below-mb", "0");
      try (SparkSessions.Restore command = ExecutionMode.choose(spark, c)) {
        assertThat(generatesCode(spark)).isTrue();
        try (SparkSessions.Restore stage = ExecutionMode.forStage(spark, c, "s", 16 * mb - 1)) {
          assertThat(generatesCode(spark)).isFalse();
        }
        assertThat(generatesCode(spark)).isTrue();
        // at the limit (16 MB by default), or work of unknown size: the stage compiles
        for (long bytes : new long[] {16 * mb, -1}) {
          try (SparkSessions.Restore stage = ExecutionMode.forStage(spark, c, "s", bytes)) {
            assertThat(generatesCode(spark)).as("%d bytes", bytes).isTrue();
          }
        }
      }
      PipelineConfig never =
          config(
              10, 10, "spark.interpreted-below-mb", "0", "spark.stage-interpreted-below-mb", "0");
      try (SparkSessions.Restore stage = ExecutionMode.forStage(spark, never, "s", 1)) {
        assertThat(generatesCode(spark)).isTrue();
      }
      // in a command already interpreted, closing the stage's handle keeps it interpreted
      try (SparkSessions.Restore command = ExecutionMode.choose(spark, config(10, 10))) {
        try (SparkSessions.Restore stage = ExecutionMode.forStage(spark, c, "s", 1)) {
          assertThat(generatesCode(spark)).isFalse();
        }
        assertThat(generatesCode(spark)).isFalse();
      }
      assertThat(generatesCode(spark)).isTrue();
    }
  }

  @Test
  void bytesOfSumsFilesAndFoldersAndIsMinusOneForAMissingOrUnreadableLocation() throws IOException {
    PipelineConfig c = config(1000, 234);
    var hadoop = SparkTestSession.get().sparkContext().hadoopConfiguration();
    String file = dir.resolve("tracking/a.csv").toString();
    assertThat(ExecutionMode.bytesOf(hadoop, List.of(file, c.lakehouse().root()))).isEqualTo(1234);
    assertThat(ExecutionMode.bytesOf(hadoop, List.of(file, dir.resolve("missing").toString())))
        .isEqualTo(-1);
    assertThat(ExecutionMode.bytesOf(hadoop, List.of("nosuchscheme://bucket/x.csv"))).isEqualTo(-1);
  }

  /**
   * The local disk under another scheme, standing in for an object store: counts the flat listings
   * it is asked for.
   */
  public static final class FlatListingFileSystem extends RawLocalFileSystem {
    static final AtomicInteger FLAT_LISTINGS = new AtomicInteger();

    @Override
    public URI getUri() {
      return URI.create("flat:///");
    }

    /** The local listing, its paths under this scheme. */
    @Override
    public FileStatus[] listStatus(org.apache.hadoop.fs.Path f) throws IOException {
      FileStatus[] local =
          FileSystem.getLocal(getConf())
              .getRaw()
              .listStatus(new org.apache.hadoop.fs.Path("file", null, f.toUri().getPath()));
      FileStatus[] out = new FileStatus[local.length];
      for (int i = 0; i < local.length; i++) {
        FileStatus l = local[i];
        out[i] =
            new FileStatus(
                l.getLen(),
                l.isDirectory(),
                1,
                l.getBlockSize(),
                l.getModificationTime(),
                new org.apache.hadoop.fs.Path("flat", null, l.getPath().toUri().getPath()));
      }
      return out;
    }

    @Override
    public RemoteIterator<LocatedFileStatus> listFiles(
        org.apache.hadoop.fs.Path f, boolean recursive) throws IOException {
      FLAT_LISTINGS.incrementAndGet();
      return super.listFiles(f, recursive);
    }
  }

  @Test
  void anObjectStoreIsMeasuredInOneFlatListingAndTheLocalDiskByWalkingIt() throws IOException {
    PipelineConfig c = config(1000, 234);
    Configuration hadoop =
        new Configuration(SparkTestSession.get().sparkContext().hadoopConfiguration());
    hadoop.set("fs.flat.impl", FlatListingFileSystem.class.getName());
    hadoop.setBoolean("fs.flat.impl.disable.cache", true);
    int before = FlatListingFileSystem.FLAT_LISTINGS.get();
    String root = "flat://" + Path.of(c.lakehouse().root()).toUri().getPath();
    assertThat(ExecutionMode.bytesOf(hadoop, List.of(root))).isEqualTo(234);
    assertThat(FlatListingFileSystem.FLAT_LISTINGS.get()).isEqualTo(before + 1);
    // the same folder on the local file system: the same size, walked folder by folder
    assertThat(ExecutionMode.bytesOf(hadoop, List.of(c.lakehouse().root()))).isEqualTo(234);
    assertThat(FlatListingFileSystem.FLAT_LISTINGS.get()).isEqualTo(before + 1);
  }

  @Test
  void interpretedAndCompiledQueriesGiveTheSameRows() throws IOException {
    // the test session runs interpreted (SparkTestSession); Spark's default compiles
    try (SparkSessions.Restore session = SparkTestSession.compiled()) {
      SparkSession spark = SparkTestSession.get();
      String query =
          "SELECT k, count(*) n, sum(v) s, max(upper(t)) m, percentile_approx(v, 0.5) p"
              + " FROM (SELECT id % 7 k, id * 1.5 v, concat('x', id % 3) t FROM range(1000))"
              + " GROUP BY k ORDER BY k";
      List<Row> compiled = spark.sql(query).collectAsList();
      List<Row> interpreted;
      try (SparkSessions.Restore r = ExecutionMode.choose(spark, config(10, 10))) {
        assertThat(wholeStage(spark)).isEqualTo("false");
        interpreted = spark.sql(query).collectAsList();
      }
      assertThat(interpreted).hasSize(7).isEqualTo(compiled);
    }
  }
}
