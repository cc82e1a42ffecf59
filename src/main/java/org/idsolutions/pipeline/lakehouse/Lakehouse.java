package org.idsolutions.pipeline.lakehouse;

import io.delta.tables.DeltaTable;
import io.delta.tables.DeltaTableBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.Snapshot;
import org.apache.spark.sql.delta.actions.Action;
import org.apache.spark.sql.delta.actions.CommitInfo;
import org.apache.spark.sql.functions;
import scala.Option;
import scala.Tuple2;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;

/** The Delta tables under one root folder or URI: {@code <root>/<layer>/<name>}. */
public final class Lakehouse {
  private final SparkSession spark;
  private final String root;

  public Lakehouse(SparkSession spark, String root) {
    this.spark = spark;
    this.root = absolute(root);
  }

  /**
   * A local path made absolute (table identifiers cannot be relative); URIs with a scheme are kept.
   */
  static String absolute(String root) {
    if (root.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*") || root.startsWith("file:")) {
      return root;
    }
    return java.nio.file.Path.of(root).toAbsolutePath().normalize().toString();
  }

  public SparkSession spark() {
    return spark;
  }

  public String root() {
    return root;
  }

  public static String join(String base, String child) {
    return base.endsWith("/") ? base + child : base + "/" + child;
  }

  public String path(TableSpec table) {
    return join(join(root, table.layer()), table.name());
  }

  public boolean exists(TableSpec table) {
    return DeltaTable.isDeltaTable(spark, path(table));
  }

  /** Creates the table with its schema, comments and partitioning when it does not exist yet. */
  public void ensure(TableSpec table) {
    if (exists(table)) {
      return;
    }
    DeltaTableBuilder builder =
        DeltaTable.createIfNotExists(spark)
            .location(path(table))
            .addColumns(table.schema())
            .comment(table.description() + " Grain: " + table.grain() + ".");
    if (!table.partitionBy().isEmpty()) {
      builder = builder.partitionedBy(table.partitionBy().toArray(new String[0]));
    }
    if (table.changeDataFeed()) {
      builder = builder.property("delta.enableChangeDataFeed", "true");
    }
    if (!table.statsColumns().isEmpty()) {
      builder =
          builder.property(
              "delta.dataSkippingStatsColumns", String.join(",", table.statsColumns()));
    }
    builder.execute();
  }

  public void ensure(List<TableSpec> tables) {
    tables.forEach(this::ensure);
  }

  public Dataset<Row> read(TableSpec table) {
    return spark.read().format("delta").load(path(table));
  }

  /** The table as it was at {@code version} (Delta time travel). */
  public Dataset<Row> readAt(TableSpec table, long version) {
    return spark.read().format("delta").option("versionAsOf", version).load(path(table));
  }

  public DeltaTable delta(TableSpec table) {
    return DeltaTable.forPath(spark, path(table));
  }

  /**
   * The rows in at least as many partitions as the session's default parallelism, so that the work
   * on them uses every core: a scan of one small file (one survey round's households, a single
   * Parquet row group) is one partition, and everything computed from it ran in one task
   * (docs/performance.md, change 92). Rows already in that many partitions are returned as they
   * are.
   */
  public static Dataset<Row> overCores(Dataset<Row> rows) {
    int cores = rows.sparkSession().sparkContext().defaultParallelism();
    return rows.javaRDD().getNumPartitions() >= cores ? rows : rows.repartition(cores);
  }

  /**
   * The rows gathered by the table's partition columns (unchanged for an unpartitioned table), so
   * that a write makes one file per partition value it touches instead of one per task and value: a
   * batch read in 27 tasks wrote 639 files of about 30 rows into each of the programme tables at
   * scale 1, and every later read opened them all (docs/performance.md, change 44).
   */
  public static Dataset<Row> byPartitions(Dataset<Row> rows, TableSpec table) {
    if (table.partitionBy().isEmpty()) {
      return rows;
    }
    return rows.repartition(
        table.partitionBy().stream().map(functions::col).toArray(Column[]::new));
  }

  /** Rows per file of the tables in period order (see {@link #overwrite}). */
  static final long PERIOD_FILE_ROWS = 25_000;

