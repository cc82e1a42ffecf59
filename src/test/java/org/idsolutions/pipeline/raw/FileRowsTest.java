package org.idsolutions.pipeline.raw;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.idsolutions.pipeline.support.SparkTestSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileRowsTest {
  @TempDir Path dir;

  /** A CSV file whose data line i (1-based) holds i, so a row's position can be read off it. */
  private Path csv(String name, int lines) throws IOException {
    List<String> out = new ArrayList<>();
    out.add("line,file,padding");
    for (int i = 1; i <= lines; i++) {
      out.add(i + "," + name + ",xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
    }
    return Files.write(dir.resolve(name + ".csv"), out);
  }

  @Test
  void numbersEachFilesRowsInOrderWhenFilesAreSplitAndPacked() throws IOException {
    SparkSession spark = SparkTestSession.get();
    String[] paths = {
      csv("big", 3_000).toString(), csv("small", 7).toString(), csv("tiny", 1).toString()
    };
    String maxBytes = spark.conf().get("spark.sql.files.maxPartitionBytes");
    String openCost = spark.conf().get("spark.sql.files.openCostInBytes");
    try {
      // 16 KB partitions: the 170 KB file is split into about ten parts, the small ones packed
      spark.conf().set("spark.sql.files.maxPartitionBytes", "16384");
      spark.conf().set("spark.sql.files.openCostInBytes", "1024");
      Dataset<Row> scan = spark.read().option("header", true).csv(paths);
      assertThat(scan.rdd().getNumPartitions()).isGreaterThan(5);

      List<Row> rows =
          FileRows.numbered(scan.select(col("*"), col("_metadata")))
              .select(col("file"), col("line").cast("long"), col("row_number"), col(FileRows.FILE))
              .collectAsList();

      assertThat(rows).hasSize(3_008);
      for (Row r : rows) {
        assertThat(r.getLong(2))
            .as("row_number of %s line %d", r.get(0), r.get(1))
            .isEqualTo(r.getLong(1));
        assertThat(r.getString(3)).endsWith("/" + r.getString(0) + ".csv");
      }
    } finally {
      spark.conf().set("spark.sql.files.maxPartitionBytes", maxBytes);
      spark.conf().set("spark.sql.files.openCostInBytes", openCost);
    }
  }

  @Test
  void eachRowGetsTheValuesOfItsOwnFile() throws IOException {
    SparkSession spark = SparkTestSession.get();
    List<InputFile> files = new ArrayList<>();
    for (String name : List.of("first", "second", "third")) {
      // qualified, as InputFiles.inspect lists them
      String path = "file:" + csv(name, 4).toAbsolutePath();
      files.add(new InputFile(path, InputFile.CSV, 0, "sum-" + name, List.of(), false, 0));
    }
    // a scan of the first two files only: the third file's values are looked up by nobody
    Dataset<Row> scan =
        spark
            .read()
            .option("header", true)
            .csv(files.get(0).path(), files.get(1).path())
            .select(col("*"), col("_metadata"));
    Map<String, Function<InputFile, ?>> perFile = new LinkedHashMap<>();
    perFile.put("checksum", InputFile::checksum);
    perFile.put("seq", files::indexOf);
    perFile.put("nothing", f -> null);

    Dataset<Row> out = FileRows.withFileValues(FileRows.numbered(scan), files, perFile);

    assertThat(out.schema().apply("seq").dataType().typeName()).isEqualTo("integer");
    List<Row> rows = out.select("file", "checksum", "seq", "nothing").collectAsList();
    assertThat(rows).hasSize(8);
    for (Row r : rows) {
      String name = r.getString(0);
      assertThat(r.getString(1)).isEqualTo("sum-" + name);
      assertThat(r.getInt(2)).isEqualTo(name.equals("first") ? 0 : 1);
      assertThat(r.isNullAt(3)).isTrue();
    }
  }
}
