package org.idsolutions.pipeline.raw;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.monotonically_increasing_id;
import static org.apache.spark.sql.functions.shiftright;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Many files in one scan: which file a row came from ({@code _file}, from the scan's {@code
 * _metadata}), its position in that file, and per-file values looked up by the file. One scan per
 * format keeps plans and tasks small; a union of one plan per file ships every file's plan with
 * every task.
 */
public final class FileRows {
  /** The column with the row's file, as a URI string. */
  public static final String FILE = "_file";

  /** monotonically_increasing_id puts the partition id above this many bits. */
  private static final int PARTITION_BITS = 33;

  private FileRows() {}

  /** The key a file is looked up by: its path as a URI string, as the scan reports it. */
  static String key(String path) {
    return new org.apache.hadoop.fs.Path(path).toUri().toString();
  }

  /**
   * Adds {@code _file} and {@code row_number} (1-based, per file), without shuffling the rows.
   * {@code monotonically_increasing_id} numbers each partition's rows in scan order (partition id
   * in the upper bits), a file's rows are consecutive within a partition, and a split file's parts
   * are in order from one partition to the next. One small aggregation over the scan (the file and
   * position only; the CSV reader then parses no field) gives each partition's part of each file
   * its first position and size; a row's number is its distance from its part's first row plus the
   * sizes of the file's earlier parts. {@code records} must carry the scan's {@code _metadata}
   * column; the scan must return the same partitions each time it runs, as a file scan does.
   */
  public static Dataset<Row> numbered(Dataset<Row> records) {
    Column part = shiftright(col("_pos"), PARTITION_BITS);
    Dataset<Row> tagged =
        records
            .withColumn(FILE, col("_metadata.file_path"))
            .withColumn("_pos", monotonically_increasing_id())
            .drop("_metadata");
    Map<String, List<long[]>> partsByFile = new HashMap<>();
    for (Row r :
        tagged
            .groupBy(col(FILE), part.as("_part"))
            .agg(min("_pos"), count(lit(1)))
            .collectAsList()) {
      partsByFile
          .computeIfAbsent(r.getString(0), k -> new ArrayList<>())
          .add(new long[] {r.getLong(1), r.getLong(2), r.getLong(3)});
    }
    List<Row> bases = new ArrayList<>();
    for (Map.Entry<String, List<long[]>> e : partsByFile.entrySet()) {
      List<long[]> fileParts = e.getValue();
      fileParts.sort(Comparator.comparingLong(p -> p[1]));
      long before = 0;
      for (long[] p : fileParts) {
        bases.add(RowFactory.create(e.getKey(), p[0], p[1] - before));
        before += p[2];
      }
    }
    Dataset<Row> firstRows =
        records
            .sparkSession()
            .createDataFrame(
                bases,
                new StructType()
                    .add("_b_file", DataTypes.StringType)
                    .add("_b_part", DataTypes.LongType)
                    .add("_base", DataTypes.LongType));
    return tagged
        .join(
            broadcast(firstRows),
            col(FILE).equalTo(col("_b_file")).and(part.equalTo(col("_b_part"))))
        .withColumn("row_number", col("_pos").minus(col("_base")).plus(1))
        .drop("_pos", "_b_file", "_b_part", "_base");
  }

  /**
   * Adds per-file values (path, checksum, format, ...) to each row, looked up by the row's {@link
   * #FILE} in one broadcast hash join against a table of one row per file. A literal map over the
   * files searched each row's file among all of them with a string comparison per file (5 % of a
   * tracking ingest's CPU samples at scale 1, docs/performance.md change 31).
   *
   * @param columns output column name to the value of each file: a String, Integer or Long (or
   *     null)
   */
  public static Dataset<Row> withFileValues(
      Dataset<Row> rows, List<InputFile> files, Map<String, Function<InputFile, ?>> columns) {
    String keyColumn = "_fv_file";
    StructType schema = new StructType().add(keyColumn, DataTypes.StringType);
    List<Function<InputFile, ?>> values = new ArrayList<>(columns.values());
    List<Object[]> table = new ArrayList<>();
    for (InputFile f : files) {
      Object[] row = new Object[values.size() + 1];
      row[0] = key(f.path());
      for (int i = 0; i < values.size(); i++) {
        row[i + 1] = values.get(i).apply(f);
      }
      table.add(row);
    }
    int i = 1;
    for (String name : columns.keySet()) {
      schema = schema.add(name, typeOf(table, i++), true);
    }
    List<Row> tableRows = new ArrayList<>();
    for (Object[] r : table) {
      tableRows.add(RowFactory.create(r));
    }
    Dataset<Row> byFile = rows.sparkSession().createDataFrame(tableRows, schema);
    return rows.join(broadcast(byFile), col(FILE).equalTo(col(keyColumn)), "left").drop(keyColumn);
  }

  /** The Spark type of a file value column: the class of its first non-null value. */
  private static DataType typeOf(List<Object[]> table, int column) {
    for (Object[] r : table) {
      Object v = r[column];
      if (v instanceof Integer) {
        return DataTypes.IntegerType;
      }
      if (v instanceof Long) {
        return DataTypes.LongType;
      }
      if (v != null) {
        return DataTypes.StringType;
      }
    }
    return DataTypes.StringType;
  }
}
