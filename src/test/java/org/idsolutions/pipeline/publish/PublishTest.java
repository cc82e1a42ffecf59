package org.idsolutions.pipeline.publish;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.from_json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.idsolutions.pipeline.lakehouse.Lakehouse;
import org.idsolutions.pipeline.lakehouse.TableSpec;
import org.idsolutions.pipeline.lakehouse.Tables;
import org.idsolutions.pipeline.support.Cli;
import org.idsolutions.pipeline.support.IndicatorValueRow;
import org.idsolutions.pipeline.support.PostgresTarget;
import org.idsolutions.pipeline.support.SameRows;
import org.idsolutions.pipeline.support.SparkTestSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code publish} against a real PostgreSQL (a container where Docker runs, else the server on
 * 127.0.0.1:5432): the published tables equal the lakehouse's, row for row, read back through a
 * second path (Spark's JDBC reader); the reader role reads and cannot write; a repeated publish is
 * skipped; a failed replacement leaves the published tables as they were.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PublishTest {
  @TempDir static Path dir;
  static PostgresTarget pg;
  static String lakehouse;

  static Row value(
      String family, int level, String code, String indicator, int year, Double v, Object... more) {
    List<Object> cells =
        new ArrayList<>(
            List.of(
                "source_family",
                family,
                "country",
                "NGA",
                "admin_level",
                level,
                "admin_code",
                code,
                "admin_name",
                "Borno's \"north\"",
                "indicator_id",
                indicator,
                "population_group",
                family.equals("survey") ? "idp" : "all"));
    if (v != null) {
      cells.addAll(List.of("value", v));
    }
    cells.addAll(List.of(more));
    return IndicatorValueRow.ofYear(year, cells.toArray());
  }

  static void writeValues(List<Row> rows) {
    IndicatorValueRow.write(lakehouse, rows);
    assertThat(Cli.run("--lakehouse", lakehouse, "trends").exitCode).isZero();
  }

  static List<Row> fixture() {
    List<Row> rows = new ArrayList<>();
    double[] stock = {1200, 1500.5, 900};
    for (int i = 0; i < 3; i++) {
      rows.add(
          value(
              "tracking",
              1,
              "NG008",
              "idp_stock",
              2022 + i,
              stock[i],
              "quality_flags",
              i == 2 ? List.of("stale", "admin2_sum_differs") : List.of()));
      rows.add(value("tracking", 0, "NGA", "idp_stock", 2022 + i, stock[i] * 3));
      // admin 2 series, so that a change to the latest years is a small part of the trend points
      for (int unit = 1; unit <= 3; unit++) {
        rows.add(value("tracking", 2, "NG00800" + unit, "idp_stock", 2022 + i, stock[i] / unit));
      }
    }
    rows.add(
        value(
            "survey",
            1,
            "NG008",
            "exited_composite",
            2024,
            0.42,
            "se",
            0.05,
            "ci_low",
            0.32,
            "ci_high",
            0.52,
            "n",
            120L,
            "survey_round",
            "2024-R1"));
    // too few respondents: published without a value
    rows.add(
        value(
            "survey",
            1,
            "NG008",
            "employed",
            2024,
            null,
            "n",
            4L,
            "suppressed",
            true,
            "survey_round",
            "2024-R1"));
    rows.add(value("programme", 1, "NG008", "budget_usd", 2024, 2.5e6));
    return rows;
  }

  @BeforeAll
  static void lakehouseAndDatabase() {
    lakehouse = dir.resolve("lh").toString();
    writeValues(fixture());
    pg = PostgresTarget.start();
  }

  @AfterAll
  static void dropDatabase() throws SQLException {
    if (pg != null) {
      pg.close();
    }
  }

  static Cli publish(String... more) {
    List<String> args = new ArrayList<>(List.of("--lakehouse", lakehouse));
    args.addAll(List.of(pg.settings()));
    args.add("publish");
    args.addAll(List.of(more));
    return Cli.run(args.toArray(new String[0]));
  }

  /** A published table read back by Spark's JDBC reader, its JSON columns parsed again. */
  static Dataset<Row> published(TableSpec spec) {
    Dataset<Row> df =
        SparkTestSession.get()
            .read()
            .format("jdbc")
            .option("url", pg.url)
            .option("user", pg.user)
            .option("password", pg.password)
            .option("dbtable", "solutions." + spec.name())
            .load();
    List<Column> cols = new ArrayList<>();
    for (StructField f : spec.schema().fields()) {
      cols.add(
          PublishStage.asJson(f)
              ? from_json(col(f.name()), f.dataType()).as(f.name())
              : col(f.name()));
    }
    return df.select(cols.toArray(new Column[0]));
  }

  static List<List<Object>> query(String sql) throws SQLException {
    List<List<Object>> out = new ArrayList<>();
    try (Connection c = pg.connect();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      while (r.next()) {
        List<Object> row = new ArrayList<>();
        for (int i = 1; i <= r.getMetaData().getColumnCount(); i++) {
          row.add(r.getObject(i));
        }
        out.add(row);
      }
    }
    return out;
  }

  /** An analyst's view on a published table, as BI users make them. */
  static void analystView() throws SQLException {
    try (Connection c = pg.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA analyst");
      s.execute(
          "CREATE VIEW analyst.stock AS SELECT * FROM solutions.indicator_values"
              + " WHERE indicator_id = 'idp_stock'");
    }
  }

  static void assertNoStagingSchema() throws SQLException {
    assertThat(query("SELECT count(*) FROM pg_namespace WHERE nspname = 'solutions_staging'"))
        .containsExactly(List.of(0L));
  }

  static Map<String, Long> publishedVersions() throws SQLException {
    Map<String, Long> out = new LinkedHashMap<>();
    for (List<Object> r :
        query("SELECT table_name, delta_version FROM solutions.publication ORDER BY table_name")) {
      out.put((String) r.get(0), (Long) r.get(1));
    }
    return out;
  }

  static long lakehouseRows(String where) {
    return new Lakehouse(SparkTestSession.get(), lakehouse)
        .read(Tables.INDICATOR_VALUES)
        .where(where)
        .count();
  }

  static Map<String, Long> lakehouseVersions() {
    Map<String, Long> out = new java.util.TreeMap<>();
    out.putAll(new Lakehouse(SparkTestSession.get(), lakehouse).versions(PublishStage.TABLES));
    return out;
  }

  @Test
  @Order(1)
  void publishedTablesEqualTheLakehouseTables() throws SQLException {
    Cli run = publish();
    assertThat(run.exitCode).as(run.err).isZero();
    assertThat(run.out).contains("publish", "succeeded", "published 4 tables to schema solutions");

    Lakehouse lh = new Lakehouse(SparkTestSession.get(), lakehouse);
    for (TableSpec spec : PublishStage.TABLES) {
      SameRows.assertSame(published(spec), lh.read(spec), spec.key());
    }
    // the trend series' points: one JSON array of objects per series, nulls kept
    assertThat(
            query(
                "SELECT jsonb_array_length(points), points->0->>'value', points->0 ? 'se'"
                    + " FROM solutions.indicator_trend_series WHERE source_family = 'tracking'"
                    + " AND admin_level = 1"))
        .containsExactly(List.of(3, "1200.0", true));
    // only the gold tables and the publication record, the staging schema gone
    assertThat(
            query(
                "SELECT table_schema || '.' || table_name FROM information_schema.tables"
                    + " WHERE table_schema LIKE 'solutions%' ORDER BY 1"))
        .extracting(r -> r.get(0))
        .containsExactly(
            "solutions.indicator_trend_series",
            "solutions.indicator_trends",
            "solutions.indicator_values",
            "solutions.publication",
            "solutions.regional_summary");
    // the suppressed cell has no value, its respondents' count only
    assertThat(
            query(
                "SELECT value, se, n, suppressed FROM solutions.indicator_values"
                    + " WHERE indicator_id = 'employed'"))
        .containsExactly(java.util.Arrays.asList(null, null, 4L, true));
    // what was published: every table's Delta version and rows
    assertThat(publishedVersions()).isEqualTo(lakehouseVersions());
    assertThat(
            query(
                "SELECT rows FROM solutions.publication"
                    + " WHERE table_name = 'indicators.indicator_values'"))
        .containsExactly(List.of(lakehouseRows("1 = 1")));
    // column comments from the lakehouse catalogue
    assertThat(
            query(
                "SELECT col_description('solutions.indicator_values'::regclass, attnum)"
                    + " FROM pg_attribute WHERE attrelid = 'solutions.indicator_values'::regclass"
                    + " AND attname = 'suppressed'"))
        .containsExactly(
            List.of(Tables.INDICATOR_VALUES.schema().apply("suppressed").getComment().get()));
  }

  @Test
  @Order(2)
  void theReaderRoleReadsAndCannotWrite() throws SQLException {
    try (Connection c = pg.connect();
        Statement s = c.createStatement()) {
      s.execute("SET ROLE " + pg.readerRole);
      try (ResultSet r = s.executeQuery("SELECT count(*) FROM solutions.indicator_values")) {
        r.next();
        assertThat(r.getLong(1)).isEqualTo(lakehouseRows("1 = 1"));
      }
      assertThatThrownBy(() -> s.execute("DELETE FROM solutions.indicator_values"))
          .hasMessageContaining("permission denied");
      assertThatThrownBy(() -> s.execute("CREATE TABLE solutions.mine (x int)"))
          .hasMessageContaining("permission denied");
    }
  }

  @Test
  @Order(3)
  void aRepeatedPublishIsSkippedAndANewVersionIsPublished() throws SQLException {
    Object before = query("SELECT max(published_at) FROM solutions.publication").get(0).get(0);
    Cli again = publish();
    assertThat(again.exitCode).as(again.err).isZero();
    assertThat(again.out).contains("skipped", "already published");
    assertThat(query("SELECT max(published_at) FROM solutions.publication").get(0).get(0))
        .isEqualTo(before);

    List<Row> more = fixture();
    more.add(value("tracking", 1, "NG008", "idp_stock", 2025, 700.0));
    writeValues(more);
    Cli next = publish();
    assertThat(next.exitCode).as(next.err).isZero();
    assertThat(next.out).contains("succeeded");
    assertThat(publishedVersions()).isEqualTo(lakehouseVersions());
    assertThat(query("SELECT count(*) FROM solutions.indicator_values"))
        .containsExactly(List.of(lakehouseRows("1 = 1")));
    assertThat(query("SELECT count(*) FROM solutions.indicator_values WHERE value = 700"))
        .containsExactly(List.of(1L));
  }

  /**
   * Replaces the rows of indicator_values that match {@code where} with {@code rows}, as a stage.
   */
  static void replaceValues(String where, List<Row> rows) {
    Lakehouse lh = new Lakehouse(SparkTestSession.get(), lakehouse);
    lh.overwrite(
        SparkTestSession.get().createDataFrame(rows, Tables.INDICATOR_VALUES.schema()),
        Tables.INDICATOR_VALUES,
        where);
  }

  static void trends() {
    assertThat(Cli.run("--lakehouse", lakehouse, "trends").exitCode).isZero();
  }

  static void assertPublishedAsTheLakehouse() throws SQLException {
    Lakehouse lh = new Lakehouse(SparkTestSession.get(), lakehouse);
    for (TableSpec spec : PublishStage.TABLES) {
      SameRows.assertSame(published(spec), lh.read(spec), spec.key());
    }
    assertThat(publishedVersions()).isEqualTo(lakehouseVersions());
    assertNoStagingSchema();
  }

  @Test
  @Order(4)
  void aLakehouseChangedByItsStagesIsPublishedByItsChanges() throws SQLException {
    analystView();
    // the admin 1 stock from 2024 on recomputed (2024 changed, 2025 gone), the programme rows gone
    replaceValues(
        "source_family = 'tracking' AND admin_level = 1 AND period_start >= DATE'2024-01-01'",
        List.of(value("tracking", 1, "NG008", "idp_stock", 2024, 950.0)));
    replaceValues("source_family = 'programme'", List.of());
    trends();
    Cli changes = publish();
    assertThat(changes.exitCode).as(changes.err).isZero();
    assertThat(changes.out)
        .containsPattern("indicator_values \\d+ of \\d+ rows replaced")
        .containsPattern("indicator_trends \\d+ of \\d+ rows replaced")
        .contains("regional_summary whole");
    assertPublishedAsTheLakehouse();
    assertThat(query("SELECT count(*) FROM solutions.indicator_values WHERE value = 950"))
        .containsExactly(List.of(1L));
    // a view on a table changed in place stays, and reads the new rows
    assertThat(query("SELECT count(*) FROM analyst.stock"))
        .containsExactly(List.of(lakehouseRows("indicator_id = 'idp_stock'")));

    // a published table that is no longer the lakehouse's at its version (a row deleted by hand)
    // is published whole
    try (Connection c = pg.connect();
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA analyst CASCADE");
      s.execute("DELETE FROM solutions.indicator_values WHERE indicator_id = 'employed'");
    }
    replaceValues(
        "source_family = 'tracking' AND admin_level = 1 AND period_start >= DATE'2024-01-01'",
        List.of(value("tracking", 1, "NG008", "idp_stock", 2024, 1000.0)));
    trends();
    Cli mended = publish();
    assertThat(mended.exitCode).as(mended.err).isZero();
    assertThat(mended.out).contains("indicator_values whole");
    assertPublishedAsTheLakehouse();
    assertThat(query("SELECT count(*) FROM solutions.indicator_values WHERE value = 1000"))
        .containsExactly(List.of(1L));
  }

  @Test
  @Order(5)
  void aPublishedVersionVacuumedAwayOrOfAnotherTableIsPublishedWhole() throws SQLException {
    replaceValues(
        "source_family = 'tracking' AND admin_level = 1 AND period_start >= DATE'2024-01-01'",
        List.of(value("tracking", 1, "NG008", "idp_stock", 2024, 1100.0)));
    trends();
    // the files of the published version's rows are gone
    String check = "spark.databricks.delta.retentionDurationCheck.enabled";
    SparkTestSession.get().conf().set(check, "false");
    try {
      new Lakehouse(SparkTestSession.get(), lakehouse).delta(Tables.INDICATOR_VALUES).vacuum(0);
    } finally {
      SparkTestSession.get().conf().unset(check);
    }
    // and a trend table published from another table at the same path (a rebuilt lakehouse)
    try (Connection c = pg.connect();
        Statement s = c.createStatement()) {
      s.execute(
          "UPDATE solutions.publication SET table_id = 'rebuilt'"
              + " WHERE table_name = 'indicators.indicator_trends'");
    }
    Cli run = publish();
    assertThat(run.exitCode).as(run.err).isZero();
    assertThat(run.out).contains("indicator_values whole", "indicator_trends whole");
    assertPublishedAsTheLakehouse();
  }

  @Test
  @Order(6)
  void aFailedReplacementLeavesThePublishedTablesAsTheyWere() throws SQLException {
    Map<String, Long> versions = publishedVersions();
    analystView();
    Cli blocked = publish("--force");
    assertThat(blocked.exitCode).isEqualTo(1);
    assertThat(blocked.err)
        .contains("publish to schema solutions at " + pg.url.split("\\?")[0], "depend");
    assertThat(publishedVersions()).isEqualTo(versions);
    assertThat(query("SELECT count(*) FROM analyst.stock"))
        .containsExactly(List.of(lakehouseRows("indicator_id = 'idp_stock'")));
    assertNoStagingSchema();

    try (Connection c = pg.connect();
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA analyst CASCADE");
    }
    Cli forced = publish("--force");
    assertThat(forced.exitCode).as(forced.err).isZero();
    assertThat(forced.out).contains("succeeded");
  }

  @Test
  @Order(7)
  void aReaderHoldingTheTablesMakesTheSwapGiveUpAfterTheLockTimeout() throws SQLException {
    Map<String, Long> versions = publishedVersions();
    try (Connection reader = pg.connect();
        Statement s = reader.createStatement()) {
      reader.setAutoCommit(false);
      // a BI query inside an open transaction keeps its lock on the table until it ends
      s.executeQuery("SELECT count(*) FROM solutions.indicator_trends").close();
      Cli waiting = publish("--force", "--set", "publish.lock-timeout-seconds=1");
      assertThat(waiting.exitCode).as(waiting.out + waiting.err).isEqualTo(1);
      assertThat(waiting.err).contains("lock timeout");
      reader.rollback();
    }
    assertThat(publishedVersions()).isEqualTo(versions);
    assertNoStagingSchema();
  }

  @Test
  @Order(8)
  void aSchemaNamedLikeAKeywordIsQuoted() throws SQLException {
    Cli run = publish("--set", "publish.schema=order");
    assertThat(run.exitCode).as(run.err).isZero();
    assertThat(query("SELECT count(*) FROM \"order\".indicator_values"))
        .containsExactly(List.of(lakehouseRows("1 = 1")));
  }

  @Test
  @Order(9)
  void refusals() {
    Cli empty =
        Cli.run(
            "--lakehouse",
            dir.resolve("empty").toString(),
            "--set",
            "publish.url=" + pg.url,
            "publish");
    assertThat(empty.exitCode).isEqualTo(2);
    assertThat(empty.err)
        .contains("indicators.indicator_values does not exist yet: run the pipeline");

    Cli down =
        Cli.run(
            "--lakehouse",
            lakehouse,
            "--set",
            "publish.url=jdbc:postgresql://127.0.0.1:1/nowhere",
            "publish");
    assertThat(down.exitCode).isEqualTo(1);
    assertThat(down.err)
        .contains(
            "cannot connect to PostgreSQL at jdbc:postgresql://127.0.0.1:1/nowhere",
            "check publish.url, publish.user and SOLUTIONS_PUBLISH_PASSWORD");

    Cli badSchema = Cli.run("--lakehouse", lakehouse, "--set", "publish.schema=public", "publish");
    assertThat(badSchema.exitCode).isEqualTo(2);
    assertThat(badSchema.err).contains("publish.schema");
    Cli badUrl =
        Cli.run("--lakehouse", lakehouse, "--set", "publish.url=postgres://x/y", "publish");
    assertThat(badUrl.exitCode).isEqualTo(2);
    assertThat(badUrl.err).contains("publish.url", "jdbc:postgresql://");
  }
}
