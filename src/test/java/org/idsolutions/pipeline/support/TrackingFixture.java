package org.idsolutions.pipeline.support;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.idsolutions.pipeline.conform.tracking.TrackingRules;
import org.idsolutions.pipeline.raw.TrackingFields;

/**
 * Builds raw.tracking-shaped rows for tests: each record starts from a valid admin 2 row of
 * operation "NE" in Borno (NGA) and a test overrides only what it is about.
 */
public final class TrackingFixture {
  private final List<Map<String, String>> records = new ArrayList<>();
  private String file = "file:/fixture/tracking.json";

  public static TrackingFixture create() {
    return new TrackingFixture();
  }

  public TrackingFixture file(String path) {
    this.file = path;
    return this;
  }

  /**
   * A valid admin 2 record (Maiduguri, round 1, 2024-01-15, 100 IDPs, conflict) with overrides as
   * pairs.
   */
  public TrackingFixture add(String... keyValues) {
    Map<String, String> r = new LinkedHashMap<>();
    r.put("id", String.valueOf(records.size() + 1));
    r.put("operation", "NE");
    r.put("admin0Name", "Nigeria");
    r.put("admin0Pcode", "NGA");
    r.put("admin1Name", "Borno");
    r.put("admin1Pcode", "NG008");
    r.put("admin2Name", "Maiduguri");
    r.put("admin2Pcode", "NG008021");
    r.put("adminLevel", "2");
    r.put("numPresentIdpInd", "100");
    r.put("reportingDate", "2024-01-15");
    r.put("roundNumber", "1");
    r.put("displacementReason", "Conflict");
    r.put("assessmentType", "BA");
    for (int i = 0; i < keyValues.length; i += 2) {
      if (!TrackingFields.ALL.contains(keyValues[i])) {
        throw new IllegalArgumentException("not a DTM field: " + keyValues[i]);
      }
      r.put(keyValues[i], keyValues[i + 1]);
    }
    records.add(r);
    return this;
  }

  public List<Map<String, String>> records() {
    return records;
  }

  /** The records as raw rows (with source_file, row_number, checksum, run id and file_seq 0). */
  public Dataset<Row> toRaw(SparkSession spark) {
    StructType schema = new StructType();
    for (String f : TrackingFields.ALL) {
      schema = schema.add(f, DataTypes.StringType);
    }
    schema =
        schema
            .add("source_file", DataTypes.StringType)
            .add("source_format", DataTypes.StringType)
            .add("row_number", DataTypes.LongType)
            .add("file_checksum", DataTypes.StringType)
            .add("load_run_id", DataTypes.StringType)
            .add("file_seq", DataTypes.IntegerType);
    List<Row> rows = new ArrayList<>();
    long n = 1;
    for (Map<String, String> r : records) {
      Object[] v = new Object[TrackingFields.ALL.size() + 6];
      int i = 0;
      for (String f : TrackingFields.ALL) {
        v[i++] = r.get(f);
      }
      v[i++] = file;
      v[i++] = "json";
      v[i++] = n++;
      v[i++] = "checksum";
      v[i++] = "test-run";
      v[i] = 0;
      rows.add(RowFactory.create(v));
    }
    return spark.createDataFrame(rows, schema);
  }

  /** {@code raw} checked as the ingest checks it, against the fixture's admin units and aliases. */
  public static Dataset<Row> check(SparkSession spark, Dataset<Row> raw) {
    return TrackingRules.check(
        raw, adminUnits(spark), aliases(spark), TestConfig.defaults().tracking());
  }

  /**
   * A small admin reference: Nigeria (Borno, Adamawa) and Chad (Lac), with one name used in two
   * parents.
   */
  public static Dataset<Row> adminUnits(SparkSession spark) {
    StructType schema =
        new StructType()
            .add("country_code", DataTypes.StringType)
            .add("admin_level", DataTypes.IntegerType)
            .add("pcode", DataTypes.StringType)
            .add("name", DataTypes.StringType)
            .add("parent_pcode", DataTypes.StringType)
            .add("valid_from", DataTypes.DateType);
    List<Row> rows =
        List.of(
            unit("NGA", 1, "NG008", "Borno", "NGA"),
            unit("NGA", 1, "NG002", "Adamawa", "NGA"),
            unit("NGA", 2, "NG008021", "Maiduguri", "NG008"),
            unit("NGA", 2, "NG008013", "Jere", "NG008"),
            unit("NGA", 2, "NG008002", "Askira/Uba", "NG008"),
            unit("NGA", 2, "NG008100", "Central", "NG008"), // same name as NG002100, other parent
            unit("NGA", 2, "NG002010", "Madagali", "NG002"),
            unit("NGA", 2, "NG002100", "Central", "NG002"),
            unit("TCD", 1, "TCD07", "Lac", "TCD"),
            unit("TCD", 2, "TCD0701", "Mamdi", "TCD07"),
            unit("TCD", 2, "TCD0704", "Fouli", "TCD07"));
    return spark.createDataFrame(rows, schema);
  }

  private static Row unit(String country, int level, String pcode, String name, String parent) {
    return RowFactory.create(
        country, level, pcode, name, parent, java.sql.Date.valueOf("2020-01-01"));
  }

  /** Aliases: "Yerwa" is Maiduguri. */
  public static Dataset<Row> aliases(SparkSession spark) {
    StructType schema =
        new StructType()
            .add("country_code", DataTypes.StringType)
            .add("admin_level", DataTypes.IntegerType)
            .add("alias", DataTypes.StringType)
            .add("pcode", DataTypes.StringType);
    return spark.createDataFrame(List.of(RowFactory.create("NGA", 2, "Yerwa", "NG008021")), schema);
  }
}
