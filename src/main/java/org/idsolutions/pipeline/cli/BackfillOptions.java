package org.idsolutions.pipeline.cli;

import org.idsolutions.pipeline.errors.Errors;
import org.idsolutions.pipeline.stage.Backfill;
import picocli.CommandLine.Option;

/** {@code --from/--to}: a backfill's window, for the commands that run indicator stages. */
final class BackfillOptions {
  @Option(
      names = "--from",
      paramLabel = "DATE",
      description =
          "Backfill: also recompute the indicator periods from this date (YYYY, YYYY-MM or"
              + " YYYY-MM-DD), in every country. A changed setting then applies to the window only.")
  String from;

  @Option(
      names = "--to",
      paramLabel = "DATE",
      description =
          "Backfill: also recompute the indicator periods up to this date (YYYY, YYYY-MM or"
              + " YYYY-MM-DD; the last day of a year or month).")
  String to;

  /** The window, or null when neither option is given; refused together with --force. */
  Backfill window(boolean force) {
    Backfill window = Backfill.parse(from, to);
    if (window != null && force) {
      throw Errors.usage(
          "--force recomputes everything: give either --force or --from/--to, not both");
    }
    return window;
  }
}
