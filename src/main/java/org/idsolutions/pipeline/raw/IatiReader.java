package org.idsolutions.pipeline.raw;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.idsolutions.pipeline.errors.Errors;

/**
 * Reads IATI activity XML 2.0x with Spark's built-in XML source (row tag {@code iati-activity},
 * many activities per file), with an explicit schema so repeated elements are always arrays and
 * every value stays text. Before Spark reads it, the file is checked to be well-formed with a
 * streaming parser, so a broken file is refused with its line number and nothing from it is
 * written.
 */
public final class IatiReader {
  private IatiReader() {}

  private static final DataType S = DataTypes.StringType;

  private static ArrayType arrayOf(DataType t) {
    return DataTypes.createArrayType(t);
  }

  private static StructType narrative() {
    return new StructType().add("narrative", arrayOf(S));
  }

  private static StructType value() {
    return new StructType().add("_VALUE", S).add("_currency", S).add("_value-date", S);
  }

  /** The part of the IATI activity standard the pipeline reads. */
  public static StructType schema() {
    return new StructType()
        .add("_default-currency", S)
        .add("iati-identifier", S)
        .add(
            "reporting-org",
            new StructType().add("_ref", S).add("_type", S).add("narrative", arrayOf(S)))
        .add("title", narrative())
        .add(
            "participating-org",
            arrayOf(
                new StructType()
                    .add("_ref", S)
                    .add("_role", S)
                    .add("_type", S)
                    .add("narrative", arrayOf(S))))
        .add("activity-status", new StructType().add("_code", S))
        .add("activity-date", arrayOf(new StructType().add("_type", S).add("_iso-date", S)))
        .add("recipient-country", arrayOf(new StructType().add("_code", S).add("_percentage", S)))
        .add(
            "location",
            arrayOf(
                new StructType()
                    .add("_percentage", S)
                    .add("name", narrative())
                    .add(
                        "administrative",
                        arrayOf(
                            new StructType()
                                .add("_vocabulary", S)
                                .add("_level", S)
                                .add("_code", S)))))
        .add(
            "sector",
            arrayOf(new StructType().add("_vocabulary", S).add("_code", S).add("_percentage", S)))
        .add(
            "budget",
            arrayOf(
                new StructType()
                    .add("_type", S)
                    .add("_status", S)
                    .add("period-start", new StructType().add("_iso-date", S))
                    .add("period-end", new StructType().add("_iso-date", S))
                    .add("value", value())))
        .add(
            "transaction",
            arrayOf(
                new StructType()
                    .add("transaction-type", new StructType().add("_code", S))
                    .add("transaction-date", new StructType().add("_iso-date", S))
                    .add("value", value())));
  }

  /** Refuses a file that is not well-formed XML, naming the line. */
  public static void checkWellFormed(Configuration hadoop, String path) {
    XMLInputFactory factory = XMLInputFactory.newFactory();
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    Path p = new Path(path);
    try (InputStream in = p.getFileSystem(hadoop).open(p)) {
      XMLStreamReader reader = factory.createXMLStreamReader(in);
      try {
        while (reader.hasNext()) {
          reader.next();
        }
      } finally {
        reader.close();
      }
    } catch (XMLStreamException e) {
      int line = e.getLocation() == null ? -1 : e.getLocation().getLineNumber();
      throw Errors.malformedFile(
          path,
          "not well-formed XML at line " + line + " (" + Errors.firstLine(e.getMessage()) + ")");
    } catch (IOException e) {
      throw Errors.failed("cannot read " + path + ": " + e.getMessage(), e);
    }
  }

  /** One file's activities, as {@link #readAll} reads a batch. */
  public static Dataset<Row> read(SparkSession spark, InputFile file, String runId) {
    return readAll(spark, List.of(file), runId);
  }

  /**
   * One row per activity of every file, in one scan: the activity as a struct, its file and
   * position, and its JSON for quarantine.
   */
  public static Dataset<Row> readAll(SparkSession spark, List<InputFile> files, String runId) {
    Dataset<Row> activities =
        spark
            .read()
            .format("xml")
            .option("rowTag", "iati-activity")
            .option("mode", "FAILFAST")
            .schema(schema())
            .load(files.stream().map(InputFile::path).toArray(String[]::new));
    Dataset<Row> wrapped = activities.select(struct(col("*")).as("activity"), col("_metadata"));
    Map<String, Function<InputFile, ?>> perFile = new LinkedHashMap<>();
    perFile.put("source_file", InputFile::path);
    perFile.put("file_checksum", InputFile::checksum);
    return FileRows.withFileValues(FileRows.numbered(wrapped), files, perFile)
        .select(
            col("source_file"),
            col("row_number"),
            col("activity"),
            to_json(col("activity")).as("raw_json"),
            col("file_checksum"),
            lit(runId).as("load_run_id"));
  }
}
