package org.idsolutions.pipeline.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.idsolutions.pipeline.lakehouse.SparkSessions;

/**
 * The one SparkSession of the test JVM: local[2], 2 shuffle partitions, no UI, Delta enabled, no
 * checkpoints of the Delta logs, and queries evaluated interpreted.
 *
 * <p>The last two are for speed on tiny fixtures. Tables of a few rows and commits gain nothing
 * from a log checkpoint (a Spark job writing Parquet every tenth commit). And a query over a few
 * rows spends its time compiling generated code, not running it: the pipeline itself runs data this
 * small interpreted ({@link org.idsolutions.pipeline.stage.ExecutionMode}). A test of the compiled
 * path opens {@link #compiled()}; {@code ExecutionModeTest} checks that both ways give the same
 * rows.
 */
public final class SparkTestSession {
  private static final Map<String, String> COMPILED =
      Map.of("spark.sql.codegen.wholeStage", "true", "spark.sql.codegen.factoryMode", "FALLBACK");
  private static final Map<String, String> INTERPRETED =
      Map.of(
          "spark.sql.codegen.wholeStage", "false", "spark.sql.codegen.factoryMode", "NO_CODEGEN");

  private static SparkSession spark;

  private SparkTestSession() {}

  public static synchronized SparkSession get() {
    if (spark == null) {
      Path warehouse;
      try {
        warehouse = Files.createTempDirectory("spark-warehouse");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      spark =
          SparkSession.builder()
              .master("local[2]")
              .appName("solutions-pipeline-tests")
              .config("spark.ui.enabled", "false")
              .config("spark.sql.shuffle.partitions", "2")
              .config("spark.default.parallelism", "2")
              .config("spark.sql.session.timeZone", "UTC")
              .config("spark.sql.warehouse.dir", warehouse.toString())
              .config("spark.driver.host", "127.0.0.1")
              .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
              .config(
                  "spark.sql.catalog.spark_catalog",
                  "org.apache.spark.sql.delta.catalog.DeltaCatalog")
              .config("spark.databricks.delta.snapshotPartitions", "2")
              .config("spark.databricks.delta.properties.defaults.checkpointInterval", "1000")
              .config("spark.sql.codegen.cache.maxEntries", "4000")
              .config("spark.sql.icu.caseMappings.enabled", "false")
              .config(
                  "spark.hadoop.fs.file.impl",
                  "org.idsolutions.pipeline.lakehouse.localfs.NoForkLocalFileSystem")
              .config(
                  "spark.hadoop.fs.AbstractFileSystem.file.impl",
                  "org.idsolutions.pipeline.lakehouse.localfs.NoForkLocalFs")
              .getOrCreate();
      spark.sparkContext().setLogLevel("ERROR");
      // runtime settings, not the context's: ExecutionMode takes those as explicit and would
      // leave them alone
      INTERPRETED.forEach(spark.conf()::set);
    }
    return spark;
  }

  /**
   * Queries compile generated code, as Spark's defaults have it, until the returned handle is
   * closed; then they run interpreted again.
   */
  public static SparkSessions.Restore compiled() {
    return SparkSessions.setUntilClosed(get(), COMPILED);
  }
}
