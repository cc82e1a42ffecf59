package org.idsolutions.pipeline.publish;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.to_json;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.AtomicType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.idsolutions.pipeline.config.PipelineConfig.PublishSettings;
import org.idsolutions.pipeline.errors.Errors;
import org.idsolutions.pipeline.lakehouse.Lakehouse;
import org.idsolutions.pipeline.lakehouse.TableSpec;
import org.idsolutions.pipeline.lakehouse.Tables;
import org.idsolutions.pipeline.stage.Stage;
import org.idsolutions.pipeline.stage.StageContext;
import org.idsolutions.pipeline.stage.StageResult;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the gold tables ({@code indicators.*}, nothing else: DESIGN 9) to PostgreSQL for BI tools
 * (DESIGN 7, docs/publish.md).
 *
 * <p>Each table is read at one Delta version and written by Spark's JDBC writer into a staging
 * schema ({@code <schema>_staging}) that no reader is granted, where it gets its comments and an
 * index on its key; or, when the Delta log since the published version holds only replaceWhere
 * overwrites, only the rows they can have changed are staged, with the keys of the rows to delete.
 * One transaction then replaces the published tables with the staged ones or applies the staged
 * changes, records what was published in {@code <schema>.publication}, grants the read-only role
 * and drops the staging schema: readers see the old tables or the new ones, never a mix. A publish
 * that fails or is killed before that commit leaves the published tables as they were; the next one
 * drops the staging schema it left.
 */
public final class PublishStage implements Stage {
  private static final Logger LOG = LoggerFactory.getLogger(PublishStage.class);
  public static final String NAME = "publish";

  /** The tables published: every gold table, in catalogue order. */
  public static final List<TableSpec> TABLES =
      Tables.ALL.stream().filter(t -> t.layer().equals("indicators")).toList();

  /** The table in the published schema that says what was published, from where and when. */
  public static final String PUBLICATION = "publication";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public StageResult run(StageContext ctx) {
    PublishSettings target = ctx.config().publish();
    for (TableSpec t : TABLES) {
      if (!ctx.lakehouse().exists(t)) {
        throw Errors.usage(
            t.qualifiedName() + " does not exist yet: run the pipeline before publishing");
      }
    }
    Map<String, Long> versions = ctx.lakehouse().versions(TABLES);
    Map<String, String> ids = new LinkedHashMap<>();
    for (TableSpec t : TABLES) {
      ids.put(t.qualifiedName(), ctx.lakehouse().tableId(t));
    }
    String fingerprint = ctx.lakehouse().root() + " " + versions;
    String where = "schema " + target.schema() + " at " + withoutParameters(target.url());
    try (Connection db = connect(target)) {
      return publish(ctx, db, new Versions(versions, ids), fingerprint, where);
    } catch (SQLException e) {
      throw Errors.failed(
          "publish to " + where + " failed: " + Errors.firstLine(e.getMessage()), e);
    }
  }

  /**
   * The Delta version and table id of each table, by qualified name: a version counts as published
   * only for the table with that id (a lakehouse rebuilt at the same path starts its versions
   * again).
   */
  private record Versions(Map<String, Long> versions, Map<String, String> ids) {}

  private static StageResult publish(
      StageContext ctx, Connection db, Versions current, String fingerprint, String where)
      throws SQLException {
    PublishSettings target = ctx.config().publish();
    Map<String, Long> versions = current.versions();
    Map<String, Long> published = publishedVersions(db, target, ctx.lakehouse().root(), current);
    if (!ctx.force() && versions.equals(published)) {
      return StageResult.skipped(
          NAME, fingerprint, "already published to " + where + ": " + versions);
    }
    try {
      return publishTables(
          ctx, db, current, ctx.force() ? Map.of() : published, fingerprint, where);
    } catch (Mismatch e) {
      // the published table was not the lakehouse's at the version its record gives (changed in
      // PostgreSQL by hand, say): nothing was changed, and whole tables put it right
      LOG.warn("{}; publishing whole tables instead", e.getMessage());
      return publishTables(ctx, db, current, Map.of(), fingerprint, where);
    }
  }

