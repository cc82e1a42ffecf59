package org.idsolutions.pipeline.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.MessageDigest;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.idsolutions.pipeline.bench.Benchmark.StageFigure;
import org.idsolutions.pipeline.lakehouse.SparkSessions;
import org.idsolutions.pipeline.support.SparkTestSession;
import org.junit.jupiter.api.Test;

class BenchmarkTest {
  @Test
  void aQueryWithNewGeneratedCodeCountsItsClassesAndTheSameQueryAgainCountsNone() {
    SparkSession spark = SparkTestSession.get();
    // a constant no other query of this JVM uses makes the generated code new
    long constant = System.nanoTime();
    String expression = "sum(id * 7919 + " + constant + "L)";

    long before;
    long first;
    long afterFirst;
    long second;
    long afterSecond;
    // the test session runs interpreted (SparkTestSession): code is generated when compiled
    try (SparkSessions.Restore compiled = SparkTestSession.compiled()) {
      before = Benchmark.classesCompiled();
      first = spark.range(10).selectExpr(expression).first().getLong(0);
      afterFirst = Benchmark.classesCompiled();
      second = spark.range(10).selectExpr(expression).first().getLong(0);
      afterSecond = Benchmark.classesCompiled();
    }

    assertThat(first).isEqualTo(second).isEqualTo(7919L * 45 + 10 * constant);
    assertThat(afterFirst).isGreaterThan(before);
    // the second run finds its classes in Spark's code-generation cache
    assertThat(afterSecond).isEqualTo(afterFirst);
  }

  @Test
  void theProcessCpuTimeCoversTheCpuTimeOfAThreadThatHashes() throws Exception {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long threadBefore = threads.getCurrentThreadCpuTime();
    JvmTime before = JvmTime.now();
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    byte[] block = new byte[1 << 16];
    for (int i = 0; i < 2_000; i++) { // about 130 MB: a few hundred ms of CPU
      block[i % block.length] ^= sha.digest(block)[0];
    }
    JvmTime spent = JvmTime.now().since(before);
    long threadNanos = threads.getCurrentThreadCpuTime() - threadBefore;

    assertThat(threadNanos).isGreaterThan(50_000_000L);
    // this thread's CPU time, measured by a second bean, is part of the process's
    assertThat(spent.cpuNanos()).isGreaterThanOrEqualTo(threadNanos * 9 / 10);
    assertThat(spent.cpuSeconds()).isEqualTo(spent.cpuNanos() / 1e9);
    assertThat(spent.jitMillis()).isNotNegative();
    assertThat(spent.gcMillis()).isNotNegative();
  }

  @Test
  void aFigureMissingFromEitherReadingIsMinusOne() {
    JvmTime after = new JvmTime(5_000_000_000L, 700, 40);
    JvmTime spent = after.since(new JvmTime(2_000_000_000L, 200, -1));

    assertThat(spent).isEqualTo(new JvmTime(3_000_000_000L, 500, -1));
    assertThat(spent.cpuSeconds()).isEqualTo(3.0);
    assertThat(spent.jitSeconds()).isEqualTo(0.5);
    assertThat(spent.gcSeconds()).isEqualTo(-1);
  }

  @Test
  void aPhasesTimeIsSummedOverItsStagesOnly() {
    List<StageFigure> figures =
        List.of(
            figure("full", 10.0, 1.5, 0.25),
            figure("full", 2.5, 0.5, 0.25),
            figure("incremental", 100.0, 50.0, 9.0));

    assertThat(Benchmark.timeSpent(figures, "full")).isEqualTo("; cpu 12.5 s, jit 2.0 s, gc 0.5 s");
    assertThat(Benchmark.timeSpent(figures, "incremental"))
        .isEqualTo("; cpu 100.0 s, jit 50.0 s, gc 9.0 s");
    // a JVM that does not measure one of them prints nothing rather than a partial sum
    assertThat(Benchmark.timeSpent(List.of(figures.get(0), figure("full", 1, -1, 0)), "full"))
        .isEmpty();
  }

  private static StageFigure figure(String phase, double cpu, double jit, double gc) {
    return Figures.figure(phase, "stage", 1, cpu, jit, gc);
  }
}
