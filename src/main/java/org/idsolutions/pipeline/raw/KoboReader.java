package org.idsolutions.pipeline.raw;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map_from_arrays;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
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

  /** One export of a batch: its survey, its file and its header as inspected. */
  public record Export(String surveyId, InputFile file, char separator, List<String> header) {}

  /** One export. */
  public static Dataset<Row> read(
      SparkSession spark,
      InputFile file,
      String surveyId,
      char separator,
      List<String> names,
      String runId) {
    return readAll(spark, List.of(new Export(surveyId, file, separator, names)), runId);
  }

  /**
   * A batch of exports in one scan per layout (separator and header), rather than a plan per
   * survey: each row gets its survey, file, checksum and 1-based position in the file. A file two
   * manifests name is read once for each of them, in different scans.
   */
  public static Dataset<Row> readAll(SparkSession spark, List<Export> exports, String runId) {
    Map<String, List<Export>> groups = new LinkedHashMap<>();
    Map<String, Integer> timesNamed = new HashMap<>();
    for (Export e : exports) {
      int before = timesNamed.merge(e.file().path(), 1, Integer::sum) - 1;
      String layout = e.separator() + "\u0000" + String.join("\u0000", e.header()) + "#" + before;
      groups.computeIfAbsent(layout, k -> new ArrayList<>()).add(e);
    }
    Dataset<Row> out = null;
    for (List<Export> group : groups.values()) {
      Dataset<Row> one = readLayout(spark, group, runId);
      out = out == null ? one : out.unionByName(one);
    }
    return out;
  }

  private static Dataset<Row> readLayout(SparkSession spark, List<Export> group, String runId) {
    Export first = group.get(0);
    List<String> names = first.header();
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
            .option("sep", String.valueOf(first.separator()))
            .option("multiLine", true)
            .option("escape", "\"")
            .option("encoding", "UTF-8")
            .option("mode", "PERMISSIVE")
            .csv(group.stream().map(e -> e.file().path()).toArray(String[]::new));
    Column[] keys = new Column[names.size()];
    Column[] values = new Column[keys.length];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = lit(names.get(i));
      values[i] = col("c" + i);
    }
    Dataset<Row> records =
        df.select(map_from_arrays(array(keys), array(values)).as("record"), col("_metadata"));
    List<InputFile> files = group.stream().map(Export::file).toList();
    Map<String, String> surveys = new HashMap<>();
    for (Export e : group) {
      surveys.put(e.file().path(), e.surveyId());
    }
    Map<String, Function<InputFile, ?>> perFile = new LinkedHashMap<>();
    perFile.put("survey_id", f -> surveys.get(f.path()));
    perFile.put("source_file", InputFile::path);
    perFile.put("file_checksum", InputFile::checksum);
    return FileRows.withFileValues(FileRows.numbered(records), files, perFile)
        .select(
            col("survey_id"),
            col("source_file"),
            col("row_number"),
            col("record"),
            col("file_checksum"),
            lit(runId).as("load_run_id"));
  }

  /** Lower-cased value list for yes/no matching. */
  public static List<String> lower(List<String> values) {
    return values.stream().map(v -> v.strip().toLowerCase(Locale.ROOT)).toList();
  }
}
