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
  private final SeriesRows walk = walk(SeriesRows.Output.POINTS);

  private static SeriesRows walk(SeriesRows.Output output) {
    return new SeriesRows(
        output,
        IndicatorTrends.SERIES.size(),
        IndicatorTrends.SERIES.indexOf("period_type"),
        IndicatorTrends.SERIES.indexOf("source_family"));
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
    assertThat(out).hasSize(6);
    assertThat(out)
        .extracting(r -> r.get(previous))
        .containsExactly(null, 1.0, 3.0, null, null, 7.0);
    assertThat(out)
        .extracting(r -> r.getString(3) + "|" + r.getString(6))
        .containsExactly("A|month", "A|month", "A|month", "A|year", "B|year", "B|year");
    assertThat(out).extracting(r -> r.get(IndicatorTrends.SERIES.size())).contains("Area B");
  }

  @Test
  void givesOneRowPerSeriesWithItsFirstAndLastPeriodAndLatestName() {
    List<Row> in =
        List.of(
            point("A", "year", 2020, 1, "Old name"),
            point("A", "year", 2021, 3, "Old name"),
            point("A", "year", 2023, 2, "New name"),
            point("B", "year", 2020, 7));
    List<Row> out = all(walk(SeriesRows.Output.SERIES).call(in.iterator()));
    int name = IndicatorTrends.SERIES.size();
    assertThat(out).hasSize(2);
    Row a = out.get(0);
    assertThat(a.getString(3)).isEqualTo("A");
    assertThat(a.get(name)).isEqualTo("New name");
    assertThat(a.get(name + 1)).isEqualTo(LocalDate.of(2020, 1, 1));
    assertThat(a.get(name + 2)).isEqualTo(LocalDate.of(2023, 1, 1));
    assertThat(a.getLong(name + 3)).isEqualTo(3L); // points
    assertThat(a.getLong(name + 4)).isEqualTo(1L); // gaps: 2022
    assertThat(a.getDouble(name + 5)).isEqualTo(1.0); // S: +1 +1 -1
    assertThat(out.get(1).getLong(name + 3)).isEqualTo(1L);
  }

  @Test
  void anEmptyPartitionGivesNoRows() {
    assertThat(walk.call(Collections.emptyIterator()).hasNext()).isFalse();
  }
}
