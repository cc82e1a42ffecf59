package org.idsolutions.pipeline.raw;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map_from_arrays;
import static org.apache.spark.sql.functions.monotonically_increasing_id;
import static org.apache.spark.sql.functions.row_number;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;

/**
 * Many files in one scan: which file a row came from ({@code _file}, from the scan's {@code
 * _metadata}), its position in that file, and per-file values looked up by the file. One scan per
 * format keeps plans and tasks small; a union of one plan per file ships every file's plan with
 * every task.
 */
public final class FileRows {
  /** The column with the row's file, as a URI string. */
  public static final String FILE = "_file";

  private FileRows() {}

  /** The key a file is looked up by: its path as a URI string, as the scan reports it. */
  static String key(String path) {
    return new org.apache.hadoop.fs.Path(path).toUri().toString();
  }

  /**
   * Adds {@code _file} and {@code row_number} (1-based, per file). {@code
   * monotonically_increasing_id} grows in file order within a partition and from one partition to
   * the next (a split file's parts are in order), so ranking it within the file gives each row's
   * position. {@code records} must carry the scan's {@code _metadata} column.
   */
  public static Dataset<Row> numbered(Dataset<Row> records) {
    return records
        .withColumn(FILE, col("_metadata.file_path"))
        .withColumn("_pos", monotonically_increasing_id())
        .withColumn(
            "row_number",
            row_number().over(Window.partitionBy(FILE).orderBy("_pos")).cast(DataTypes.LongType))
        .drop("_pos", "_metadata");
  }

  /** A per-file value (path, checksum, format, ...) for the row's file. */
  public static <T> Column lookup(List<InputFile> files, Function<InputFile, T> value) {
    List<Column> keys = new ArrayList<>();
    List<Column> values = new ArrayList<>();
    for (InputFile f : files) {
      keys.add(lit(key(f.path())));
      values.add(lit(value.apply(f)));
    }
    return element_at(
        map_from_arrays(array(keys.toArray(new Column[0])), array(values.toArray(new Column[0]))),
        col(FILE));
  }
}
