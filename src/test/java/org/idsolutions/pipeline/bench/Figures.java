package org.idsolutions.pipeline.bench;

import java.util.List;
import org.idsolutions.pipeline.bench.Benchmark.StageFigure;

/** Stage figures for tests: the fields a test reads, every other count zero. */
final class Figures {
  private Figures() {}

  static StageFigure figure(
      String phase, String stage, double seconds, double cpu, double jit, double gc) {
    return new StageFigure(
        phase, stage, "succeeded", seconds, 0, 0, 0, 0, 0, 0, 0, cpu, jit, gc, List.of());
  }
}