  /**
   * The tables whose later writes replace the periods from a date on (replaceWhere on
   * period_start): written in period order, in files of at most {@link #PERIOD_FILE_ROWS} rows
   * (compaction would merge them: {@code MaintainStage} leaves them as written).
   */
  public static boolean periodOrder(TableSpec table) {
    return table.equals(Tables.INDICATOR_VALUES) || table.equals(Tables.INDICATOR_TRENDS);
  }

  /**
   * The order of a period-ordered table's rows in its files: the partition columns, the period
   * type, then period start. Each period type in files of its own: the replaceWhere predicates
   * replace each type from its own date (a year from its start, a month from a later date), and a
   * file that mixed them had its older months copied along with the year it held
   * (docs/performance.md, change 67).
   */
  public static List<String> fileOrder(TableSpec table) {
    List<String> order = new ArrayList<>(table.partitionBy());
    order.add("period_type");
    order.add("period_start");
    return order;
  }

  /**
   * Replaces the table's rows that match {@code replaceWhere} (every row when null) with {@code
   * rows}, in one commit, and returns how many rows were written. The number comes from the
   * commit's metrics, so the rows are computed once, by the write, and need no cache or count of
   * their own; without metrics (spark.databricks.delta.history.metricsEnabled off) the replaced
   * rows are counted back from the table. indicators.indicator_values and indicator_trends are
   * written sorted in their {@link #fileOrder}, at most {@link #PERIOD_FILE_ROWS} rows a file.
   */
  public long overwrite(Dataset<Row> rows, TableSpec table, String replaceWhere) {
    return overwrite(rows, table, replaceWhere, null);
  }

  /**
   * As {@link #overwrite(Dataset, TableSpec, String)}, with the periods the write declares it can
   * change kept in its commit ({@link PeriodsChanged}; none when null).
   */
  public long overwrite(
      Dataset<Row> rows, TableSpec table, String replaceWhere, PeriodsChanged declared) {
    if (!periodOrder(table)) {
      return write(rows, table, replaceWhere, declared);
    }
    // files in period order, of a bounded size: a later replaceWhere on period_start skips the
    // older files by their statistics instead of copying their rows into new files; a union's
    // children in tasks of their own (IndicatorTrends.latestApart)
    rows =
        rows.sortWithinPartitions(
            fileOrder(table).stream().map(functions::col).toArray(Column[]::new));
    try (SparkSessions.Restore apart = SparkSessions.setUntilClosed(spark, UNION_APART)) {
      return write(rows, table, replaceWhere, declared);
    }
  }

  /**
   * The children of a union in tasks of their own, so in files of their own: with the same
   * partitioning, Spark would otherwise join their i-th partitions into one task.
   */
  public static final Map<String, String> UNION_APART =
      Map.of("spark.sql.unionOutputPartitioning", "false");

  /** Partition values a task writes through open files at once (more than there are countries). */
  static final int OPEN_FILES_PER_TASK = 256;

  /**
   * As {@link #overwrite}, without the sort by the partition columns that Spark's writer would add:
   * each task writes its rows as they come, one open file per partition value (up to {@link
   * #OPEN_FILES_PER_TASK}; Spark sorts the rows of any values beyond that). For two kinds of write:
   * rows that each task already holds in the table's {@link #fileOrder} (the tracking indicators
   * sort their wide rows before they become eight long rows each, an order the writer cannot see
   * through the explode; docs/performance.md, change 66), and a table of a few partition values
   * whose files need no order (the trend series, partitioned by family, each row carrying its
   * points; change 89). Not for a table of many small partitions (the regional summary): open files
   * were slower than the sort there.
   */
  public long overwriteInFileOrder(
      Dataset<Row> rows, TableSpec table, String replaceWhere, PeriodsChanged declared) {
    try (SparkSessions.Restore open = SparkSessions.setUntilClosed(spark, IN_FILE_ORDER)) {
      return write(rows, table, replaceWhere, declared);
    }
  }

  /**
   * The settings of {@link #overwriteInFileOrder}: one open file per partition value in each task,
   * and the children of a union apart ({@link #UNION_APART}; TrackingIndicators.fromEnriched writes
   * each country's latest periods apart that way).
   */
  public static final Map<String, String> IN_FILE_ORDER =
      Map.of(
          "spark.sql.maxConcurrentOutputFileWriters",
          "" + OPEN_FILES_PER_TASK,
          "spark.sql.unionOutputPartitioning",
          UNION_APART.get("spark.sql.unionOutputPartitioning"));

