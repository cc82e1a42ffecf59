package org.idsolutions.pipeline.raw;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
}
