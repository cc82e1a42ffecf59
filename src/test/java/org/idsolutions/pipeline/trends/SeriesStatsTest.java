package org.idsolutions.pipeline.trends;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.idsolutions.pipeline.support.SparkTestSession;
import org.junit.jupiter.api.Test;

/** The per-series loops against Spark's own months_between and a hand-worked series. */
class SeriesStatsTest {

  @Test
  void monthsBetweenAgreesWithSparkOnRandomDates() {
    Random random = new Random(5);
    List<Row> rows = new ArrayList<>();
    LocalDate origin = LocalDate.of(2018, 1, 1);
    for (int i = 0; i < 300; i++) {
      LocalDate a = origin.plusDays(random.nextInt(3000));
      // month ends and firsts of months too, the cases months_between treats specially
      LocalDate b =
          switch (i % 3) {
            case 0 -> a.plusDays(random.nextInt(900));
            case 1 -> a.plusMonths(random.nextInt(40)).withDayOfMonth(1);
            default -> a.plusMonths(1 + random.nextInt(40)).withDayOfMonth(1).minusDays(1);
          };
      rows.add(RowFactory.create(Date.valueOf(b), Date.valueOf(a)));
    }
    StructType schema =
        new StructType().add("later", DataTypes.DateType).add("earlier", DataTypes.DateType);
    Dataset<Row> spark =
        SparkTestSession.get()
            .createDataFrame(rows, schema)
            .selectExpr("later", "earlier", "months_between(later, earlier) AS m");
    List<Row> result = spark.collectAsList();
    assertThat(result).hasSize(300);
    for (Row r : result) {
      LocalDate later = r.getDate(0).toLocalDate();
      LocalDate earlier = r.getDate(1).toLocalDate();
      assertThat(SeriesStats.monthsBetween(later, earlier))
          .as("%s - %s", later, earlier)
          .isEqualTo(r.getDouble(2));
    }
  }

  @Test
  void medianBySelectionIsTheMiddleOfTheSortedValues() {
    Random random = new Random(11);
    for (int n = 1; n <= 300; n++) {
      double[] values = new double[n];
      for (int i = 0; i < n; i++) {
        // few distinct values for the small arrays: ties around the middle
        values[i] = n % 2 == 0 ? random.nextInt(5) : random.nextGaussian() * 100;
      }
      double[] sorted = values.clone();
      java.util.Arrays.sort(sorted);
      double expected = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
      assertThat(SeriesStats.median(values.clone())).as("n = %d", n).isEqualTo(expected);
    }
  }

  @Test
  void medianNearAHintIsTheMedianBySelection() {
    // hints at, between and beside the middle values, a few ranks off and far off (null: the
    // caller selects), on values with and without ties
    Random random = new Random(5);
    int found = 0;
    for (int round = 0; round < 3000; round++) {
      int n = 1 + random.nextInt(400);
      double[] values = new double[n];
      for (int i = 0; i < n; i++) {
        values[i] = round % 3 == 0 ? random.nextInt(7) - 3 : random.nextGaussian() * 10;
      }
      double[] sorted = values.clone();
      java.util.Arrays.sort(sorted);
      double expected = SeriesStats.median(values.clone());
      int near = Math.min(n - 1, Math.max(0, n / 2 + random.nextInt(21) - 10));
      double hint =
          switch (round % 4) {
            case 0 -> sorted[near];
            case 1 -> sorted[near] + (random.nextBoolean() ? 1e-9 : -1e-9);
            case 2 -> random.nextGaussian() * 10;
            default -> sorted[n - 1] + 1;
          };
      int below = 0;
      int at = 0;
      for (double v : values) {
        below += v < hint ? 1 : 0;
        at += v == hint ? 1 : 0;
      }
      double[] unchanged = values.clone();
      Double median = SeriesStats.medianNear(values, hint, below, at);
      assertThat(values).as("not reordered").containsExactly(unchanged);
      if (median != null) {
        found++;
        assertThat(median).as("n = %d, hint %s", n, hint).isEqualTo(expected);
      } else {
        // only a hint more than an eighth of the values from the middle gives up
        int middle = Math.min(Math.abs(below - n / 2), Math.abs(below + at - n / 2));
        assertThat(middle).as("n = %d, hint %s", n, hint).isGreaterThan(Math.max(16, n / 8) - 2);
      }
    }
    assertThat(found).isGreaterThan(1500);
  }

