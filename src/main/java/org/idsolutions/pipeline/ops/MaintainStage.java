package org.idsolutions.pipeline.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.Row;
import org.idsolutions.pipeline.errors.Errors;
import org.idsolutions.pipeline.lakehouse.Lakehouse;
import org.idsolutions.pipeline.lakehouse.SparkSessions;
import org.idsolutions.pipeline.lakehouse.TableSpec;
import org.idsolutions.pipeline.lakehouse.Tables;
import org.idsolutions.pipeline.stage.Stage;
import org.idsolutions.pipeline.stage.StageContext;
import org.idsolutions.pipeline.stage.StageResult;

/**
 * Delta housekeeping of the lakehouse's tables (DESIGN 2, {@code maintain}): compaction of small
 * files ({@code OPTIMIZE}) and deletion of the files no version younger than the retention needs
 * ({@code VACUUM}). Neither changes a row: compaction commits files with {@code dataChange=false},
 * which the change data feed and the stages' change detection pass over.
 *
 * <p>Three tables are vacuumed but never compacted, because the incremental stages rely on how
 * their files are cut ({@link #keptInWriteOrder}).
 */
public final class MaintainStage implements Stage {
  public static final String NAME = "maintain";

  /** Delta's default retention of removed files ({@code delta.deletedFileRetentionDuration}). */
  public static final int DEFAULT_RETAIN_HOURS = 168;

  /** Delta's safety check on a retention below its default; off only when the user says so. */
  static final String RETENTION_CHECK = "spark.databricks.delta.retentionDurationCheck.enabled";

  /**
   * Whether the incremental stages cut the table's files on purpose: the tables the lakehouse
   * writes in period order ({@link Lakehouse#periodOrder}: indicator_values and indicator_trends,
   * each group's latest periods in files of their own, so the next run's replaceWhere drops files
   * whole; docs/performance.md, changes 29 and 95), and conformed.tracking_counts, appended a month
   * at a time, so a new month's checks and the tracking indicators' read of the recent years skip
   * older files by their report dates (change 77). Compaction would merge those files and make
   * every later incremental run read or copy the merged rows.
   */
  public static boolean keptInWriteOrder(TableSpec table) {
    return Lakehouse.periodOrder(table) || table.equals(Tables.TRACKING_COUNTS);
  }

  /** Which files a vacuum deletes. */
  public enum Vacuum {
    /** None. */
    NONE,
    /**
     * Those the Delta log says the tables removed before the retention (Delta's {@code LITE} mode:
     * it reads the log instead of listing the table's folder).
     */
    LITE,
    /**
     * Those too, and every other file in a table's folder that no version refers to and that is
     * older than the retention, such as the files of a write killed before its commit ({@code
     * FULL}: lists the folder).
     */
    FULL
  }

  private final int retainHours;
  private final boolean compact;
  private final Vacuum vacuum;
  private final List<TableSpec> tables;

  /**
   * @param retainHours files removed from the tables more than this many hours ago are deleted
   * @param compact whether to compact the tables' small files
   * @param vacuum which files no longer needed to delete
   * @param tables the tables to maintain ({@link Tables#ALL} for every one); those that do not
   *     exist are passed over
   */
  public MaintainStage(int retainHours, boolean compact, Vacuum vacuum, List<TableSpec> tables) {
    this.retainHours = retainHours;
    this.compact = compact;
    this.vacuum = vacuum;
    this.tables = List.copyOf(tables);
  }

  @Override
  public String name() {
    return NAME;
  }

  /**
   * Refuses a retention below Delta's default unless its check is off, before any table is touched:
   * such a vacuum deletes files a running job or a time-travel query may still read.
   */
  public static void checkRetention(StageContext ctx, int retainHours) {
    if (retainHours < 0) {
      throw Errors.usage("--retain-hours " + retainHours + " is negative: give 0 or more hours");
    }
    boolean checked = Boolean.parseBoolean(ctx.spark().conf().get(RETENTION_CHECK, "true").trim());
    if (checked && retainHours < DEFAULT_RETAIN_HOURS) {
      throw Errors.usage(
          "--retain-hours "
              + retainHours
              + " is below Delta's "
              + DEFAULT_RETAIN_HOURS
              + "-hour safety limit: keep at least "
              + DEFAULT_RETAIN_HOURS
              + ", or, when no other job or query uses the lakehouse, add --set spark.conf."
              + RETENTION_CHECK
              + "=false");
    }
  }