  private long write(
      Dataset<Row> rows, TableSpec table, String replaceWhere, PeriodsChanged declared) {
    var writer = rows.write().format("delta").mode("overwrite").option("mergeSchema", "true");
    if (declared != null) {
      writer = writer.option("userMetadata", declared.json());
    }
    if (periodOrder(table)) {
      writer = writer.option("maxRecordsPerFile", PERIOD_FILE_ROWS);
    }
    if (replaceWhere != null) {
      writer = writer.option("replaceWhere", replaceWhere);
    }
    DeltaLog log = DeltaLog.forTable(spark, path(table));
    long before = latest(log).version();
    writer.save(path(table));
    long after = latest(log).version();
    if (before >= 0 && after == before) {
      // nothing written and nothing replaced: Delta records no commit for that
      // (spark.databricks.delta.skipRecordingEmptyCommits), and the latest commit is another's
      return 0;
    }
    Map<String, String> metrics = metrics(log, after);
    String written = metrics.get("numOutputRows");
    if (written != null) {
      // a replaceWhere on data columns rewrites the files it touches: their rows outside the
      // predicate are copied and counted in numOutputRows too
      return Long.parseLong(written) - Long.parseLong(metrics.getOrDefault("numCopiedRows", "0"));
    }
    Dataset<Row> now = read(table);
    return (replaceWhere == null ? now : now.where(replaceWhere)).count();
  }

  /**
   * The operation metrics of the table's latest commit (numOutputRows, numSourceRows, ...); empty
   * when spark.databricks.delta.history.metricsEnabled is off. Read from the commit's entry in the
   * Delta log, without a Spark job ({@code DeltaTable.history} runs one per call; a stage asked for
   * several: docs/performance.md, change 58).
   */
  public Map<String, String> lastMetrics(TableSpec table) {
    DeltaLog log = DeltaLog.forTable(spark, path(table));
    return metrics(log, latest(log).version());
  }

  /** The operation metrics of the commit of {@code version}, read from its entry in the log. */
  private static Map<String, String> metrics(DeltaLog log, long version) {
    scala.collection.Iterator<Tuple2<Object, Seq<Action>>> commits =
        log.getChanges(version, Option.empty(), false);
    while (commits.hasNext()) {
      Tuple2<Object, Seq<Action>> commit = commits.next();
      if (((Number) commit._1()).longValue() != version) {
        continue;
      }
      scala.collection.Iterator<Action> actions = commit._2().iterator();
      while (actions.hasNext()) {
        if (actions.next() instanceof CommitInfo info && info.operationMetrics().isDefined()) {
          return CollectionConverters.asJava(info.operationMetrics().get());
        }
      }
    }
    return Map.of();
  }

  /**
   * A replaceWhere commit: its predicate, its userMetadata (null when none) and the partition
   * values of the files it removed or added (empty maps for an unpartitioned table).
   */
  public record Replacement(
      String predicate, String userMetadata, List<Map<String, String>> partitions) {}

  /**
   * The replaceWhere commits of the table after version {@code after} up to {@code upTo}, from the
   * commits' entries in the Delta log (no Spark job): every row those commits deleted or wrote
   * matches one of their predicates (Delta checks the written rows against the predicate). Empty
   * when a commit in the range changed data otherwise (a full overwrite, an append, a merge, a
   * restore...) or when the log no longer holds every commit of the range (cleaned up after Delta's
   * log retention); commits that change no data (optimize, properties) are passed over.
   */
  public java.util.Optional<List<Replacement>> replacedSince(
      TableSpec table, long after, long upTo) {
    try {
      return replacements(DeltaLog.forTable(spark, path(table)), after, upTo);
    } catch (Exception e) { // a commit's log entry cleaned up: Spark's checked exceptions too
      return java.util.Optional.empty();
    }
  }

