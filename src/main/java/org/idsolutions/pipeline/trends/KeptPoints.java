package org.idsolutions.pipeline.trends;

import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * The walk of an incremental run: a partition of series rows and new points, each series' row first
 * (the key columns, then {@link #KEPT}: its points before its group's first change, and its
 * admin_name), then its new points in period order (the key columns, period_start, value, se and
 * admin_name), and on both the series' stored Theil-Sen slope (null on a new point). A series row
 * becomes one point per kept point, named with the series' admin_name; every point of a series then
 * goes to {@link SeriesRows} in period order, as in a full walk. Each point carries two more cells:
 * {@link SeriesRows#KEPT_POINT}, true on a kept point, whose row in indicator_trends is not
 * rewritten, so the walk emits no row for it (it still counts in the series' statistics and in its
 * later points' figures); and {@link SeriesRows#SLOPE_HINT}, the stored slope on a kept point, from
 * which the walk finds the new median ({@link SeriesStats#medianNear}).
 */
final class KeptPoints implements MapPartitionsFunction<Row, Row> {
  /** The column of a series row with its kept points; null on a new point. */
  static final String KEPT = "_kept";

  private final SeriesRows walk;
  private final int keys;

  /**
   * @param walk the walk the points go to
   * @param keys the number of key columns, first in each input row; on a series row {@link #KEPT},
   *     three unused cells and admin_name follow them, on a point null, period_start, value, se and
   *     admin_name; then on both the stored slope
   */
  KeptPoints(SeriesRows walk, int keys) {
    this.walk = walk;
    this.keys = keys;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> input) {
    return walk.call(points(input));
  }

  /** The input with each series row replaced by its kept points, lazily. */
  Iterator<Row> points(Iterator<Row> input) {
    Iterable<Row> rows = () -> input;
    return StreamSupport.stream(rows.spliterator(), false)
        .flatMap(r -> r.isNullAt(keys) ? Stream.of(point(r)) : kept(r).stream())
        .iterator();
  }

  /** A new point in the walk's layout (without the {@link #KEPT} column). */
  private Row point(Row r) {
    return row(r, r.get(keys + 1), r.get(keys + 2), r.get(keys + 3), r.get(keys + 4), false, null);
  }

  /** A series row's kept points in the walk's layout, named with the series' admin_name. */
  private List<Row> kept(Row r) {
    List<Row> points = r.getList(keys);
    Object name = r.get(keys + 4);
    Object slope = r.get(keys + 5);
    Row[] out = new Row[points.size()];
    for (int i = 0; i < out.length; i++) {
      Row p = points.get(i); // period_start, value, se
      out[i] = row(r, p.get(0), p.get(1), p.get(2), name, true, slope);
    }
    return List.of(out);
  }

  /** A point of the series whose key columns lead {@code r}. */
  private Row row(
      Row r,
      Object periodStart,
      Object value,
      Object se,
      Object adminName,
      boolean kept,
      Object slope) {
    Object[] cells = new Object[keys + SeriesRows.SLOPE_HINT + 1];
    for (int k = 0; k < keys; k++) {
      cells[k] = r.get(k);
    }
    cells[keys] = periodStart;
    cells[keys + 1] = value;
    cells[keys + 2] = se;
    cells[keys + 3] = adminName;
    cells[keys + SeriesRows.KEPT_POINT] = kept;
    cells[keys + SeriesRows.SLOPE_HINT] = slope;
    return RowFactory.create(cells);
  }
}
