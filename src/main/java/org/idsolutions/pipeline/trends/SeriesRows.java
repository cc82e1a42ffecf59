package org.idsolutions.pipeline.trends;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * A partition of points, each series' points together and in period order (the key columns first,
 * then period_start, value, se and admin_name, and optionally {@link #KEPT_POINT}), to one of two
 * outputs. Only one series' points are held at a time.
 *
 * <ul>
 *   <li>{@link Emit#POINTS}: one row per point: the key columns, admin_name, period_start and the
 *       {@link #POINT_COLUMNS}, a walk of linear time;
 *   <li>{@link Emit#SERIES}: one row per series: the key columns, the last point's admin_name, the
 *       first and last period start, the statistics from {@link SeriesStats} (points, gaps,
 *       Mann-Kendall S, tie term, Theil-Sen slope per year), which visit every pair of points, and
 *       the series' {@link #POINTS}.
 * </ul>
 *
 * <p>Per point, with the series ordered by period start (one point per period):
 *
 * <ul>
 *   <li>previous_value: the point before; change = value - previous_value; pct_change = change x
 *       100 / |previous_value| when that is not 0;
 *   <li>yoy_change: value minus the value of the period starting 12 months before, when the series
 *       has one;
 *   <li>rolling_mean_3: the mean of the point and the (up to) two before it;
 *   <li>change_z, surveys only: |change| / sqrt(se^2 + previous se^2) when both standard errors are
 *       known and not both 0.
 * </ul>
 */
final class SeriesRows implements MapPartitionsFunction<Row, Row> {
  static final List<String> POINT_COLUMNS =
      List.of(
          "period_start",
          "value",
          "se",
          "previous_value",
          "change",
          "pct_change",
          "yoy_change",
          "rolling_mean_3",
          "change_z");

  static final List<String> SERIES_COLUMNS =
      List.of(
          "first_period_start",
          "last_period_start",
          "series_points",
          "gaps",
          "mk_s",
          "tie_term",
          "theil_sen_slope_per_year");

  /**
   * The column after {@link #SERIES_COLUMNS}: on a series row, the series' points in period order
   * (period_start, value and se of each: {@link
   * org.idsolutions.pipeline.lakehouse.Tables#TREND_POINTS}); null on a point. An incremental run
   * walks a changed series from these and its new points instead of shuffling and sorting every
   * point of it again.
   */
  static final String POINTS = "points";

  /** The last column: true on a series row, false on a point. */
  static final String IS_SERIES = "_series_row";

  /**
   * Where an optional input cell follows admin_name, after the key columns ({@link KeptPoints}):
   * true on a point whose row is already written and unchanged. The walk emits no point row for it;
   * the point still counts in its series' statistics and in the figures of the points after it. An
   * incremental walk of a 114-month series so emits its new point, not 114 rows of which 113 were
   * filtered out again after being built and converted (docs/performance.md, change 73).
   */
  static final int KEPT_POINT = 4;

  /**
   * Where a second optional input cell follows {@link #KEPT_POINT}: on the first point of a series,
   * a value near its slopes' median (the slope stored for it before its new points), or null. The
   * statistics then find the median from it rather than by selection over every pairwise slope, a
   * fifth of an incremental trends run's task time at scale 10 (docs/performance.md, change 82).
   */
  static final int SLOPE_HINT = KEPT_POINT + 1;

  /** Which rows a walk emits. */
  enum Emit {
    POINTS,
    SERIES,
    BOTH
  }

  private final Emit emit;
  private final int keys;
  private final int typeIndex;
  private final int familyIndex;

  /**
   * @param emit the rows to emit: the points only (without the pairwise statistics, which are most
   *     of the walk's time), the series only, or both
   * @param keys the number of key columns, first in each input row; period_start, value, se and
   *     admin_name follow them
   * @param typeIndex where the period type is among the keys
   * @param familyIndex where the source family is among the keys
   */
  SeriesRows(Emit emit, int keys, int typeIndex, int familyIndex) {
    this.emit = emit;
    this.keys = keys;
    this.typeIndex = typeIndex;
    this.familyIndex = familyIndex;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> input) {
    return new Iterator<>() {
      private Row pending; // the first point of the next series
      private Iterator<Row> current = Collections.emptyIterator();

      @Override
      public boolean hasNext() {
        while (!current.hasNext()) {
          if (pending == null && !input.hasNext()) {
            return false;
          }
          current = walk(nextSeries()).iterator();
        }
        return true;
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return current.next();
      }

      private List<Row> nextSeries() {
        Row first = pending != null ? pending : input.next();
        pending = null;
        List<Row> pts = new ArrayList<>();
        pts.add(first);
        while (input.hasNext()) {
          Row r = input.next();
          if (!sameSeries(first, r)) {
            pending = r;
            break;
          }
          pts.add(r);
        }
        return pts;
      }
    };
  }

  private boolean sameSeries(Row a, Row b) {
    for (int k = 0; k < keys; k++) {
      if (!Objects.equals(a.get(k), b.get(k))) {
        return false;
      }
    }
    return true;
  }

  /** The rows of one series, given its points in period order. */
  List<Row> walk(List<Row> pts) {
    int n = pts.size();
    Row series = pts.get(0);
    List<LocalDate> dates = new ArrayList<>(n);
    int[] months = new int[n];
    double[] values = new double[n];
    Double[] ses = new Double[n];
    for (int i = 0; i < n; i++) {
      Row p = pts.get(i);
      Object d = p.get(keys);
      LocalDate date = d instanceof LocalDate ld ? ld : ((java.sql.Date) d).toLocalDate();
      dates.add(date);
      months[i] = date.getYear() * 12 + date.getMonthValue();
      values[i] = p.getDouble(keys + 1);
      ses[i] = p.isNullAt(keys + 2) ? null : p.getDouble(keys + 2);
    }
    boolean survey = "survey".equals(series.getString(familyIndex));
    int width = keys + 1 + POINT_COLUMNS.size() + SERIES_COLUMNS.size() + 2;
    List<Row> out = new ArrayList<>(n + 1);
    for (int i = 0; emit != Emit.SERIES && i < n; i++) {
      Row p = pts.get(i);
      if (p.length() > keys + KEPT_POINT && p.getBoolean(keys + KEPT_POINT)) {
        continue; // a kept point: its row is written already
      }
      Object[] row = new Object[width];
      for (int k = 0; k < keys; k++) {
        row[k] = series.get(k);
      }
      int c = keys;
      row[c++] = p.get(keys + 3); // admin_name
      row[c++] = p.get(keys); // period_start, as the session represents dates
      Double previous = i > 0 ? values[i - 1] : null;
      Double change = previous == null ? null : values[i] - previous;
      int yearBefore = Arrays.binarySearch(months, 0, i, months[i] - 12);
      Double changeZ = null;
      if (survey && change != null && ses[i] != null && ses[i - 1] != null) {
        double changeSe = Math.sqrt(ses[i] * ses[i] + ses[i - 1] * ses[i - 1]);
        if (changeSe > 0) {
          changeZ = Math.abs(change) / changeSe;
        }
      }
      double sum = 0;
      int from = Math.max(0, i - 2);
      for (int j = from; j <= i; j++) {
        sum += values[j];
      }
      row[c++] = values[i];
      row[c++] = ses[i];
      row[c++] = previous;
      row[c++] = change;
      row[c++] = previous == null || previous == 0 ? null : change * 100 / Math.abs(previous);
      row[c++] = yearBefore >= 0 ? values[i] - values[yearBefore] : null;
      row[c++] = sum / (i - from + 1);
      row[c] = changeZ;
      row[width - 1] = false;
      out.add(RowFactory.create(row));
    }
    if (emit == Emit.POINTS) {
      return out;
    }
    Double hint =
        series.length() > keys + SLOPE_HINT && !series.isNullAt(keys + SLOPE_HINT)
            ? series.getDouble(keys + SLOPE_HINT)
            : null;
    SeriesStats st =
        SeriesStats.of(dates, values, IndicatorTrends.months(series.getString(typeIndex)), hint);
    Object[] row = new Object[width];
    for (int k = 0; k < keys; k++) {
      row[k] = series.get(k);
    }
    row[keys] = pts.get(n - 1).get(keys + 3); // the latest admin_name
    int c = keys + 1 + POINT_COLUMNS.size();
    row[c++] = series.get(keys); // first period_start, as the session represents dates
    row[c++] = pts.get(n - 1).get(keys); // last period_start
    row[c++] = st.points();
    row[c++] = st.gaps();
    row[c++] = st.mannKendallS();
    row[c++] = st.tieTerm();
    row[c++] = st.theilSenSlopePerYear();
    Row[] points = new Row[n];
    for (int i = 0; i < n; i++) {
      points[i] = RowFactory.create(pts.get(i).get(keys), values[i], ses[i]);
    }
    row[c] = points;
    row[width - 1] = true;
    out.add(RowFactory.create(row));
    return out;
  }
}