  @Override
  public StageResult run(StageContext ctx) {
    if (vacuum != Vacuum.NONE) {
      checkRetention(ctx, retainHours);
    }
    Lakehouse lh = ctx.lakehouse();
    Files before = new Files(0, 0, 0);
    Files after = new Files(0, 0, 0);
    List<TableSpec> done = new ArrayList<>();
    List<String> kept = new ArrayList<>();
    for (TableSpec t : tables) {
      if (!lh.exists(t)) {
        continue;
      }
      before = before.plus(files(lh, t));
      if (compact && !keptInWriteOrder(t)) {
        lh.delta(t).optimize().executeCompaction();
      } else if (compact) {
        kept.add(t.name());
      }
      if (vacuum != Vacuum.NONE) {
        vacuum(lh, t, retainHours, vacuum);
      }
      after = after.plus(files(lh, t));
      done.add(t);
    }
    String message =
        done.size()
            + (done.size() == 1 ? " table: " : " tables: ")
            + before.current()
            + " files in their current versions, "
            + after.current()
            + " after compaction"
            + (!compact
                ? " (off)"
                : kept.isEmpty()
                    ? ""
                    : " (" + String.join(", ", kept) + " kept in their write order)")
            + "; "
            + before.stored()
            + " data files stored ("
            + mb(before.bytes())
            + "), "
            + after.stored()
            + " ("
            + mb(after.bytes())
            + ") after "
            + (vacuum == Vacuum.NONE
                ? "compaction"
                : "deleting those unneeded for " + retainHours + " h (" + vacuum + " vacuum)");
    return new StageResult(NAME, StageResult.SUCCEEDED, 0, 0, 0, lh.versions(done), null, message);
  }

  /**
   * VACUUM in the given mode; a LITE one in FULL mode when the Delta log no longer holds the files
   * to delete (its entries are kept 30 days by default). A FULL vacuum lists with as many tasks as
   * there are cores: Spark's default listing parallelism, 10,000 tasks a table, took 465 s for the
   * data-samples lakehouse's 18 small tables, against 67 s with 2.
   */
  static void vacuum(Lakehouse lh, TableSpec t, int retainHours, Vacuum mode) {
    String table = "delta.`" + lh.path(t).replace("`", "``") + "`";
    String retain = " RETAIN " + retainHours + " HOURS";
    if (mode == Vacuum.LITE) {
      try {
        lh.spark().sql("VACUUM " + table + retain + " LITE");
        return;
      } catch (RuntimeException e) {
        if (!String.valueOf(e.getMessage()).contains("DELTA_CANNOT_VACUUM_LITE")) {
          throw e;
        }
      }
    }
    Map<String, String> listing =
        Map.of(
            "spark.sql.sources.parallelPartitionDiscovery.parallelism",
            "" + lh.spark().sparkContext().defaultParallelism());
    try (SparkSessions.Restore few = SparkSessions.setUntilClosed(lh.spark(), listing)) {
      lh.spark().sql("VACUUM " + table + retain + " FULL");
    }
  }

  /**
   * A table's files: those of its current version, and the data files stored under its folder
   * (current, removed but kept for time travel and the change data feed, change data).
   */
  record Files(long current, long stored, long bytes) {
    Files plus(Files o) {
      return new Files(current + o.current, stored + o.stored, bytes + o.bytes);
    }
  }

  static Files files(Lakehouse lh, TableSpec t) {
    Row detail = lh.delta(t).detail().select("numFiles").first();
    long current = detail.isNullAt(0) ? 0 : detail.getLong(0);
    long stored = 0;
    long bytes = 0;
    try {
      Path root = new Path(lh.path(t));
      FileSystem fs = root.getFileSystem(lh.spark().sparkContext().hadoopConfiguration());
      RemoteIterator<LocatedFileStatus> it = fs.listFiles(root, true);
      while (it.hasNext()) {
        LocatedFileStatus f = it.next();
        String p = f.getPath().toString();
        if (p.contains("/_delta_log/") || !p.endsWith(".parquet")) {
          continue;
        }
        stored++;
        bytes += f.getLen();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + lh.path(t), e);
    }
    return new Files(current, stored, bytes);
  }

  private static String mb(long bytes) {
    return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / 1e6);
  }
}
