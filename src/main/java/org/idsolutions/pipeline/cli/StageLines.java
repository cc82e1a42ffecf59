package org.idsolutions.pipeline.cli;

import java.io.PrintWriter;
import java.time.Duration;
import org.idsolutions.pipeline.stage.PipelineRunner;
import org.idsolutions.pipeline.stage.StageResult;

/** Prints one line per finished stage: name, status, rows and seconds. */
final class StageLines implements PipelineRunner.Listener {
  private final PrintWriter out;

  StageLines(PrintWriter out) {
    this.out = out;
  }

  @Override
  public void finished(StageResult r, Duration elapsed) {
    out.printf(
        "%-22s %-9s rows in %9d  written %9d  quarantined %7d  %6.1f s  %s%n",
        r.stage(),
        r.status(),
        r.rowsIn(),
        r.rowsWritten(),
        r.rowsQuarantined(),
        elapsed.toMillis() / 1000.0,
        r.message() == null ? "" : r.message());
    out.flush();
  }
}