  /** How one table is published. */
  private enum Way {
    /** Copied whole into the staging schema and swapped in. */
    WHOLE,
    /** The rows that changed since the published version replaced in the published table. */
    CHANGES,
    /** At the published version already: left as it is. */
    UNCHANGED
  }

  /** A table's way, its rows in the lakehouse and the rows staged for it. */
  private record Plan(Way way, long rows, long staged) {}

  /** A published table whose rows did not come out as the lakehouse's after its changes. */
  private static final class Mismatch extends RuntimeException {
    Mismatch(String message) {
      super(message);
    }
  }

  private static StageResult publishTables(
      StageContext ctx,
      Connection db,
      Versions current,
      Map<String, Long> published,
      String fingerprint,
      String where)
      throws SQLException {
    PublishSettings target = ctx.config().publish();
    Map<String, Long> versions = current.versions();
    String staging = ident(db, target.schema() + "_staging");
    boolean replaced = false;
    try {
      execute(db, "DROP SCHEMA IF EXISTS " + staging + " CASCADE", "CREATE SCHEMA " + staging);
      Map<TableSpec, Plan> plans = new LinkedHashMap<>();
      for (TableSpec t : TABLES) {
        Long from = published.get(t.qualifiedName());
        plans.put(
            t,
            stageTable(
                ctx,
                db,
                t,
                from != null && sameColumns(db, target.schema(), t) ? from : -1,
                versions.get(t.qualifiedName()),
                staging,
                where));
      }
      replace(db, target, staging, current, plans, ctx);
      replaced = true;
      long read = plans.values().stream().mapToLong(Plan::rows).sum();
      long written = plans.values().stream().mapToLong(Plan::staged).sum();
      return new StageResult(
          NAME,
          StageResult.SUCCEEDED,
          read,
          written,
          0,
          versions,
          fingerprint,
          "published " + TABLES.size() + " tables to " + where + " (" + describe(plans) + ")");
    } finally {
      if (!replaced) {
        dropQuietly(db, staging);
      }
    }
  }

  /** Per table, how it was published, for the stage line. */
  private static String describe(Map<TableSpec, Plan> plans) {
    List<String> out = new ArrayList<>();
    plans.forEach(
        (t, plan) ->
            out.add(
                t.name()
                    + switch (plan.way()) {
                      case WHOLE -> " whole (" + plan.rows() + " rows)";
                      case CHANGES -> " " + plan.staged() + " of " + plan.rows() + " rows replaced";
                      case UNCHANGED -> " unchanged";
                    }));
    return String.join(", ", out);
  }

  /**
   * Stages one table at {@code version}: nothing when the published table is at that version
   * already; the rows its replaceWhere commits since {@code from} can have changed ({@link
   * Lakehouse#replacedSince}), with the keys of those that are gone since, when Delta's log tells
   * them and together they are at most half the table; otherwise the whole table, made ready for
   * the swap.
   *
   * @param from the version published, or -1 for none (or one not to build on)
   */
  private static Plan stageTable(
      StageContext ctx,
      Connection db,
      TableSpec t,
      long from,
      long version,
      String staging,
      String where)
      throws SQLException {
    Lakehouse lh = ctx.lakehouse();
    Dataset<Row> now = lh.readAt(t, version);
    long count = now.count();
    if (from == version) {
      return new Plan(Way.UNCHANGED, count, 0);
    }
    List<Lakehouse.Replacement> commits =
        from >= 0 && from < version ? lh.replacedSince(t, from, version).orElse(null) : null;
    if (commits != null) {
      String region =
          commits.isEmpty()
              ? "false"
              : String.join(" OR ", commits.stream().map(c -> "(" + c.predicate() + ")").toList());
      // counted, compared with the published version's rows and written: read once
      Dataset<Row> changed = now.where(region).persist(StorageLevel.MEMORY_AND_DISK());
      try {
        long rows = changed.count();
        if (rows <= count / 2
            && stageChanges(ctx, db, t, from, region, changed, rows, count, staging, where)) {
          return new Plan(Way.CHANGES, count, rows);
        }
      } finally {
        changed.unpersist();
      }
    }
    return stageWhole(ctx, db, t, now, count, staging, where);
  }

