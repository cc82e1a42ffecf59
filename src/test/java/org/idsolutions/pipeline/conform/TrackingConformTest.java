package org.idsolutions.pipeline.conform;

import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.idsolutions.pipeline.conform.tracking.TrackingConform;
import org.idsolutions.pipeline.support.SparkTestSession;
import org.idsolutions.pipeline.support.TestConfig;
import org.idsolutions.pipeline.support.TrackingFixture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * conformed.tracking_counts rows from checked rows, against figures worked out by hand: sums over
 * origins, distinct origins counted, optional counts summed only when every row has them, and a key
 * reported by two files of one batch taken from the later file.
 */
class TrackingConformTest {
  private static Map<String, Row> byUnitAndDate;

  @BeforeAll
  static void conform() {
    SparkSession spark = SparkTestSession.get();
    Dataset<Row> first =
        TrackingFixture.create()
            .file("file:/fixture/a.json")
            // Maiduguri 2024-01-15: three origins, one of them twice and one unnamed
            .add("idpOriginAdmin1Pcode", "NG002", "numReturneeInd", "5", "numberMales", "40")
            .add("idpOriginAdmin1Pcode", "NG002", "numReturneeInd", "7", "numberMales", "10")
            .add("idpOriginAdmin1Name", "Yobe", "numReturneeInd", "1")
            .add("numPresentIdpInd", "25", "numReturneeInd", "2", "numberMales", "5")
            // Jere 2024-01-15: also in the later file b.json, which wins
            .add("admin2Pcode", "NG008013", "admin2Name", "Jere", "numPresentIdpInd", "70")
            .toRaw(spark)
            .withColumn("file_seq", lit(0));
    Dataset<Row> second =
        TrackingFixture.create()
            .file("file:/fixture/b.json")
            .add("admin2Pcode", "NG008013", "admin2Name", "Jere", "numPresentIdpInd", "90")
            .add("admin2Pcode", "NG008013", "admin2Name", "Jere", "numPresentIdpInd", "10")
            .toRaw(spark)
            .withColumn("file_seq", lit(1));
    Dataset<Row> checked = TrackingFixture.check(spark, first.unionByName(second));
    assertThat(checked.where("reject_rule IS NOT NULL").count()).isZero();
    byUnitAndDate = new HashMap<>();
    for (Row r :
        TrackingConform.aggregate(
                TrackingConform.accepted(checked), TestConfig.defaults().tracking())
            .collectAsList()) {
      byUnitAndDate.put(r.<String>getAs("admin_pcode"), r);
    }
  }

  @Test
  void rowsOfOneKeyAreSummedOverOriginsWithDistinctOriginsCounted() {
    assertThat(byUnitAndDate).hasSize(2);
    Row maiduguri = byUnitAndDate.get("NG008021");
    assertThat(maiduguri.<Long>getAs("idp_individuals")).isEqualTo(325L); // 100 + 100 + 100 + 25
    assertThat(maiduguri.<Integer>getAs("origin_count")).isEqualTo(2); // NG002, Yobe; null not
    assertThat(maiduguri.<Integer>getAs("source_rows")).isEqualTo(4);
    assertThat(maiduguri.<Long>getAs("returnee_individuals")).isEqualTo(15L); // 5 + 7 + 1 + 2
    assertThat(maiduguri.<Object>getAs("males")).isNull(); // one row has no figure
    assertThat(maiduguri.<String>getAs("source_file")).isEqualTo("file:/fixture/a.json");
  }

  @Test
  void aKeyInTwoFilesOfOneBatchComesFromTheLaterFile() {
    Row jere = byUnitAndDate.get("NG008013");
    assertThat(jere.<String>getAs("source_file")).isEqualTo("file:/fixture/b.json");
    assertThat(jere.<Long>getAs("idp_individuals")).isEqualTo(100L); // 90 + 10, not 70
    assertThat(jere.<Integer>getAs("origin_count")).isZero();
    assertThat(jere.<Integer>getAs("source_rows")).isEqualTo(2);
    assertThat(List.of(jere.<String>getAs("match_method"))).containsExactly("exact");
  }

  @Test
  void theMatchMethodsOfAKeysRowsAreListedInOrder() {
    SparkSession spark = SparkTestSession.get();
    Dataset<Row> raw =
        TrackingFixture.create()
            .file("file:/fixture/c.json")
            .add("reportingDate", "2024-03-15", "idpOriginAdmin1Pcode", "NG002")
            // the same unit by its name alone, from another origin
            .add("reportingDate", "2024-03-15", "admin2Pcode", "", "idpOriginAdmin1Pcode", "NG003")
            .toRaw(spark)
            .withColumn("file_seq", lit(0));
    Dataset<Row> checked = TrackingFixture.check(spark, raw);
    List<Row> rows =
        TrackingConform.aggregate(
                TrackingConform.accepted(checked), TestConfig.defaults().tracking())
            .collectAsList();
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0).<String>getAs("match_method")).isEqualTo("exact,name");
    assertThat(rows.get(0).<Integer>getAs("origin_count")).isEqualTo(2);
    assertThat(rows.get(0).<Integer>getAs("source_rows")).isEqualTo(2);
  }
}
