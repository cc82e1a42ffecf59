package org.idsolutions.pipeline.lakehouse;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_csv;
import static org.apache.spark.sql.functions.to_json;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A table as one RFC 4180 CSV text (query, export and report): a header, nested columns as JSON,
 * rows streamed to the driver a partition at a time.
 */
public final class CsvOut {
  private CsvOut() {}

  /** CSV with a header and, when given, an HXL tag row under it. */
  public static void write(Dataset<Row> df, PrintWriter out, List<String> hxlTags) {
    List<Column> cols = new ArrayList<>();
    List<String> header = new ArrayList<>();
    for (StructField f : df.schema().fields()) {
      header.add(cell(f.name()));
      boolean nested =
          f.dataType() instanceof ArrayType
              || f.dataType() instanceof MapType
              || f.dataType() instanceof StructType;
      cols.add((nested ? to_json(col(f.name())) : col(f.name())).as(f.name()));
    }
    out.println(String.join(",", header));
    if (hxlTags != null) {
      out.println(String.join(",", hxlTags));
    }
    Dataset<Row> flat = df.select(cols.toArray(new Column[0]));
    Column[] all = new Column[flat.columns().length];
    for (int i = 0; i < all.length; i++) {
      all[i] = col("`" + flat.columns()[i].replace("`", "``") + "`");
    }
    // RFC 4180: a quote inside a value is doubled (Spark's default would escape it with a
    // backslash)
    Iterator<Row> it =
        flat.select(to_csv(struct(all), java.util.Map.of("escape", "\"", "escapeQuotes", "true")))
            .toLocalIterator();
    while (it.hasNext()) {
      out.println(it.next().getString(0));
    }
  }

  private static String cell(String s) {
    return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }
}
