package org.idsolutions.pipeline.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/** The one SparkSession of the test JVM: local[2], 2 shuffle partitions, no UI, Delta enabled. */
public final class SparkTestSession {
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
    }
    return spark;
  }
}
