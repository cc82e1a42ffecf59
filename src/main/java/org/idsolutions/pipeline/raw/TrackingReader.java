package org.idsolutions.pipeline.raw;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
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

  public static Dataset<Row> read(SparkSession spark, InputFile file, String runId) {
    Dataset<Row> records =
        InputFile.JSON.equals(file.format()) ? readJson(spark, file) : readCsv(spark, file);
    Dataset<Row> numbered = withRowNumbers(spark, records);
    if (file.hxlRow()) {
      numbered =
          numbered
              .where(col("row_number").gt(1))
              .withColumn("row_number", col("row_number").minus(1));
    }
    List<Column> out = new ArrayList<>();
    for (String f : TrackingFields.ALL) {
      out.add(col(f));
    }
    out.add(lit(file.path()).as("source_file"));
    out.add(lit(file.format()).as("source_format"));
    out.add(col("row_number"));
    out.add(lit(file.checksum()).as("file_checksum"));
    out.add(lit(runId).as("load_run_id"));
    return numbered.select(out.toArray(new Column[0]));
  }

  /**
   * Envelope or bare array, in one pass: an envelope row contributes its result array, a bare row
   * itself.
   */
  private static Dataset<Row> readJson(SparkSession spark, InputFile file) {
    Dataset<Row> df =
        spark
            .read()
            .schema(jsonFileSchema())
            .option("multiLine", true)
            .option("mode", "FAILFAST")
            .json(file.path());
    List<Column> fields = new ArrayList<>();
    for (String f : TrackingFields.ALL) {
      fields.add(col(f));
    }
    Column records =
        when(col("result").isNotNull(), col("result"))
            .otherwise(array(struct(fields.toArray(new Column[0]))));
    return df.select(explode(records).as("r")).select("r.*");
  }

  /** Whether any envelope in the file says the API call failed, with its message. */
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

  private static Dataset<Row> readCsv(SparkSession spark, InputFile file) {
    Dataset<Row> df =
        spark
            .read()
            .option("header", true)
            .option("inferSchema", false)
            .option("mode", "PERMISSIVE")
            .option("escape", "\"")
            .csv(file.path());
    String[] names = new String[df.columns().length];
    for (int i = 0; i < names.length; i++) {
      String c = i < file.canonicalColumns().size() ? file.canonicalColumns().get(i) : null;
      names[i] = c != null ? c : "_extra_" + i;
    }
    df = df.toDF(names);
    List<Column> fields = new ArrayList<>();
    List<String> present = List.of(names);
    for (String f : TrackingFields.ALL) {
      fields.add(present.contains(f) ? col(f) : lit(null).cast(DataTypes.StringType).as(f));
    }
    return df.select(fields.toArray(new Column[0]));
  }

  /** Adds {@code row_number}: the 1-based position of each record in file order. */
  public static Dataset<Row> withRowNumbers(SparkSession spark, Dataset<Row> records) {
    StructType schema = records.schema().add("row_number", DataTypes.LongType, false);
    int width = records.schema().size();
    JavaRDD<Row> rows =
        records
            .javaRDD()
            .zipWithIndex()
            .map(
                t -> {
                  Object[] values = new Object[width + 1];
                  for (int i = 0; i < width; i++) {
                    values[i] = t._1().get(i);
                  }
                  values[width] = t._2() + 1;
                  return RowFactory.create(values);
                });
    return spark.createDataFrame(rows, schema);
  }

  /** The raw.tracking schema, for building empty frames. */
  public static StructType rawSchema() {
    return Tables.RAW_TRACKING.schema();
  }
}
