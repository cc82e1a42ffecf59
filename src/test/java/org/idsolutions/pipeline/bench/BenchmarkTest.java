package org.idsolutions.pipeline.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.spark.sql.SparkSession;
import org.idsolutions.pipeline.support.SparkTestSession;
import org.junit.jupiter.api.Test;

class BenchmarkTest {
  @Test
  void aQueryWithNewGeneratedCodeCountsItsClassesAndTheSameQueryAgainCountsNone() {
    SparkSession spark = SparkTestSession.get();
    // a constant no other query of this JVM uses makes the generated code new
    long constant = System.nanoTime();
    String expression = "sum(id * 7919 + " + constant + "L)";

    long before = Benchmark.classesCompiled();
    long first = spark.range(10).selectExpr(expression).first().getLong(0);
    long afterFirst = Benchmark.classesCompiled();
    long second = spark.range(10).selectExpr(expression).first().getLong(0);
    long afterSecond = Benchmark.classesCompiled();

    assertThat(first).isEqualTo(second).isEqualTo(7919L * 45 + 10 * constant);
    assertThat(afterFirst).isGreaterThan(before);
    // the second run finds its classes in Spark's code-generation cache
    assertThat(afterSecond).isEqualTo(afterFirst);
  }
}
