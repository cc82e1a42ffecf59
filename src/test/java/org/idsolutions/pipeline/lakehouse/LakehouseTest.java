package org.idsolutions.pipeline.lakehouse;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.idsolutions.pipeline.support.SparkTestSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LakehouseTest {
  @TempDir Path dir;

  @Test
  void statisticsAreKeptOnTheKeyColumnsOutsideThePartitions() throws Exception {
    SparkSession spark = SparkTestSession.get();
    Lakehouse lh = new Lakehouse(spark, dir.toString());
    lh.ensure(List.of(Tables.RAW_TRACKING, Tables.INDICATOR_VALUES));

    assertThat(statsColumns(lh, Tables.RAW_TRACKING)).isEqualTo("source_file,row_number");
    // source_family and country partition the table: Delta refuses statistics on them
    assertThat(statsColumns(lh, Tables.INDICATOR_VALUES))
        .isEqualTo(
            "admin_level,admin_code,period_type,period_start,indicator_id,population_group,"
                + "source_operation");

    // a written file carries statistics on those columns only
    StructType schema = Tables.RAW_TRACKING.schema();
    Object[] values = new Object[schema.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = schema.fields()[i].name().equals("row_number") ? (Object) 7L : "x";
    }
    spark
        .createDataFrame(List.of(RowFactory.create(values)), schema)
        .write()
        .format("delta")
        .mode("append")
        .save(lh.path(Tables.RAW_TRACKING));
    Path commit = Path.of(lh.path(Tables.RAW_TRACKING), "_delta_log", "00000000000000000001.json");
    String stats =
        Files.readAllLines(commit).stream().filter(l -> l.contains("\"add\"")).findFirst().get();
    assertThat(stats).contains("\\\"source_file\\\"", "\\\"row_number\\\":7");
    assertThat(stats).doesNotContain("\\\"operation\\\"", "\\\"admin0Pcode\\\"");
  }

  @Test
  void aWriteGatheredByPartitionsMakesOneFilePerPartitionValue() {
    SparkSession spark = SparkTestSession.get();
    Lakehouse lh = new Lakehouse(spark, dir.toString());
    lh.ensure(Tables.PROGRAMME_LOCATIONS);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      rows.add(
          RowFactory.create("A" + i, i % 2 == 0 ? "NGA" : "TCD", "X1", null, 1.0, "exact", "f"));
    }
    // eight tasks, each holding rows of both countries: sixteen files when written as they are
    Dataset<Row> scattered =
        spark.createDataFrame(rows, Tables.PROGRAMME_LOCATIONS.schema()).repartition(8);
    Lakehouse.byPartitions(scattered, Tables.PROGRAMME_LOCATIONS)
        .write()
        .format("delta")
        .mode("append")
        .save(lh.path(Tables.PROGRAMME_LOCATIONS));

    assertThat(filesAndRowsPerCountry(lh)).containsExactly("NGA 1 20", "TCD 1 20");
    assertThat(Lakehouse.byPartitions(scattered, Tables.PROGRAMME_SECTORS))
        .isSameAs(scattered); // unpartitioned: left as it is
  }

  @Test
  void rowsInFileOrderAreWrittenAsTheyComeAndTheSessionIsLeftAsItWas() {
    SparkSession spark = SparkTestSession.get();
    Lakehouse lh = new Lakehouse(spark, dir.toString());
    lh.ensure(Tables.PROGRAMME_LOCATIONS);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      rows.add(RowFactory.create("A" + i, i < 20 ? "NGA" : "TCD", "X1", null, 1.0, "exact", "f"));
    }
    Dataset<Row> ordered =
        spark.createDataFrame(rows, Tables.PROGRAMME_LOCATIONS.schema()).coalesce(1);
    String key = "spark.sql.maxConcurrentOutputFileWriters";
    assertThat(spark.conf().contains(key)).isFalse();
    assertThat(lh.overwriteInFileOrder(ordered, Tables.PROGRAMME_LOCATIONS, null, null))
        .isEqualTo(30);
    assertThat(spark.conf().contains(key)).isFalse();

    spark.conf().set(key, "3");
    try {
      long written =
          lh.overwriteInFileOrder(
              ordered.where("country = 'TCD'"),
              Tables.PROGRAMME_LOCATIONS,
              "country = 'TCD'",
              null);
      assertThat(written).isEqualTo(10);
      assertThat(spark.conf().get(key)).isEqualTo("3");
    } finally {
      spark.conf().unset(key);
    }
    assertThat(filesAndRowsPerCountry(lh)).containsExactly("NGA 1 20", "TCD 1 10");
  }

  @Test
  void versionsAndCommitMetricsAreReadFromTheLogAsDeltaHistoryReportsThem() {
    SparkSession spark = SparkTestSession.get();
    Lakehouse lh = new Lakehouse(spark, dir.toString());
    assertThat(lh.version(Tables.PROGRAMME_LOCATIONS)).isEqualTo(-1);
    lh.ensure(Tables.PROGRAMME_LOCATIONS);
    assertThat(lh.version(Tables.PROGRAMME_LOCATIONS)).isZero();

    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      rows.add(RowFactory.create("A" + i, i < 3 ? "NGA" : "TCD", "X1", null, 1.0, "exact", "f"));
    }
    Dataset<Row> five = spark.createDataFrame(rows, Tables.PROGRAMME_LOCATIONS.schema());
    five.write().format("delta").mode("append").save(lh.path(Tables.PROGRAMME_LOCATIONS));
    assertThat(lh.version(Tables.PROGRAMME_LOCATIONS)).isEqualTo(1);
    assertThat(lh.lastMetrics(Tables.PROGRAMME_LOCATIONS)).containsEntry("numOutputRows", "5");

    // a replaceWhere on the NGA rows: 3 replaced by 2, written in one commit
    long written =
        lh.overwrite(
            five.where("activity_id IN ('A0', 'A1')"),
            Tables.PROGRAMME_LOCATIONS,
            "country = 'NGA'");
    assertThat(written).isEqualTo(2);
    assertThat(lh.version(Tables.PROGRAMME_LOCATIONS)).isEqualTo(2);
    // the same figures as Delta's own history of the table (which runs a Spark job to read it)
    Row last =
        lh.delta(Tables.PROGRAMME_LOCATIONS)
            .history(1)
            .select("version", "operationMetrics")
            .first();
    assertThat(lh.version(Tables.PROGRAMME_LOCATIONS)).isEqualTo(last.getLong(0));
    assertThat(lh.lastMetrics(Tables.PROGRAMME_LOCATIONS))
        .isEqualTo(last.<String, String>getJavaMap(1))
        .containsEntry("numOutputRows", "2");

    // no row written and none the predicate matches: Delta records no commit, and the count is
    // 0, not the previous commit's
    long none =
        lh.overwrite(
            five.where("activity_id = 'none'"), Tables.PROGRAMME_LOCATIONS, "country = 'COD'");
    assertThat(none).isZero();
    assertThat(lh.version(Tables.PROGRAMME_LOCATIONS)).isEqualTo(2);
  }

  /** "country files rows" per country of programme_locations. */
  private static List<String> filesAndRowsPerCountry(Lakehouse lh) {
    return lh
        .read(Tables.PROGRAMME_LOCATIONS)
        .groupBy("country")
        .agg(countDistinct(col("_metadata.file_path")).as("files"), count("*").as("n"))
        .orderBy("country")
        .collectAsList()
        .stream()
        .map(r -> r.getString(0) + " " + r.getLong(1) + " " + r.getLong(2))
        .toList();
  }

  private static String statsColumns(Lakehouse lh, TableSpec table) {
    Row detail = lh.delta(table).detail().select("properties").first();
    Map<String, String> properties = detail.getJavaMap(0);
    return properties.get("delta.dataSkippingStatsColumns");
  }

  @Test
  void rowsOfOneSmallFileAreSpreadOverTheCoresAndRowsInEnoughPartitionsAreLeftAlone() {
    SparkSession spark = SparkTestSession.get();
    int cores = spark.sparkContext().defaultParallelism();
    assertThat(cores).isGreaterThan(1);
    String path = dir.resolve("one-file").toString();
    spark.range(0, 1000).toDF("id").coalesce(1).write().format("delta").save(path);
    Dataset<Row> oneFile = spark.read().format("delta").load(path).where("id % 2 = 0");
    assertThat(oneFile.javaRDD().getNumPartitions()).isEqualTo(1);

    Dataset<Row> spread = Lakehouse.overCores(oneFile);
    assertThat(spread.javaRDD().getNumPartitions()).isEqualTo(cores);
    // every core gets rows, and the rows are those of the file
    assertThat(spread.javaRDD().glom().collect()).allSatisfy(p -> assertThat(p).isNotEmpty());
    assertThat(spread.orderBy("id").collectAsList())
        .isEqualTo(oneFile.orderBy("id").collectAsList());

    Dataset<Row> many = spark.range(0, 100, 1, cores + 1).toDF("id");
    assertThat(Lakehouse.overCores(many)).isSameAs(many);
  }
}
