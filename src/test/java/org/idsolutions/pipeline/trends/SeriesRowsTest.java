package org.idsolutions.pipeline.trends;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

/** The partition walk: series cut where any key changes, one series held at a time. */
class SeriesRowsTest {
  private final SeriesRows walk =
      new SeriesRows(
          IndicatorTrends.SERIES.size(),
          IndicatorTrends.SERIES.indexOf("period_type"),
          IndicatorTrends.SERIES.indexOf("source_family"));

  /** A point in the walk's input layout: the series keys, period start, value, se, admin name. */
  private static Row point(String code, String type, int year, double value) {
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
        "Area " + code);
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
    int points = IndicatorTrends.SERIES.size() + 2 + SeriesRows.POINT_COLUMNS.size();
    int previous = IndicatorTrends.SERIES.size() + 4;
    assertThat(out).hasSize(6);
    assertThat(out).extracting(r -> r.getLong(points)).containsExactly(3L, 3L, 3L, 1L, 2L, 2L);
    assertThat(out)
        .extracting(r -> r.get(previous))
        .containsExactly(null, 1.0, 3.0, null, null, 7.0);
    assertThat(out)
        .extracting(r -> r.getString(3) + "|" + r.getString(6))
        .containsExactly("A|month", "A|month", "A|month", "A|year", "B|year", "B|year");
    assertThat(out).extracting(r -> r.get(IndicatorTrends.SERIES.size())).contains("Area B");
  }

  @Test
  void anEmptyPartitionGivesNoRows() {
    assertThat(walk.call(Collections.emptyIterator()).hasNext()).isFalse();
  }
}
