package org.idsolutions.pipeline.lakehouse;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.upper;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.idsolutions.pipeline.support.SparkTestSession;
import org.junit.jupiter.api.Test;

class SparkSessionsTest {
  /**
   * A union of two inputs with a projection over it, made anew for each plan; {@code end} tells
   * queries apart (a query like a cached one would read the cache).
   */
  private static Dataset<Row> labelledUnion(SparkSession spark, int end) {
    Dataset<Row> first = spark.range(0, end).toDF("n"); // 0 .. end - 1
    Dataset<Row> second = spark.range(10, 12).toDF("n"); // 10, 11
    return first
        .unionByName(second)
        .withColumn("label", upper(concat(lit("v"), col("n").cast("string"))));
  }

  /** How many times the projection's expression appears in the query's physical plan. */
  private static int copies(Dataset<Row> query) {
    String plan = query.queryExecution().executedPlan().toString();
    return plan.split("upper\\(", -1).length - 1;
  }

  /** The session's excluded optimizer rules, or null when none are set. */
  private static String excludedRules(SparkSession spark) {
    String key = SparkSessions.EXCLUDED_RULES;
    return spark.conf().contains(key) ? spark.conf().get(key) : null;
  }

  @Test
  void projectionsStayAboveTheUnionUntilTheHandleIsClosed() {
    SparkSession spark = SparkTestSession.get();
    String before = excludedRules(spark);
    // by default Spark copies the projection into both inputs of the union
    assertThat(copies(labelledUnion(spark, 3))).isEqualTo(2);

    Dataset<Row> cached;
    try (SparkSessions.Restore once = SparkSessions.projectionsAboveUnions(spark)) {
      assertThat(copies(labelledUnion(spark, 3))).isEqualTo(1);
      cached = labelledUnion(spark, 3).persist();
    }

    // the setting is back as it was, and new queries are planned as before
    assertThat(excludedRules(spark)).isEqualTo(before);
    assertThat(copies(labelledUnion(spark, 4))).isEqualTo(2);
    try {
      // the cache was planned while the handle was open: one copy, computed after it closed
      assertThat(copies(cached)).isEqualTo(1);
      List<String> labels =
          cached.orderBy("n").select("label").as(Encoders.STRING()).collectAsList();
      assertThat(labels).containsExactly("V0", "V1", "V2", "V10", "V11");
    } finally {
      cached.unpersist();
    }
  }
}
