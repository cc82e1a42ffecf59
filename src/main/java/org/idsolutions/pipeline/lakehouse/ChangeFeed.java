package org.idsolutions.pipeline.lakehouse;

import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What changed in an input table since a stage's last run, from Delta's change data feed, for
 * stages that recompute only what their inputs' changes reach. A stage's fingerprint is {@code
 * <table>@<version>;settings=<hash>}: the version of the input it last read and a hash of its
 * settings.
 */
public final class ChangeFeed {
  private ChangeFeed() {}

  /**
   * The rows of {@code table} changed after the version in the last fingerprint, up to {@code
   * version} (inserted, deleted and both images of updated rows, with Delta's {@code _change_type}
   * column), reduced by {@code summary} and collected: keep the summary small (one row per country
   * or survey). Null when everything must be recomputed: forced, no last run, other settings, a
   * last version not before this one, or a change feed that cannot be read (not enabled when the
   * table was created, or its files vacuumed).
   */
  public static List<Row> since(
      Lakehouse lh,
      TableSpec table,
      String lastFingerprint,
      String settingsHash,
      long version,
      boolean force,
      UnaryOperator<Dataset<Row>> summary) {
    String prefix = table.name() + "@";
    String suffix = ";settings=" + settingsHash;
    if (force
        || lastFingerprint == null
        || !lastFingerprint.startsWith(prefix)
        || !lastFingerprint.endsWith(suffix)) {
      return null;
    }
    long previous;
    try {
      previous =
          Long.parseLong(
              lastFingerprint.substring(
                  prefix.length(), lastFingerprint.length() - suffix.length()));
    } catch (NumberFormatException e) {
      return null;
    }
    if (previous >= version || previous < 0) {
      return null;
    }
    try {
      return summary.apply(between(lh, table, previous, version)).collectAsList();
    } catch (RuntimeException e) { // DeltaAnalysisException and friends: recompute everything
      return null;
    }
  }

  /**
   * The change rows of {@code table} after version {@code previous} up to {@code version}. Reading
   * them fails (at load or when collected) when the feed was not recorded for the whole range:
   * callers recompute everything then.
   */
  public static Dataset<Row> between(Lakehouse lh, TableSpec table, long previous, long version) {
    return lh.spark()
        .read()
        .format("delta")
        .option("readChangeFeed", "true")
        .option("startingVersion", previous + 1)
        .option("endingVersion", version)
        .load(lh.path(table));
  }
}
