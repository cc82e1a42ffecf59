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
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.AtomicType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.idsolutions.pipeline.config.PipelineConfig.PublishSettings;
import org.idsolutions.pipeline.errors.Errors;
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
 * index on its key. One transaction then replaces the published tables with the staged ones,
 * records what was published in {@code <schema>.publication}, grants the read-only role and drops
 * the staging schema: readers see the old tables or the new ones, never a mix. A publish that fails
 * or is killed before that commit leaves the published tables as they were; the next one drops the
 * staging schema it left.
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
    String fingerprint = ctx.lakehouse().root() + " " + versions;
    String where = "schema " + target.schema() + " at " + withoutParameters(target.url());
    try (Connection db = connect(target)) {
      return publish(ctx, db, versions, fingerprint, where);
    } catch (SQLException e) {
      throw Errors.failed(
          "publish to " + where + " failed: " + Errors.firstLine(e.getMessage()), e);
    }
  }

  private static StageResult publish(
      StageContext ctx, Connection db, Map<String, Long> versions, String fingerprint, String where)
      throws SQLException {
    PublishSettings target = ctx.config().publish();
    String staging = ident(db, target.schema() + "_staging");
    boolean replaced = false;
    try {
      if (!ctx.force() && versions.equals(publishedVersions(db, target, ctx.lakehouse().root()))) {
        return StageResult.skipped(
            NAME, fingerprint, "already published to " + where + ": " + versions);
      }
      execute(db, "DROP SCHEMA IF EXISTS " + staging + " CASCADE", "CREATE SCHEMA " + staging);
      long read = 0;
      Map<String, Long> rows = new LinkedHashMap<>();
      for (TableSpec t : TABLES) {
        Dataset<Row> df = forPostgres(ctx.lakehouse().readAt(t, versions.get(t.qualifiedName())));
        long count = df.count();
        read += count;
        try {
          df.write()
              .format("jdbc")
              .mode("append")
              .options(writerOptions(target, staging + "." + t.name(), ctx))
              .save();
        } catch (RuntimeException e) {
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
        rows.put(t.qualifiedName(), countRows(db, staging + "." + t.name()));
        if (rows.get(t.qualifiedName()) != count) {
          throw Errors.failed(
              "publishing "
                  + t.qualifiedName()
                  + " wrote "
                  + rows.get(t.qualifiedName())
                  + " rows to PostgreSQL for "
                  + count
                  + " in the lakehouse: nothing was replaced; run publish again",
              null);
        }
        execute(db, prepare(db, staging + "." + t.name(), t).toArray(new String[0]));
      }
      replace(db, target, staging, versions, rows, ctx);
      replaced = true;
      long written = rows.values().stream().mapToLong(Long::longValue).sum();
      return new StageResult(
          NAME,
          StageResult.SUCCEEDED,
          read,
          written,
          0,
          versions,
          fingerprint,
          "published " + TABLES.size() + " tables to " + where);
    } finally {
      if (!replaced) {
        dropQuietly(db, staging);
      }
    }
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
   * The one transaction readers see: the published tables replaced by the staged ones, their
   * comments, the publication record, the reader role's grants, the staging schema gone.
   */
  private static void replace(
      Connection db,
      PublishSettings target,
      String staging,
      Map<String, Long> versions,
      Map<String, Long> rows,
      StageContext ctx)
      throws SQLException {
    String schema = ident(db, target.schema());
    String role = ident(db, target.readerRole());
    db.setAutoCommit(false);
    try {
      List<String> sql = new ArrayList<>();
      // a long BI query holds the swap for this long at most, then the publish fails and changes
      // nothing; all published tables are locked at once, so that a reader joining two of them
      // cannot deadlock with the swap
      sql.add("SET LOCAL lock_timeout = '" + target.lockTimeoutSeconds() + "s'");
      sql.add("CREATE SCHEMA IF NOT EXISTS " + schema);
      List<String> published = existing(db, schema);
      if (!published.isEmpty()) {
        sql.add("LOCK TABLE " + String.join(", ", published) + " IN ACCESS EXCLUSIVE MODE");
      }
      sql.add(
          "CREATE TABLE "
              + staging
              + "."
              + PUBLICATION
              + " (table_name text PRIMARY KEY, delta_version bigint NOT NULL, rows bigint NOT"
              + " NULL, lakehouse text NOT NULL, run_id text NOT NULL, published_at timestamptz"
              + " NOT NULL)");
      List<String> names = new ArrayList<>();
      for (TableSpec t : TABLES) {
        names.add(t.name());
      }
      names.add(PUBLICATION);
      for (String name : names) {
        sql.add("DROP TABLE IF EXISTS " + schema + "." + name);
        sql.add("ALTER TABLE " + staging + "." + name + " SET SCHEMA " + schema);
      }
      sql.add(
          "COMMENT ON TABLE "
              + schema
              + "."
              + PUBLICATION
              + " IS "
              + literal(
                  db, "What publish copied here: each lakehouse table's Delta version and rows."));
      sql.add(
          "DO $$BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = "
              + literal(db, target.readerRole())
              + ") THEN CREATE ROLE "
              + role
              + " NOLOGIN; END IF; END$$");
      sql.add("GRANT USAGE ON SCHEMA " + schema + " TO " + role);
      sql.add("GRANT SELECT ON ALL TABLES IN SCHEMA " + schema + " TO " + role);
      sql.add("DROP SCHEMA " + staging);
      execute(db, sql.toArray(new String[0]));
      try (PreparedStatement insert =
          db.prepareStatement(
              "INSERT INTO " + schema + "." + PUBLICATION + " VALUES (?, ?, ?, ?, ?, ?)")) {
        Timestamp now = Timestamp.from(Instant.now());
        for (TableSpec t : TABLES) {
          insert.setString(1, t.qualifiedName());
          insert.setLong(2, versions.get(t.qualifiedName()));
          insert.setLong(3, rows.get(t.qualifiedName()));
          insert.setString(4, ctx.lakehouse().root());
          insert.setString(5, ctx.runId());
          insert.setTimestamp(6, now);
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
    List<String> sql = new ArrayList<>();
    sql.add("COMMENT ON TABLE " + table + " IS " + literal(db, spec.description()));
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
      String comment = f.getComment().isDefined() ? f.getComment().get() : "";
      sql.add("COMMENT ON COLUMN " + table + "." + f.name() + " IS " + literal(db, comment));
    }
    sql.add("CREATE INDEX ON " + table + " (" + String.join(", ", spec.key()) + ")");
    return sql;
  }

  /** The versions a publish of this lakehouse left in the target, or none. */
  private static Map<String, Long> publishedVersions(
      Connection db, PublishSettings target, String lakehouse) throws SQLException {
    Map<String, Long> published = new LinkedHashMap<>();
    String table = ident(db, target.schema()) + "." + PUBLICATION;
    try (PreparedStatement exists = db.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
      exists.setString(1, table);
      try (ResultSet r = exists.executeQuery()) {
        if (!r.next() || !r.getBoolean(1)) {
          return published;
        }
      }
    }
    try (PreparedStatement q =
        db.prepareStatement(
            "SELECT table_name, delta_version FROM " + table + " WHERE lakehouse = ?")) {
      q.setString(1, lakehouse);
      try (ResultSet r = q.executeQuery()) {
        while (r.next()) {
          published.put(r.getString(1), r.getLong(2));
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
