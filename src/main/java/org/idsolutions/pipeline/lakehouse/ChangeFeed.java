package org.idsolutions.pipeline.lakehouse;

import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What changed in an input table since a stage's last run, from Delta's change data feed or from
 * the replaceWhere predicates of the commits since, for stages that recompute only what their
 * inputs' changes reach. A stage's fingerprint is {@code <table>@<version>;settings=<hash>}: the
 * version of the input it last read and a hash of its settings.
 */
public final class ChangeFeed {
  private ChangeFeed() {}

  /**
   * The rows of {@code table} changed after the version in the last fingerprint, up to {@code
   * version} (inserted, deleted and both images of updated rows, with Delta's {@code _change_type}
   * column), reduced by {@code summary} and collected: keep the summary small (one row per country
   * or survey); empty when the last run read this version. Null when everything must be recomputed:
   * forced, no last run, other settings (a null {@code settingsHash} accepts any: a backfill
   * applies changed settings to its window only), a last version after this one, or a change feed
   * that cannot be read (not enabled when the table was created, or its files vacuumed).
   */
  public static List<Row> since(
      Lakehouse lh,
      TableSpec table,
      String lastFingerprint,
      String settingsHash,
      long version,
      boolean force,
      UnaryOperator<Dataset<Row>> summary) {
    long previous = previousVersion(table, lastFingerprint, settingsHash, version, force);
    if (previous < 0) {
      return null;
    }
    if (previous == version) {
      return List.of();
    }
    try {
      return summary.apply(between(lh, table, previous, version)).collectAsList();
    } catch (RuntimeException e) { // DeltaAnalysisException and friends: recompute everything
      return null;
    }
  }

  /**
   * The replaceWhere commits of {@code table} after the version in the last fingerprint, up to
   * {@code version} ({@link Lakehouse#replacedSince}), or null when everything must be recomputed:
   * forced, no last run, other settings, a last version not before this one, or a commit in between
   * that was not a replaceWhere overwrite.
   */
  public static Replaced replacedSince(
      Lakehouse lh,
      TableSpec table,
      String lastFingerprint,
      String settingsHash,
      long version,
      boolean force) {
    long previous = previousVersion(table, lastFingerprint, settingsHash, version, force);
    if (previous < 0 || previous == version) {
      return null;
    }
    return lh.replacedSince(table, previous, version)
        .map(commits -> new Replaced(previous, version, commits))
        .orElse(null);
  }

  /** The replaceWhere commits after version {@code previous} up to {@code version}. */
  public record Replaced(long previous, long version, List<Lakehouse.Replacement> commits) {
    /**
     * The rows the commits can have changed: those matching their predicates, as they are at {@code
     * version} and as they were at {@code previous} (for the rows deleted since), reduced by {@code
     * summary} and collected. Unlike the change data feed, this needs nothing of the writes, and
     * reads only the files that the predicates can match. Null when a version was vacuumed away:
     * recompute everything then.
     */
    public List<Row> rows(Lakehouse lh, TableSpec table, UnaryOperator<Dataset<Row>> summary) {
      if (commits.isEmpty()) {
        return List.of();
      }
      String replaced =
          commits.stream()
              .map(c -> "(" + c.predicate() + ")")
              .collect(java.util.stream.Collectors.joining(" OR "));
      Dataset<Row> before = lh.readAt(table, previous).where(replaced);
      Dataset<Row> now = lh.readAt(table, version).where(replaced);
      try {
        return summary.apply(now.unionByName(before)).collectAsList();
      } catch (RuntimeException e) { // a version vacuumed away: recompute everything
        return null;
      }
    }
  }

  /**
   * The version in the last fingerprint ({@code <table>@<version>;settings=<hash>}), or -1 when
   * everything must be recomputed: forced, no last run, other settings (any when {@code
   * settingsHash} is null), or a last version after this one.
   */
  private static long previousVersion(
      TableSpec table, String lastFingerprint, String settingsHash, long version, boolean force) {
    String prefix = table.name() + "@";
    String marker = ";settings=";
    if (force || lastFingerprint == null || !lastFingerprint.startsWith(prefix)) {
      return -1;
    }
    int cut = lastFingerprint.indexOf(marker, prefix.length());
    if (cut < 0
        || (settingsHash != null
            && !lastFingerprint.substring(cut + marker.length()).equals(settingsHash))) {
      return -1;
    }
    long previous;
    try {
      previous = Long.parseLong(lastFingerprint.substring(prefix.length(), cut));
    } catch (NumberFormatException e) {
      return -1;
    }
    return previous > version ? -1 : previous;
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