  /**
   * Stages the {@code rows} changed rows in {@code <table>_changed} and the keys of the rows that
   * matched the region at version {@code from} and are gone since in {@code <table>_gone}. False,
   * with nothing staged, when the published version cannot be read (vacuumed away, its log cleaned
   * up) or when the changed and gone rows together are more than half of the table's {@code count}
   * rows.
   */
  private static boolean stageChanges(
      StageContext ctx,
      Connection db,
      TableSpec t,
      long from,
      String region,
      Dataset<Row> changed,
      long rows,
      long count,
      String staging,
      String where)
      throws SQLException {
    Column[] key = t.key().stream().map(functions::col).toArray(Column[]::new);
    Dataset<Row> gone = null;
    try {
      long goneRows;
      try {
        // the staged rows' own keys are deleted too
        gone =
            ctx.lakehouse()
                .readAt(t, from)
                .where(region)
                .select(key)
                .except(changed.select(key))
                .persist(StorageLevel.MEMORY_AND_DISK());
        goneRows = gone.count();
      } catch (Exception e) { // Spark's checked exceptions too
        LOG.warn(
            "cannot read {} at its published version {} ({}): publishing it whole",
            t.qualifiedName(),
            from,
            Errors.firstLine(rootMessage(e)));
        return false;
      }
      if (rows + goneRows > count / 2) {
        return false;
      }
      write(ctx, gone, staging + "." + t.name() + GONE, t, where);
    } finally {
      if (gone != null) {
        gone.unpersist();
      }
    }
    String table = staging + "." + t.name() + CHANGED;
    write(ctx, forPostgres(changed), table, t, where);
    checkCount(db, table, rows, t);
    List<String> ready = new ArrayList<>(jsonColumns(table, t));
    // the planner's row counts for the swap's delete
    ready.add("ANALYZE " + table);
    ready.add("ANALYZE " + staging + "." + t.name() + GONE);
    execute(db, ready.toArray(new String[0]));
    return true;
  }

  /** Suffixes of the staged tables of a table published by its changes. */
  private static final String CHANGED = "_changed";

  private static final String GONE = "_gone";

  private static Plan stageWhole(
      StageContext ctx,
      Connection db,
      TableSpec t,
      Dataset<Row> rows,
      long count,
      String staging,
      String where)
      throws SQLException {
    String table = staging + "." + t.name();
    write(ctx, forPostgres(rows), table, t, where);
    checkCount(db, table, count, t);
    execute(db, prepare(db, table, t).toArray(new String[0]));
    return new Plan(Way.WHOLE, count, count);
  }

  /** Spark's JDBC writer into a new staging table. */
  private static void write(
      StageContext ctx, Dataset<Row> rows, String table, TableSpec t, String where) {
    try {
      rows.write()
          .format("jdbc")
          .mode("append")
          .options(writerOptions(ctx.config().publish(), table, ctx))
          .save();
    } catch (Exception e) { // Spark's checked exceptions too
      throw Errors.failed(
          "publish to "
              + where
              + " failed writing "
              + t.qualifiedName()
              + ": "
              + Errors.firstLine(rootMessage(e))
              + "; the published tables are unchanged",
          e);
    }
  }

  private static void checkCount(Connection db, String table, long expected, TableSpec t)
      throws SQLException {
    long written = countRows(db, table);
    if (written != expected) {
      throw Errors.failed(
          "publishing "
              + t.qualifiedName()
              + " wrote "
              + written
              + " rows to PostgreSQL for "
              + expected
              + " in the lakehouse: nothing was replaced; run publish again",
          null);
    }
  }

  /**
   * Whether the published table has the lakehouse table's columns, in order (an upgrade that added
   * a column publishes the table whole).
   */
  private static boolean sameColumns(Connection db, String schema, TableSpec t)
      throws SQLException {
    List<String> columns = new ArrayList<>();
    try (PreparedStatement q =
        db.prepareStatement(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND"
                + " table_name = ? ORDER BY ordinal_position")) {
      q.setString(1, schema);
      q.setString(2, t.name());
      try (ResultSet r = q.executeQuery()) {
        while (r.next()) {
          columns.add(r.getString(1));
        }
      }
    }
    return columns.equals(List.of(t.schema().fieldNames()));
  }