  @Test
  void aSeriesWithAHintHasTheStatisticsOfOneWithout() {
    Random random = new Random(9);
    for (int series = 0; series < 200; series++) {
      int n = 2 + random.nextInt(120);
      List<LocalDate> dates = new ArrayList<>();
      double[] values = new double[n];
      LocalDate d = LocalDate.of(2016, 1 + random.nextInt(12), 1);
      for (int i = 0; i < n; i++) {
        dates.add(d);
        values[i] = random.nextInt(30) * 10.0;
        d = d.plusMonths(1 + (random.nextInt(12) == 0 ? 1 : 0));
      }
      SeriesStats plain = SeriesStats.of(dates, values, 1);
      // the slope without the last point, as an incremental run has it stored; and a poor one
      SeriesStats before =
          SeriesStats.of(dates.subList(0, n - 1), java.util.Arrays.copyOf(values, n - 1), 1);
      for (Double hint :
          new Double[] {before.theilSenSlopePerYear(), -1e6, Double.NaN, null, 0.0}) {
        assertThat(SeriesStats.of(dates, values, 1, hint)).as("hint %s", hint).isEqualTo(plain);
      }
    }
  }

  @Test
  void monthlySeriesAgreesWithEveryPairWorkedOut() {
    Random random = new Random(3);
    for (int series = 0; series < 40; series++) {
      int n = 2 + random.nextInt(120);
      List<LocalDate> dates = new ArrayList<>();
      double[] values = new double[n];
      LocalDate d = LocalDate.of(2015, 1 + random.nextInt(12), 1);
      for (int i = 0; i < n; i++) {
        dates.add(d);
        values[i] = random.nextInt(20) * 50.0;
        d = d.plusMonths(1 + (random.nextInt(10) == 0 ? random.nextInt(4) : 0));
      }
      // the definitions pair by pair, with months_between (checked against Spark above) and a sort
      double s = 0;
      List<Double> slopes = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        for (int j = i + 1; j < n; j++) {
          s += Math.signum(values[j] - values[i]);
          slopes.add(
              (values[j] - values[i])
                  / (SeriesStats.monthsBetween(dates.get(j), dates.get(i)) / 12));
        }
      }
      slopes.sort(null);
      int m = slopes.size() / 2;
      double median =
          slopes.size() % 2 == 1 ? slopes.get(m) : (slopes.get(m - 1) + slopes.get(m)) / 2;
      SeriesStats st = SeriesStats.of(dates, values, 1);
      assertThat(st.mannKendallS()).isEqualTo(s);
      assertThat(st.theilSenSlopePerYear()).isEqualTo(median + 0.0);
      assertThat(st.gaps())
          .isEqualTo((long) SeriesStats.monthsBetween(dates.get(n - 1), dates.get(0)) + 1 - n);
    }
  }

  @Test
  void handWorkedQuarterlySeriesWithTiesAndAGap() {
    // quarters 2024Q1, Q2, Q4 (Q3 missing), 2025Q1 with values 1, 3, 3, 2
    List<LocalDate> dates =
        List.of(
            LocalDate.of(2024, 1, 1),
            LocalDate.of(2024, 4, 1),
            LocalDate.of(2024, 10, 1),
            LocalDate.of(2025, 1, 1));
    SeriesStats st = SeriesStats.of(dates, new double[] {1, 3, 3, 2}, 3);
    // pairs: (1,3)+ (1,3)+ (1,2)+ (3,3)0 (3,2)- (3,2)- -> S = 1
    assertThat(st.mannKendallS()).isEqualTo(1.0);
    // one tied group of 2: 2 * 1 * 9
    assertThat(st.tieTerm()).isEqualTo(18.0);
    // slopes per year: 2/0.25=8, 2/0.75=2.667, 1/1=1, 0/0.5=0, -1/0.75=-1.333, -1/0.25=-4;
    // median of the six = (0 + 1) / 2
    assertThat(st.theilSenSlopePerYear()).isEqualTo(0.5);
    assertThat(st.points()).isEqualTo(4);
    assertThat(st.gaps()).isEqualTo(1);
  }

  @Test
  void oneAndNoPointHaveNoSlope() {
    assertThat(SeriesStats.of(List.of(), new double[0], 1).theilSenSlopePerYear()).isNull();
    SeriesStats one = SeriesStats.of(List.of(LocalDate.of(2024, 1, 1)), new double[] {4}, 12);
    assertThat(one.theilSenSlopePerYear()).isNull();
    assertThat(one.points()).isEqualTo(1);
    assertThat(one.mannKendallS()).isZero();
    assertThat(one.gaps()).isZero();
  }
}
