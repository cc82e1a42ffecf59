package org.idsolutions.pipeline.lakehouse;

import java.util.HashMap;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.idsolutions.pipeline.config.PipelineConfig.SparkSettings;

/**
 * Builds the one SparkSession of a command. Local and cluster runs share this path: under
 * spark-submit the master (and anything else passed with --conf) is already set and wins; the
 * config's master is used only when none is.
 */
public final class SparkSessions {
  private SparkSessions() {}

  /** Restores the session settings it was made for when closed. */
  public interface Restore extends AutoCloseable {
    @Override
    void close();
  }

  static final String EXCLUDED_RULES = "spark.sql.optimizer.excludedRules";

  /** Spark's optimizer rule that copies a projection above a union into each of its inputs. */
  static final String PUSH_PROJECTION_THROUGH_UNION =
      "org.apache.spark.sql.catalyst.optimizer.PushProjectionThroughUnion";

  /**
   * Plans the queries made until the returned handle is closed with their projections kept above a
   * union, instead of copied into each of its inputs. A long list of expressions over a union of
   * scans (the tracking rules over the JSON files and two layouts of CSV files) then compiles to
   * one generated class that every task runs, so the JIT compiles and warms it once, rather than
   * one copy per input warmed only by that input's tasks (docs/performance.md, change 101). The
   * results are the same. A Dataset cached meanwhile keeps the plan it was made with.
   */
  public static Restore projectionsAboveUnions(SparkSession spark) {
    String before = spark.conf().contains(EXCLUDED_RULES) ? spark.conf().get(EXCLUDED_RULES) : "";
    String rules =
        before.isBlank()
            ? PUSH_PROJECTION_THROUGH_UNION
            : before + "," + PUSH_PROJECTION_THROUGH_UNION;
    return setUntilClosed(spark, Map.of(EXCLUDED_RULES, rules));
  }

  /**
   * Sets runtime settings of the session until the returned handle is closed, which puts back each
   * key's earlier value (or unsets it).
   */
  public static Restore setUntilClosed(SparkSession spark, Map<String, String> settings) {
    Map<String, String> before = new HashMap<>();
    for (Map.Entry<String, String> e : settings.entrySet()) {
      // only a value set on the session is put back; a default is left to Spark
      String key = e.getKey();
      before.put(key, spark.conf().contains(key) ? spark.conf().get(key) : null);
      spark.conf().set(e.getKey(), e.getValue());
    }
    return () -> {
      for (Map.Entry<String, String> e : before.entrySet()) {
        if (e.getValue() == null) {
          spark.conf().unset(e.getKey());
        } else {
          spark.conf().set(e.getKey(), e.getValue());
        }
      }
    };
  }

  public static SparkSession create(SparkSettings settings, String lakehouseRoot) {
    SparkConf launched = new SparkConf(); // picks up spark.* system properties set by spark-submit
    SparkSession.Builder builder = SparkSession.builder().appName(settings.appName());
    if (!launched.contains("spark.master")) {
      builder.master(settings.master());
    }
    builder
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config(
            "spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog");
    if (!launched.contains("spark.sql.warehouse.dir")) {
      builder.config(
          "spark.sql.warehouse.dir", Lakehouse.join(Lakehouse.absolute(lakehouseRoot), "_catalog"));
    }
    for (Map.Entry<String, String> e : settings.conf().entrySet()) {
      if (!launched.contains(e.getKey())) {
        builder.config(e.getKey(), e.getValue());
      }
    }
    return builder.getOrCreate();
  }
}
