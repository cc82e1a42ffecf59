package org.idsolutions.pipeline.trends;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

/** The partition walk: series cut where any key changes, one series held at a time. */
class SeriesRowsTest {
  private final SeriesRows walk = walk(SeriesRows.Emit.BOTH);

  private static SeriesRows walk(SeriesRows.Emit emit) {
    return new SeriesRows(
        emit,
        IndicatorTrends.SERIES.size(),
        IndicatorTrends.SERIES.indexOf("period_type"),
        IndicatorTrends.SERIES.indexOf("source_family"));
  }

  /** The rows' last column: whether the row is a series row. */
  private static boolean isSeries(Row r) {
    return r.getBoolean(r.length() - 1);
  }

  /** A point in the walk's input layout: the series keys, period start, value, se, admin name. */
  private static Row point(String code, String type, int year, double value) {
    return point(code, type, year, value, "Area " + code);
  }

  private static Row point(String code, String type, int year, double value, String name) {
    return RowFactory.create(
        "tracking",
        "NGA",
        1,
        code,
        "idp_stock",
        "idp",
        type,
        LocalDate.of(year, 1, 1),
        value,
        null,
        name);
  }

  /** Two yearly series: A of three points with a gap (2022) and a renamed area, B of one. */
  private static final List<Row> RENAMED_WITH_A_GAP =
      List.of(
          point("A", "year", 2020, 1, "Old name"),
          point("A", "year", 2021, 3, "Old name"),
          point("A", "year", 2023, 2, "New name"),
          point("B", "year", 2020, 7));

  /** A row's cells, its points (an array of rows) as lists of their cells. */
  private static List<Object> cells(Row r) {
    List<Object> out = new ArrayList<>();
    for (int i = 0; i < r.length(); i++) {
      out.add(
          r.get(i) instanceof Row[] points
              ? Arrays.stream(points).map(SeriesRowsTest::cells).toList()
              : r.get(i));
    }
    return out;
  }

  private static List<Row> all(Iterator<Row> it) {
    List<Row> out = new ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }

  @Test
  void cutsTheSeriesWhereAnyKeyChanges() {
    List<Row> in =
        List.of(
            point("A", "month", 2020, 1),
            point("A", "month", 2021, 3),
            point("A", "month", 2022, 2),
            point("A", "year", 2020, 10), // same area, another period type: a series of its own
            point("B", "year", 2020, 7),
            point("B", "year", 2021, 9));
    List<Row> out = all(walk.call(in.iterator()));
    int previous = IndicatorTrends.SERIES.size() + 4;
    // each series' points, then its series row
    assertThat(out)
        .extracting(r -> r.getString(3) + "|" + r.getString(6) + (isSeries(r) ? " series" : ""))
        .containsExactly(
            "A|month",
            "A|month",
            "A|month",
            "A|month series",
            "A|year",
            "A|year series",
            "B|year",
            "B|year",
            "B|year series");
    List<Row> points = out.stream().filter(r -> !isSeries(r)).toList();
    assertThat(points)
        .extracting(r -> r.get(previous))
        .containsExactly(null, 1.0, 3.0, null, null, 7.0);
    assertThat(points).extracting(r -> r.get(IndicatorTrends.SERIES.size())).contains("Area B");
  }

  @Test
  void eachSeriesRowHasItsFirstAndLastPeriodAndLatestName() {
    List<Row> out =
        all(walk.call(RENAMED_WITH_A_GAP.iterator())).stream()
            .filter(SeriesRowsTest::isSeries)
            .toList();
    int name = IndicatorTrends.SERIES.size();
    int series = name + 1 + SeriesRows.POINT_COLUMNS.size();
    assertThat(out).hasSize(2);
    Row a = out.get(0);
    assertThat(a.getString(3)).isEqualTo("A");
    assertThat(a.get(name)).isEqualTo("New name");
    assertThat(a.get(name + 1)).as("no period start").isNull();
    assertThat(a.get(series)).isEqualTo(LocalDate.of(2020, 1, 1));
    assertThat(a.get(series + 1)).isEqualTo(LocalDate.of(2023, 1, 1));
    assertThat(a.getLong(series + 2)).isEqualTo(3L); // points
    assertThat(a.getLong(series + 3)).isEqualTo(1L); // gaps: 2022
    assertThat(a.getDouble(series + 4)).isEqualTo(1.0); // S: +1 +1 -1
    assertThat(cells(a).get(series + SeriesRows.SERIES_COLUMNS.size()))
        .as("the points: period start, value, se")
        .isEqualTo(
            List.of(
                Arrays.asList(LocalDate.of(2020, 1, 1), 1.0, null),
                Arrays.asList(LocalDate.of(2021, 1, 1), 3.0, null),
                Arrays.asList(LocalDate.of(2023, 1, 1), 2.0, null)));
    assertThat(out.get(1).getLong(series + 2)).isEqualTo(1L);
  }

  @Test
  void aWalkForPointsOrForSeriesGivesThoseRowsOfTheWalkForBoth() {
    List<Row> in = RENAMED_WITH_A_GAP;
    List<Row> both = all(walk.call(in.iterator()));
    for (SeriesRows.Emit emit : List.of(SeriesRows.Emit.POINTS, SeriesRows.Emit.SERIES)) {
      SeriesRows only = walk(emit);
      boolean series = emit == SeriesRows.Emit.SERIES;
      assertThat(all(only.call(in.iterator())).stream().map(SeriesRowsTest::cells))
          .as(emit.name())
          .isEqualTo(
              both.stream().filter(r -> isSeries(r) == series).map(SeriesRowsTest::cells).toList());
    }
  }

  @Test
  void anEmptyPartitionGivesNoRows() {
    assertThat(walk.call(Collections.emptyIterator()).hasNext()).isFalse();
  }
}
