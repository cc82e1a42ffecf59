package org.idsolutions.pipeline.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * A PostgreSQL database of the test's own: a Testcontainers container where a Docker engine runs,
 * else a new database on the server at 127.0.0.1:5432 (user postgres, trust authentication),
 * dropped on close together with the reader role the test named.
 */
public final class PostgresTarget implements AutoCloseable {
  private static final String LOCAL = "jdbc:postgresql://127.0.0.1:5432/";

  public final String url;
  public final String user;
  public final String password;

  /** A role name of this target's own, for publish.reader-role. */
  public final String readerRole;

  private final PostgreSQLContainer container;
  private final String database;

  private PostgresTarget(
      String url, String user, String password, PostgreSQLContainer container, String database) {
    this.url = url;
    this.user = user;
    this.password = password;
    this.container = container;
    this.database = database;
    this.readerRole = "reader_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  public static PostgresTarget start() {
    if (DockerClientFactory.instance().isDockerAvailable()) {
      PostgreSQLContainer c = new PostgreSQLContainer("postgres:16-alpine");
      c.start();
      return new PostgresTarget(c.getJdbcUrl(), c.getUsername(), c.getPassword(), c, null);
    }
    String database = "publish_test_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection admin = DriverManager.getConnection(LOCAL + "postgres", "postgres", "");
        Statement s = admin.createStatement()) {
      s.execute("CREATE DATABASE " + database);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "no Docker engine and no PostgreSQL server on 127.0.0.1:5432 (user postgres): "
              + e.getMessage(),
          e);
    }
    return new PostgresTarget(LOCAL + database, "postgres", "", null, database);
  }

  /** A connection as the publishing user. */
  public Connection connect() throws SQLException {
    return DriverManager.getConnection(url, user, password);
  }

  /** The CLI settings that point publish here. */
  public String[] settings() {
    return new String[] {
      "--set", "publish.url=" + url,
      "--set", "publish.user=" + user,
      "--set", "publish.password=" + password,
      "--set", "publish.reader-role=" + readerRole
    };
  }

  @Override
  public void close() throws SQLException {
    if (container != null) {
      container.stop();
      return;
    }
    try (Connection admin = DriverManager.getConnection(LOCAL + "postgres", "postgres", "");
        Statement s = admin.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
      s.execute("DROP ROLE IF EXISTS " + readerRole);
    }
  }
}
