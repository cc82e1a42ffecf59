package org.idsolutions.pipeline.trends;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

/** Series rows turned into their kept points, new points passed on, all in the walk's layout. */
class KeptPointsTest {
  private static final int KEYS = IndicatorTrends.SERIES.size();
  private final KeptPoints kept =
      new KeptPoints(
          new SeriesRows(
              SeriesRows.Emit.BOTH,
              KEYS,
              IndicatorTrends.SERIES.indexOf("period_type"),
              IndicatorTrends.SERIES.indexOf("source_family")),
          KEYS);

  private static Object[] keys(String code) {
    return new Object[] {"tracking", "NGA", 1, code, "idp_stock", "idp", "year"};
  }

  /** A series row with its kept points and the slope stored for it (2 a year). */
  private static Row seriesRow(String code, String name, Row... points) {
    List<Object> cells = new ArrayList<>(Arrays.asList(keys(code)));
    // an array column as Spark hands it to the walk: a Scala sequence
    cells.addAll(
        Arrays.asList(
            scala.jdk.javaapi.CollectionConverters.asScala(List.of(points)).toSeq(),
            null,
            null,
            null,
            name,
            2.0));
    return RowFactory.create(cells.toArray());
  }

  private static Row newPoint(String code, int year, double value, String name) {
    List<Object> cells = new ArrayList<>(Arrays.asList(keys(code)));
    cells.addAll(Arrays.asList(null, LocalDate.of(year, 1, 1), value, null, name, null));
    return RowFactory.create(cells.toArray());
  }

  private static Row keptPoint(int year, double value, Double se) {
    return RowFactory.create(LocalDate.of(year, 1, 1), value, se);
  }

  /** code|year|value|se|name|kept|slope of each point the walk gets. */
  private List<String> walkInput(Row... in) {
    List<String> out = new ArrayList<>();
    kept.points(List.of(in).iterator())
        .forEachRemaining(
            r -> {
              assertThat(r.length()).isEqualTo(KEYS + 6);
              out.add(
                  r.get(3)
                      + "|"
                      + ((LocalDate) r.get(KEYS)).getYear()
                      + "|"
                      + r.get(KEYS + 1)
                      + "|"
                      + r.get(KEYS + 2)
                      + "|"
                      + r.get(KEYS + 3)
                      + "|"
                      + r.get(KEYS + 4)
                      + "|"
                      + r.get(KEYS + 5));
            });
    return out;
  }

  @Test
  void aSeriesRowBecomesItsKeptPointsNamedAsTheSeriesThenItsNewPointsFollow() {
    assertThat(
            walkInput(
                seriesRow("A", "Old name", keptPoint(2020, 1, 0.1), keptPoint(2021, 2, null)),
                newPoint("A", 2022, 3, "New name"),
                seriesRow("B", "B name"), // every point of B was at or after the change: none kept
                newPoint("C", 2022, 5, "C name"))) // a new series: no series row
        .containsExactly(
            "A|2020|1.0|0.1|Old name|true|2.0",
            "A|2021|2.0|null|Old name|true|2.0",
            "A|2022|3.0|null|New name|false|null",
            "C|2022|5.0|null|C name|false|null");
  }

  @Test
  void theWalkSeesTheKeptAndNewPointsAsOneSeries() {
    List<Row> out = new ArrayList<>();
    kept.call(
            List.of(
                    seriesRow("A", "Old name", keptPoint(2020, 1, null), keptPoint(2021, 3, null)),
                    newPoint("A", 2022, 2, "New name"),
                    seriesRow("B", "B name"))
                .iterator())
        .forEachRemaining(out::add);
    // A's new point (its kept points count but have their rows already), then A's series row;
    // B has no points left, so no rows
    assertThat(out).hasSize(2);
    assertThat(out.get(0).getBoolean(out.get(0).length() - 1)).as("a point").isFalse();
    assertThat(out.get(0).get(KEYS + 1)).isEqualTo(LocalDate.of(2022, 1, 1));
    Row series = out.get(1);
    assertThat(series.getBoolean(series.length() - 1)).isTrue();
    int stats = KEYS + 1 + SeriesRows.POINT_COLUMNS.size();
    assertThat(series.get(KEYS)).isEqualTo("New name");
    assertThat(series.getLong(stats + 2)).isEqualTo(3L); // points
    assertThat(series.getDouble(stats + 4)).isEqualTo(1.0); // S: +1 +1 -1
    // slopes 2, 0.5 and -1 a year: the median, found from the stored 2 (the kept points' slope)
    assertThat(series.getDouble(stats + 6)).isEqualTo(0.5);
    assertThat(out.get(0).getDouble(KEYS + 1 + 4)).as("change from 2021").isEqualTo(-1.0);
    assertThat(out.get(0).getDouble(KEYS + 1 + 7)).as("rolling mean of 1, 3, 2").isEqualTo(2.0);
  }
}
