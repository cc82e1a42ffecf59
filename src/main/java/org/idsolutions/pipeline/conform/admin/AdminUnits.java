package org.idsolutions.pipeline.conform.admin;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.try_to_date;
import static org.apache.spark.sql.functions.upper;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.idsolutions.pipeline.errors.Errors;

/**
 * Loads the admin-unit reference (DESIGN 3.1: {@code Location, Admin Level, P-Code, Name, Parent
 * P-Code, Valid from date}, optional HXL row) and the optional alias list ({@code country_code,
 * admin_level, alias, pcode}).
 */
public final class AdminUnits {
  static final List<String> REFERENCE_COLUMNS =
      List.of("Location", "Admin Level", "P-Code", "Name", "Parent P-Code", "Valid from date");
  static final List<String> ALIAS_COLUMNS =
      List.of("country_code", "admin_level", "alias", "pcode");

  private AdminUnits() {}

  /** The reference as reference.admin_units rows. */
  public static Dataset<Row> load(SparkSession spark, String path) {
    Dataset<Row> df = readCsv(spark, path, REFERENCE_COLUMNS);
    return df.where(col("Location").isNotNull().and(col("Location").startsWith("#").unary_$bang()))
        .select(
            upper(trim(col("Location"))).as("country_code"),
            trim(col("Admin Level")).cast(DataTypes.IntegerType).as("admin_level"),
            trim(col("P-Code")).as("pcode"),
            trim(col("Name")).as("name"),
            trim(col("Parent P-Code")).as("parent_pcode"),
            try_to_date(trim(col("Valid from date")), "yyyy-MM-dd").as("valid_from"))
        .where(col("pcode").isNotNull().and(col("admin_level").isin(1, 2)));
  }

  /** The alias list: names used in inputs for a unit whose official name differs. */
  public static Dataset<Row> loadAliases(SparkSession spark, String path) {
    if (path == null || path.isBlank()) {
      return spark.createDataFrame(
          List.of(),
          new org.apache.spark.sql.types.StructType()
              .add("country_code", DataTypes.StringType)
              .add("admin_level", DataTypes.IntegerType)
              .add("alias", DataTypes.StringType)
              .add("pcode", DataTypes.StringType));
    }
    return readCsv(spark, path, ALIAS_COLUMNS)
        .select(
            upper(trim(col("country_code"))).as("country_code"),
            trim(col("admin_level")).cast(DataTypes.IntegerType).as("admin_level"),
            trim(col("alias")).as("alias"),
            trim(col("pcode")).as("pcode"));
  }

  private static Dataset<Row> readCsv(SparkSession spark, String path, List<String> required) {
    Dataset<Row> df;
    try {
      df = spark.read().option("header", true).option("inferSchema", false).csv(path);
    } catch (RuntimeException e) {
      throw Errors.referenceInvalid(
          path, "cannot be read (" + Errors.firstLine(e.getMessage()) + ")");
    }
    List<String> columns = new ArrayList<>();
    for (String c : df.columns()) {
      columns.add(c.replace("\uFEFF", "").strip());
    }
    df = df.toDF(columns.toArray(new String[0]));
    List<String> missing = new ArrayList<>(required);
    missing.removeAll(columns);
    if (!missing.isEmpty()) {
      throw Errors.referenceInvalid(
          path, "lacks columns " + missing + " (found " + Arrays.toString(df.columns()) + ")");
    }
    return df;
  }
}