  /** Best effort after a failure: the next publish drops what is left anyway. */
  private static void dropQuietly(Connection db, String staging) {
    try {
      execute(db, "DROP SCHEMA IF EXISTS " + staging + " CASCADE");
    } catch (SQLException e) {
      LOG.warn("could not drop the staging schema {}: {}", staging, e.getMessage());
    }
  }

  /**
   * The table's columns as PostgreSQL takes them: nested columns other than arrays of plain values
   * (the trend series' points) as JSON text, turned into {@code jsonb} in the staging schema;
   * arrays of plain values become PostgreSQL arrays.
   */
  static Dataset<Row> forPostgres(Dataset<Row> table) {
    List<Column> cols = new ArrayList<>();
    for (StructField f : table.schema().fields()) {
      cols.add(
          asJson(f)
              ? to_json(col(f.name()), Map.of("ignoreNullFields", "false")).as(f.name())
              : col(f.name()));
    }
    return table.select(cols.toArray(new Column[0]));
  }

  static boolean asJson(StructField f) {
    return f.dataType() instanceof StructType
        || f.dataType() instanceof MapType
        || (f.dataType() instanceof ArrayType a && !(a.elementType() instanceof AtomicType));
  }

  private static Map<String, String> writerOptions(
      PublishSettings target, String table, StageContext ctx) {
    Map<String, String> o = new LinkedHashMap<>();
    o.put("url", target.url());
    o.put("driver", "org.postgresql.Driver");
    o.put("dbtable", table);
    o.put("user", target.user());
    if (!target.password().isEmpty()) {
      o.put("password", target.password());
    }
    o.put("batchsize", String.valueOf(target.batchSize()));
    // at most as many connections as cores write at once
    o.put("numPartitions", String.valueOf(ctx.spark().sparkContext().defaultParallelism()));
    // the driver sends a batch as multi-row INSERTs
    o.put("reWriteBatchedInserts", "true");
    return o;
  }

