package org.idsolutions.pipeline.raw;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map_from_arrays;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.idsolutions.pipeline.errors.Errors;

/**
 * Reads 3W/5W sheets: CSV whose columns are known by their HXL tags, from the tag row under the
 * header or, for sheets without one, from a header-to-tag mapping (conf/3w-columns.yaml). Each row
 * becomes a map of canonical tag (hashtag, then attributes sorted: {@code #org+impl+name}) to
 * value.
 */
public final class ThreeWReader {
  /** Tags a sheet must have. */
  public static final List<String> REQUIRED = List.of("#org+name", "#date+start", "#date+end");

  private ThreeWReader() {}

  /** {@code #Sector +Name+cluster} -> {@code #sector+cluster+name}. */
  public static String canonicalTag(String tag) {
    String t = tag.strip().toLowerCase(Locale.ROOT).replace(" ", "");
    if (!t.startsWith("#")) {
      return null;
    }
    String[] parts = t.split("\\+");
    String[] attrs = Arrays.copyOfRange(parts, 1, parts.length);
    Arrays.sort(attrs);
    return attrs.length == 0 ? parts[0] : parts[0] + "+" + String.join("+", attrs);
  }

  /** The canonical tag of each column, from the HXL row or the header mapping (null: not used). */
  public static List<String> tags(
      Configuration hadoop, InputFile file, Map<String, String> headerTags) {
    List<String> lines = new ArrayList<>();
    try (BufferedReader r = InputFiles.open(hadoop, file.path())) {
      String line;
      while (lines.size() < 2 && (line = r.readLine()) != null) {
        lines.add(line);
      }
    } catch (IOException e) {
      throw Errors.failed("cannot read " + file.path() + ": " + e.getMessage(), e);
    }
    List<String> header = CsvLine.split(lines.isEmpty() ? "" : lines.get(0));
    List<String> out = new ArrayList<>();
    if (file.hxlRow()) {
      for (String tag : CsvLine.split(lines.get(1))) {
        out.add(canonicalTag(tag));
      }
    } else {
      for (String h : header) {
        String tag = null;
        for (Map.Entry<String, String> e : headerTags.entrySet()) {
          if (e.getKey().strip().equalsIgnoreCase(h.replace("\uFEFF", "").strip())) {
            tag = canonicalTag(e.getValue());
          }
        }
        out.add(tag);
      }
    }
    List<String> missing = new ArrayList<>();
    for (String r : REQUIRED) {
      if (!out.contains(r)) {
        missing.add(r);
      }
    }
    if (!out.contains("#adm1+code") && !out.contains("#adm2+code")) {
      missing.add("#adm1+code or #adm2+code");
    }
    if (!missing.isEmpty()) {
      throw Errors.missingColumns(file.path(), missing, header);
    }
    return out;
  }

  /**
   * Sheets with the same columns (the same tags in the same places) and the same HXL row, in one
   * scan: one row per data line with its file, position and the record as a map of tag to value.
   */
  public static Dataset<Row> readAll(SparkSession spark, List<InputFile> files, List<String> tags) {
    Dataset<Row> df =
        spark
            .read()
            .option("header", true)
            .option("escape", "\"")
            .option("mode", "PERMISSIVE")
            .csv(files.stream().map(InputFile::path).toArray(String[]::new));
    String[] positional = new String[df.columns().length];
    for (int i = 0; i < positional.length; i++) {
      positional[i] = "c" + i;
    }
    Dataset<Row> withMeta = df.select(col("*"), col("_metadata")).toDF(withMetadata(positional));
    List<Column> keys = new ArrayList<>();
    List<Column> values = new ArrayList<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (int i = 0; i < Math.min(tags.size(), positional.length); i++) {
      if (tags.get(i) != null && seen.add(tags.get(i))) {
        keys.add(lit(tags.get(i)));
        values.add(col(positional[i]));
      }
    }
    Dataset<Row> records =
        withMeta.select(
            map_from_arrays(
                    array(keys.toArray(new Column[0])), array(values.toArray(new Column[0])))
                .as("record"),
            col("_metadata"));
    Dataset<Row> numbered = FileRows.numbered(records);
    if (files.get(0).hxlRow()) {
      numbered =
          numbered
              .where(col("row_number").gt(1))
              .withColumn("row_number", col("row_number").minus(1));
    }
    return FileRows.withFileValues(
            numbered, files, Map.<String, Function<InputFile, ?>>of("source_file", InputFile::path))
        .select(col("source_file"), col("row_number"), col("record"));
  }

  private static String[] withMetadata(String[] names) {
    String[] out = java.util.Arrays.copyOf(names, names.length + 1);
    out[names.length] = "_metadata";
    return out;
  }
}
