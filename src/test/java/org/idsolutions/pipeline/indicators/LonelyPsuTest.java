package org.idsolutions.pipeline.indicators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.idsolutions.pipeline.indicators.survey.SurveyEstimates;
import org.idsolutions.pipeline.support.SparkTestSession;
import org.junit.jupiter.api.Test;

/** A hand-worked variance with a stratum of one PSU (R's survey.lonely.psu = "adjust"). */
class LonelyPsuTest {
  @Test
  void aSinglePsuStratumAddsItsSquaredTotalUnscaled() {
    SparkSession spark = SparkTestSession.get();
    StructType schema =
        new StructType()
            .add("d", DataTypes.StringType)
            .add("stratum", DataTypes.StringType)
            .add("cluster", DataTypes.StringType)
            .add("weight", DataTypes.DoubleType)
            .add("y", DataTypes.DoubleType);
    Dataset<Row> obs =
        spark.createDataFrame(
            List.of(
                RowFactory.create("all", "A", "A1", 1.0, 1.0), // stratum A, PSU 1
                RowFactory.create("all", "A", "A1", 1.0, 0.0), // stratum A, PSU 1
                RowFactory.create("all", "A", "A2", 1.0, 1.0), // stratum A, PSU 2
                RowFactory.create("all", "B", "B1", 2.0, 0.0)), // stratum B: its only PSU
            schema);
    Row r =
        SurveyEstimates.estimate(obs, List.of("d"), List.of(), obs.select("stratum", "cluster"))
            .first();
    // p = (1 + 0 + 1 + 0) / 5 = 0.4; z = w (y - p) / 5: A1 0.12 - 0.08 = 0.04, A2 0.12, B1 -0.16
    // stratum A: 2/1 x ((0.04 - 0.08)^2 + (0.12 - 0.08)^2) = 0.0064; stratum B (lonely): (-0.16)^2
    // = 0.0256
    assertThat(r.<Double>getAs("mean")).isCloseTo(0.4, within(1e-12));
    assertThat(r.<Double>getAs("se")).isCloseTo(Math.sqrt(0.0064 + 0.0256), within(1e-12));
    assertThat(r.<Long>getAs("df")).isEqualTo(1L); // 3 PSUs - 2 strata
  }
}