  /**
   * The one transaction readers see: the published tables replaced by the staged ones or changed by
   * their staged changes, their comments, the publication record, the reader role's grants, the
   * staging schema gone.
   */
  private static void replace(
      Connection db,
      PublishSettings target,
      String staging,
      Versions current,
      Map<TableSpec, Plan> plans,
      StageContext ctx)
      throws SQLException {
    String schema = ident(db, target.schema());
    String role = ident(db, target.readerRole());
    db.setAutoCommit(false);
    try {
      // a long BI query holds the swap for this long at most, then the publish fails and changes
      // nothing
      execute(db, "SET LOCAL lock_timeout = '" + target.lockTimeoutSeconds() + "s'");
      // first the tables changed in place, whose row locks readers do not wait for; then the
      // tables replaced whole, locked at once, so that a reader joining two of them cannot
      // deadlock with the swap, and held only for the swap
      for (Map.Entry<TableSpec, Plan> e : plans.entrySet()) {
        if (e.getValue().way() == Way.CHANGES) {
          applyChanges(db, schema, staging, e.getKey(), e.getValue().rows());
        }
      }
      List<String> sql = new ArrayList<>();
      sql.add("CREATE SCHEMA IF NOT EXISTS " + schema);
      List<String> names = new ArrayList<>();
      plans.forEach(
          (t, plan) -> {
            if (plan.way() == Way.WHOLE) {
              names.add(t.name());
            }
          });
      names.add(PUBLICATION);
      List<String> swapped = new ArrayList<>(existing(db, schema));
      swapped.retainAll(names.stream().map(n -> schema + "." + n).toList());
      if (!swapped.isEmpty()) {
        sql.add("LOCK TABLE " + String.join(", ", swapped) + " IN ACCESS EXCLUSIVE MODE");
      }
      sql.add(
          "CREATE TABLE "
              + staging
              + "."
              + PUBLICATION
              + " (table_name text PRIMARY KEY, delta_version bigint NOT NULL, rows bigint NOT"
              + " NULL, lakehouse text NOT NULL, run_id text NOT NULL, published_at timestamptz"
              + " NOT NULL, table_id text NOT NULL)");
      for (String name : names) {
        sql.add("DROP TABLE IF EXISTS " + schema + "." + name);
        sql.add("ALTER TABLE " + staging + "." + name + " SET SCHEMA " + schema);
      }
      execute(db, sql.toArray(new String[0]));
      execute(
          db,
          "COMMENT ON TABLE "
              + schema
              + "."
              + PUBLICATION
              + " IS "
              + literal(
                  db, "What publish copied here: each lakehouse table's Delta version and rows."),
          "DO $$BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = "
              + literal(db, target.readerRole())
              + ") THEN CREATE ROLE "
              + role
              + " NOLOGIN; END IF; END$$",
          "GRANT USAGE ON SCHEMA " + schema + " TO " + role,
          "GRANT SELECT ON ALL TABLES IN SCHEMA " + schema + " TO " + role,
          "DROP SCHEMA " + staging + " CASCADE");
      try (PreparedStatement insert =
          db.prepareStatement(
              "INSERT INTO " + schema + "." + PUBLICATION + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
        Timestamp now = Timestamp.from(Instant.now());
        for (Map.Entry<TableSpec, Plan> e : plans.entrySet()) {
          TableSpec t = e.getKey();
          insert.setString(1, t.qualifiedName());
          insert.setLong(2, current.versions().get(t.qualifiedName()));
          insert.setLong(3, e.getValue().rows());
          insert.setString(4, ctx.lakehouse().root());
          insert.setString(5, ctx.runId());
          insert.setTimestamp(6, now);
          insert.setString(7, current.ids().get(t.qualifiedName()));
          insert.addBatch();
        }
        insert.executeBatch();
      }
      db.commit();
    } catch (SQLException | RuntimeException e) {
      try {
        db.rollback();
        db.setAutoCommit(true);
      } catch (SQLException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
    db.setAutoCommit(true);
  }

  /** The tables of the schema that a publish replaces and that exist, by qualified name. */
  private static List<String> existing(Connection db, String schema) throws SQLException {
    List<String> names = new ArrayList<>();
    for (TableSpec t : TABLES) {
      names.add(schema + "." + t.name());
    }
    names.add(schema + "." + PUBLICATION);
    List<String> found = new ArrayList<>();
    try (PreparedStatement q = db.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
      for (String name : names) {
        q.setString(1, name);
        try (ResultSet r = q.executeQuery()) {
          if (r.next() && r.getBoolean(1)) {
            found.add(name);
          }
        }
      }
    }
    return found;
  }

  /** The innermost cause's message: Spark wraps the driver's error in several layers. */
  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return String.valueOf(root.getMessage());
  }

  /**
   * A staged table made ready before the transaction, so that it holds no lock longer than the
   * swap: its JSON columns turned into {@code jsonb}, the table's and columns' comments (the
   * lakehouse's, as in docs/data-dictionary.md), an index on its key.
   */
  private static List<String> prepare(Connection db, String table, TableSpec spec)
      throws SQLException {
    List<String> sql = new ArrayList<>(jsonColumns(table, spec));
    sql.add("COMMENT ON TABLE " + table + " IS " + literal(db, spec.description()));
    for (StructField f : spec.schema().fields()) {
      String comment = f.getComment().isDefined() ? f.getComment().get() : "";
      sql.add("COMMENT ON COLUMN " + table + "." + f.name() + " IS " + literal(db, comment));
    }
    sql.add("CREATE INDEX ON " + table + " (" + String.join(", ", spec.key()) + ")");
    return sql;
  }

  /** The staged table's JSON text columns turned into {@code jsonb}. */
  private static List<String> jsonColumns(String table, TableSpec spec) {
    List<String> sql = new ArrayList<>();
    for (StructField f : spec.schema().fields()) {
      if (asJson(f)) {
        sql.add(
            "ALTER TABLE "
                + table
                + " ALTER COLUMN "
                + f.name()
                + " TYPE jsonb USING "
                + f.name()
                + "::jsonb");
      }
    }
    return sql;
  }

  /**
   * A published table's changes, in the swap's transaction: the rows of the staged keys (the rows
   * deleted since) and of the staged rows deleted, the staged rows inserted; then the table must
   * hold the lakehouse's number of rows.
   */
  private static void applyChanges(
      Connection db, String schema, String staging, TableSpec t, long rows) throws SQLException {
    String table = schema + "." + t.name();
    List<String> match = new ArrayList<>();
    for (String k : t.key()) {
      String same = "p." + k + " = g." + k;
      match.add(
          t.schema().apply(k).nullable()
              ? "(" + same + " OR (p." + k + " IS NULL AND g." + k + " IS NULL))"
              : same);
    }
    String columns = String.join(", ", t.schema().fieldNames());
    String keys = String.join(", ", t.key());
    String staged = staging + "." + t.name();
    execute(
        db,
        "DELETE FROM "
            + table
            + " AS p USING (SELECT "
            + keys
            + " FROM "
            + staged
            + GONE
            + " UNION ALL SELECT "
            + keys
            + " FROM "
            + staged
            + CHANGED
            + ") AS g WHERE "
            + String.join(" AND ", match),
        "INSERT INTO "
            + table
            + " ("
            + columns
            + ") SELECT "
            + columns
            + " FROM "
            + staging
            + "."
            + t.name()
            + CHANGED);
    long now = countRows(db, table);
    if (now != rows) {
      throw new Mismatch(
          t.qualifiedName()
              + " published by its changes holds "
              + now
              + " rows in PostgreSQL for "
              + rows
              + " in the lakehouse");
    }
  }

  /**
   * The versions a publish of this lakehouse left in the target, of the tables it recorded with
   * their current Delta ids; none from a publish before the ids were recorded.
   */
  private static Map<String, Long> publishedVersions(
      Connection db, PublishSettings target, String lakehouse, Versions current)
      throws SQLException {
    Map<String, Long> published = new LinkedHashMap<>();
    try (PreparedStatement exists =
        db.prepareStatement(
            "SELECT count(*) FROM information_schema.columns WHERE table_schema = ? AND"
                + " table_name = ? AND column_name = 'table_id'")) {
      exists.setString(1, target.schema());
      exists.setString(2, PUBLICATION);
      try (ResultSet r = exists.executeQuery()) {
        if (!r.next() || r.getLong(1) == 0) {
          return published;
        }
      }
    }
    try (PreparedStatement q =
        db.prepareStatement(
            "SELECT table_name, delta_version, table_id FROM "
                + ident(db, target.schema())
                + "."
                + PUBLICATION
                + " WHERE lakehouse = ?")) {
      q.setString(1, lakehouse);
      try (ResultSet r = q.executeQuery()) {
        while (r.next()) {
          if (r.getString(3).equals(current.ids().get(r.getString(1)))) {
            published.put(r.getString(1), r.getLong(2));
          }
        }
      }
    }
    return published;
  }

  /** A connection, or a failure that says which settings to check. */
  static Connection connect(PublishSettings target) {
    Properties p = new Properties();
    p.setProperty("user", target.user());
    if (!target.password().isEmpty()) {
      p.setProperty("password", target.password());
    }
    try {
      return DriverManager.getConnection(target.url(), p);
    } catch (SQLException e) {
      throw Errors.failed(
          "cannot connect to PostgreSQL at "
              + withoutParameters(target.url())
              + " as "
              + target.user()
              + ": "
              + Errors.firstLine(e.getMessage())
              + " (check publish.url, publish.user and SOLUTIONS_PUBLISH_PASSWORD)",
          e);
    }
  }

  private static long countRows(Connection db, String table) throws SQLException {
    try (Statement s = db.createStatement();
        ResultSet r = s.executeQuery("SELECT count(*) FROM " + table)) {
      r.next();
      return r.getLong(1);
    }
  }

  private static void execute(Connection db, String... statements) throws SQLException {
    try (Statement s = db.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    }
  }

  /** A SQL string literal, quoted by the driver for the server's settings. */
  private static String literal(Connection db, String text) throws SQLException {
    return "'" + db.unwrap(PGConnection.class).escapeLiteral(text) + "'";
  }

  /** A quoted SQL name, so that a name such as {@code user} is not read as a keyword. */
  private static String ident(Connection db, String name) throws SQLException {
    return db.unwrap(PGConnection.class).escapeIdentifier(name);
  }

  /** The URL without its query string, which may hold a password. */
  static String withoutParameters(String url) {
    int q = url.indexOf('?');
    return q < 0 ? url : url.substring(0, q);
  }
}