  private static java.util.Optional<List<Replacement>> replacements(
      DeltaLog log, long after, long upTo) {
    List<Replacement> replacements = new ArrayList<>();
    // failing, rather than passing over commits whose log entries were cleaned up
    scala.collection.Iterator<Tuple2<Object, Seq<Action>>> commits =
        log.getChanges(after + 1, Option.empty(), true);
    while (commits.hasNext()) {
      Tuple2<Object, Seq<Action>> commit = commits.next();
      if (((Number) commit._1()).longValue() > upTo) {
        break;
      }
      String predicate = null;
      String userMetadata = null;
      java.util.Set<Map<String, String>> partitions = new java.util.LinkedHashSet<>();
      scala.collection.Iterator<Action> actions = commit._2().iterator();
      while (actions.hasNext()) {
        Action a = actions.next();
        if (a instanceof CommitInfo info
            && info.operation().equals("WRITE")
            && "Overwrite".equals(parameter(info, "mode"))) {
          predicate = parameter(info, "predicate");
          userMetadata = info.userMetadata().getOrElse(() -> null);
        } else if (a instanceof org.apache.spark.sql.delta.actions.FileAction f && f.dataChange()) {
          partitions.add(
              f.partitionValues() == null
                  ? null
                  : CollectionConverters.asJava(f.partitionValues()));
        }
      }
      if (!partitions.isEmpty()) {
        if (predicate == null || predicate.isBlank()) {
          return java.util.Optional.empty();
        }
        replacements.add(
            new Replacement(
                predicate,
                userMetadata,
                java.util.Collections.unmodifiableList(new ArrayList<>(partitions))));
      }
    }
    return java.util.Optional.of(replacements);
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  /** A commit's operation parameter (kept JSON-encoded in the log), or null. */
  private static String parameter(CommitInfo info, String name) {
    String json = info.operationParameters().getOrElse(name, () -> null);
    if (json == null) {
      return null;
    }
    try {
      return JSON.readValue(json, String.class);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return null;
    }
  }

  /**
   * The latest committed version, or -1 when the table does not exist: the Delta log's newest
   * snapshot, found by listing the log (no Spark job).
   */
  public long version(TableSpec table) {
    if (!exists(table)) {
      return -1;
    }
    return latest(DeltaLog.forTable(spark, path(table))).version();
  }

  /**
   * The table's Delta id, which a table created again at the same path (a rebuilt lakehouse) does
   * not share; null when the table does not exist.
   */
  public String tableId(TableSpec table) {
    if (!exists(table)) {
      return null;
    }
    return latest(DeltaLog.forTable(spark, path(table))).metadata().id();
  }

  private static Snapshot latest(DeltaLog log) {
    return log.update(false, Option.empty(), Option.empty());
  }

  public Map<String, Long> versions(List<TableSpec> tables) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (TableSpec t : tables) {
      out.put(t.qualifiedName(), version(t));
    }
    return out;
  }

  /**
   * Makes every existing table queryable by its SQL name ({@code indicators.indicator_values}) in
   * this session. A name registered earlier for another lakehouse root is pointed at this one (the
   * catalog entry is dropped, never the data: the tables are external).
   */
  public void registerCatalog() {
    org.apache.spark.sql.catalyst.catalog.SessionCatalog catalog = spark.sessionState().catalog();
    for (TableSpec t : Tables.ALL) {
      if (!exists(t)) {
        continue;
      }
      spark.sql("CREATE DATABASE IF NOT EXISTS " + t.layer());
      org.apache.spark.sql.catalyst.TableIdentifier id =
          new org.apache.spark.sql.catalyst.TableIdentifier(
              t.name(), scala.Option.apply(t.layer()));
      if (catalog.tableExists(id)) {
        if (registeredHere(catalog, id, t)) {
          continue;
        }
        catalog.dropTable(id, true, false);
      }
      spark.sql(
          "CREATE TABLE " + t.qualifiedName() + " USING delta LOCATION " + Sql.literal(path(t)));
    }
  }

  private boolean registeredHere(
      org.apache.spark.sql.catalyst.catalog.SessionCatalog catalog,
      org.apache.spark.sql.catalyst.TableIdentifier id,
      TableSpec t) {
    try {
      String registered = catalog.getTableMetadata(id).location().toString();
      return registered.endsWith(new org.apache.hadoop.fs.Path(path(t)).toUri().getPath());
    } catch (Exception e) { // NoSuchTableException, NoSuchNamespaceException: checked in Scala
      return false;
    }
  }
}
