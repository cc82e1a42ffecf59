package org.idsolutions.pipeline.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * Where a JVM's time went so far, from its management beans: the CPU time of the whole process
 * (task threads, driver, JIT compilers and collector together), the time its JIT compilers spent
 * compiling, and the time its collectors took. The difference of two readings tells where a stage's
 * time went: on 2 cores a stage whose CPU time is near twice its seconds kept both busy, and its
 * JIT time is the share the compilers took of them while the JVM warmed up (docs/performance.md,
 * change 102). A figure the JVM does not measure is -1.
 *
 * @param cpuNanos CPU time of the process
 * @param jitMillis the JIT compilers' accumulated compilation time, summed over their threads (as
 *     the JVM counts it: each compilation's elapsed time)
 * @param gcMillis the collectors' accumulated collection time
 */
public record JvmTime(long cpuNanos, long jitMillis, long gcMillis) {

  /** This JVM's figures now. */
  public static JvmTime now() {
    return new JvmTime(readCpuNanos(), readJitMillis(), readGcMillis());
  }

  /** The time from {@code before} to this reading; -1 where either reading lacks the figure. */
  public JvmTime since(JvmTime before) {
    return new JvmTime(
        minus(cpuNanos, before.cpuNanos),
        minus(jitMillis, before.jitMillis),
        minus(gcMillis, before.gcMillis));
  }

  /** CPU seconds, or -1. */
  public double cpuSeconds() {
    return cpuNanos < 0 ? -1 : cpuNanos / 1e9;
  }

  /** JIT compilation seconds, or -1. */
  public double jitSeconds() {
    return jitMillis < 0 ? -1 : jitMillis / 1e3;
  }

  /** Collection seconds, or -1. */
  public double gcSeconds() {
    return gcMillis < 0 ? -1 : gcMillis / 1e3;
  }

  private static long minus(long after, long before) {
    return after < 0 || before < 0 ? -1 : after - before;
  }

  private static long readCpuNanos() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean hotspot
        ? hotspot.getProcessCpuTime()
        : -1;
  }

  private static long readJitMillis() {
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    return jit != null && jit.isCompilationTimeMonitoringSupported()
        ? jit.getTotalCompilationTime()
        : -1;
  }

  private static long readGcMillis() {
    long sum = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      long t = gc.getCollectionTime();
      if (t < 0) {
        return -1;
      }
      sum += t;
    }
    return sum;
  }
}
