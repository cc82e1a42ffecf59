package org.idsolutions.pipeline.support;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.QueryExecution;
import org.apache.spark.sql.util.QueryExecutionListener;
import org.idsolutions.pipeline.bench.Benchmark;

/**
 * Records the executed plan of every query a session runs while it is open, so a test can see
 * whether the queries compiled generated code (whole-stage codegen marks operators with "*(n)").
 */
public final class PlanRecorder implements QueryExecutionListener, AutoCloseable {
  private final SparkSession spark;
  private final List<String> plans = Collections.synchronizedList(new ArrayList<>());

  private PlanRecorder(SparkSession spark) {
    this.spark = spark;
  }

  public static PlanRecorder start(SparkSession spark) {
    PlanRecorder r = new PlanRecorder(spark);
    spark.listenerManager().register(r);
    return r;
  }

  @Override
  public void onSuccess(String funcName, QueryExecution qe, long durationNs) {
    plans.add(qe.executedPlan().toString());
  }

  @Override
  public void onFailure(String funcName, QueryExecution qe, Exception exception) {}

  /** The plans recorded so far, once the listener bus has delivered every event. */
  public List<String> plans() {
    Benchmark.waitForListeners(spark);
    synchronized (plans) {
      return List.copyOf(plans);
    }
  }

  /** Whether a plan compiles generated code for some of its operators. */
  public static boolean compiles(String plan) {
    return plan.contains("*(");
  }

  @Override
  public void close() {
    Benchmark.waitForListeners(spark);
    spark.listenerManager().unregister(this);
  }
}
