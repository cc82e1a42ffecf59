package org.idsolutions.pipeline.raw;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map_from_arrays;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Reads a KoboToolbox CSV export into raw.survey_responses rows: {@code ;} or {@code ,} separated
 * (taken from the header), quoted values, optional UTF-8 BOM, multi-line answers. Column names are
 * normalised so an export read through R ({@code X_uuid}, {@code grp.question}) and a direct one
 * ({@code _uuid}, {@code grp/question}) give the same names.
 */
public final class KoboReader {
  private KoboReader() {}

  /** {@code X_uuid} -> {@code _uuid}, {@code grp.q} -> {@code grp/q}, BOM and blanks trimmed. */
  public static String normaliseName(String name) {
    String n = name.replace("\uFEFF", "").strip();
    if (n.startsWith("X_")) {
      n = n.substring(1);
    }
    return n.replace('.', '/');
  }

  /** The separator of a header line: the more frequent of ';' and ',' outside quotes. */
  public static char separator(String headerLine) {
    int semicolons = 0;
    int commas = 0;
    boolean quoted = false;
    for (char c : headerLine.toCharArray()) {
      if (c == '"') {
        quoted = !quoted;
      } else if (!quoted && c == ';') {
        semicolons++;
      } else if (!quoted && c == ',') {
        commas++;
      }
    }
    return semicolons > commas ? ';' : ',';
  }

  /** Header names of the export, normalised, in file order. */
  public static List<String> header(String headerLine) {
    char sep = separator(headerLine);
    List<String> names = new ArrayList<>();
    for (String cell : CsvLine.split(sep == ';' ? swap(headerLine) : headerLine)) {
      names.add(normaliseName(cell));
    }
    return names;
  }

  /** Swaps ';' and ',' outside quotes so the comma splitter can read a semicolon line. */
  private static String swap(String line) {
    StringBuilder sb = new StringBuilder(line.length());
    boolean quoted = false;
    for (char c : line.toCharArray()) {
      if (c == '"') {
        quoted = !quoted;
        sb.append(c);
      } else if (!quoted && c == ';') {
        sb.append(',');
      } else if (!quoted && c == ',') {
        sb.append(';');
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  public static Dataset<Row> read(
      SparkSession spark,
      InputFile file,
      String surveyId,
      char separator,
      List<String> names,
      String runId) {
    // the header was read when the survey was inspected: giving its width as the schema spares
    // Spark a job to read it again
    StructType schema = new StructType();
    for (int i = 0; i < names.size(); i++) {
      schema = schema.add("c" + i, DataTypes.StringType);
    }
    Dataset<Row> df =
        spark
            .read()
            .schema(schema)
            .option("header", true)
            .option("sep", String.valueOf(separator))
            .option("multiLine", true)
            .option("escape", "\"")
            .option("encoding", "UTF-8")
            .option("mode", "PERMISSIVE")
            .csv(file.path());
    String[] positional = df.columns();
    Column[] keys = new Column[positional.length];
    Column[] values = new Column[keys.length];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = lit(names.get(i));
      values[i] = col(positional[i]);
    }
    Dataset<Row> records = df.select(map_from_arrays(array(keys), array(values)).as("record"));
    return TrackingReader.withRowNumbers(spark, records)
        .select(
            lit(surveyId).as("survey_id"),
            lit(file.path()).as("source_file"),
            col("row_number"),
            col("record"),
            lit(file.checksum()).as("file_checksum"),
            lit(runId).as("load_run_id"));
  }

  /** Lower-cased value list for yes/no matching. */
  public static List<String> lower(List<String> values) {
    return values.stream().map(v -> v.strip().toLowerCase(Locale.ROOT)).toList();
  }
}
