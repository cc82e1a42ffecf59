package org.idsolutions.pipeline.raw;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.idsolutions.pipeline.lakehouse.Tables;

/**
 * Reads DTM tracking files into the raw.tracking shape: every DTM field as a string, plus the
 * source file, the record's 1-based position in it, the file checksum and the run id. JSON may be
 * the API envelope {@code {"result":[...]}} or a bare array; CSV may carry an HXL tag row after the
 * header.
 */
public final class TrackingReader {
  private TrackingReader() {}

  /**
   * The fields every record is read with: all strings, so nothing is lost to parsing at this layer.
   */
  static StructType recordSchema() {
    StructType s = new StructType();
    for (String f : TrackingFields.ALL) {
      s = s.add(f, DataTypes.StringType);
    }
    return s;
  }

  static StructType jsonFileSchema() {
    StructType s =
        new StructType()
            .add("isSuccess", DataTypes.StringType)
            .add("message", DataTypes.StringType)
            .add("result", DataTypes.createArrayType(recordSchema()));
    for (String f : TrackingFields.ALL) {
      s = s.add(f, DataTypes.StringType);
    }
    return s;
  }

  /**
   * Columns {@link #read} adds beside the raw fields: the API envelope's {@code isSuccess} and
   * {@code message} (null for CSV and bare arrays), so a failed API call is found in the same pass
   * that reads the records.
   */
  public static final String API_SUCCESS = "api_success";

  public static final String API_MESSAGE = "api_message";

  /** One file, as {@link #readAll} reads a batch. */
  public static Dataset<Row> read(SparkSession spark, InputFile file, String runId) {
    return readAll(spark, List.of(file), runId);
  }

  /**
   * A batch of files in as few scans as possible: one for every JSON file, one for each group of
   * CSV files with the same header and HXL row, rather than a plan per file (whose union ships
   * every file's plan with every task). Each row gets its file's path, format, checksum and
   * position in the batch ({@code file_seq}), and its 1-based position in the file.
   */
  public static Dataset<Row> readAll(SparkSession spark, List<InputFile> files, String runId) {
    Map<String, List<InputFile>> groups = new LinkedHashMap<>();
    for (InputFile f : files) {
      String key =
          InputFile.JSON.equals(f.format())
              ? "json"
              : "csv " + f.hxlRow() + " " + f.canonicalColumns();
      groups.computeIfAbsent(key, k -> new ArrayList<>()).add(f);
    }
    Dataset<Row> out = null;
    for (List<InputFile> group : groups.values()) {
      InputFile first = group.get(0);
      String[] paths = group.stream().map(InputFile::path).toArray(String[]::new);
      Dataset<Row> numbered =
          InputFile.JSON.equals(first.format())
              ? JsonRecords.read(spark, paths, TrackingFields.ALL, API_SUCCESS, API_MESSAGE)
              : FileRows.numbered(readCsv(spark, first.canonicalColumns(), paths));
      Dataset<Row> one = describe(numbered, files, group, runId);
      if (first.hxlRow()) {
        one =
            one.where(col("row_number").gt(1)).withColumn("row_number", col("row_number").minus(1));
      }
      out = out == null ? one : out.unionByName(one);
    }
    return out;
  }

  /** The output columns, with each file's attributes looked up by its path. */
  private static Dataset<Row> describe(
      Dataset<Row> numbered, List<InputFile> batch, List<InputFile> group, String runId) {
    Map<String, Function<InputFile, ?>> perFile = new LinkedHashMap<>();
    perFile.put("source_file", InputFile::path);
    perFile.put("source_format", InputFile::format);
    perFile.put("file_checksum", InputFile::checksum);
    perFile.put("file_seq", batch::indexOf);
    List<Column> out = new ArrayList<>();
    for (String f : TrackingFields.ALL) {
      out.add(col(f));
    }
    out.add(col("source_file"));
    out.add(col("source_format"));
    out.add(col("row_number"));
    out.add(col("file_checksum"));
    out.add(lit(runId).as("load_run_id"));
    out.add(col(API_SUCCESS));
    out.add(col(API_MESSAGE));
    out.add(col("file_seq"));
    return FileRows.withFileValues(numbered, group, perFile).select(out.toArray(new Column[0]));
  }

  /**
   * Whether any envelope in the file says the API call failed, with its message. Spark's own JSON
   * reader in FAILFAST mode also refuses a file that is not valid JSON (validate, and naming the
   * file when a batch fails to parse).
   */
  public static String apiFailureMessage(SparkSession spark, InputFile file) {
    if (!InputFile.JSON.equals(file.format())) {
      return null;
    }
    List<Row> failed =
        spark
            .read()
            .schema(jsonFileSchema())
            .option("multiLine", true)
            .option("mode", "FAILFAST")
            .json(file.path())
            .where(col("isSuccess").equalTo("false"))
            .select("message")
            .limit(1)
            .collectAsList();
    if (failed.isEmpty()) {
      return null;
    }
    return failed.get(0).isNullAt(0) ? "no message" : failed.get(0).getString(0);
  }

  private static Dataset<Row> readCsv(
      SparkSession spark, List<String> canonicalColumns, String[] paths) {
    Dataset<Row> df =
        spark
            .read()
            .option("header", true)
            .option("inferSchema", false)
            .option("mode", "PERMISSIVE")
            .option("escape", "\"")
            .csv(paths);
    String[] names = new String[df.columns().length];
    for (int i = 0; i < names.length; i++) {
      String c = i < canonicalColumns.size() ? canonicalColumns.get(i) : null;
      names[i] = c != null ? c : "_extra_" + i;
    }
    df = df.toDF(names);
    List<Column> fields = new ArrayList<>();
    List<String> present = List.of(names);
    for (String f : TrackingFields.ALL) {
      fields.add(present.contains(f) ? col(f) : lit(null).cast(DataTypes.StringType).as(f));
    }
    fields.add(lit(null).cast(DataTypes.StringType).as(API_SUCCESS));
    fields.add(lit(null).cast(DataTypes.StringType).as(API_MESSAGE));
    fields.add(col("_metadata"));
    return df.select(fields.toArray(new Column[0]));
  }

  /** The raw.tracking schema, for building empty frames. */
  public static StructType rawSchema() {
    return Tables.RAW_TRACKING.schema();
  }
}
