package org.idsolutions.pipeline.trends;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.util.KthSelector;
import org.apache.commons.math3.util.MedianOf3PivotingStrategy;

/**
 * Mann-Kendall S, its tie term, the Theil-Sen slope and the gap count of one series, from its
 * points in date order. Plain loops over primitive arrays: every pair of a series' points is
 * visited once (a 114-month series has 6,441 pairs), where Spark's higher-order functions built an
 * object per pair and evaluated each lambda interpretively.
 *
 * @param points the number of points
 * @param mannKendallS the sum over pairs (i before j) of sign(value_j - value_i)
 * @param tieTerm sum over tied groups of t(t-1)(2t+5), for the variance of S
 * @param theilSenSlopePerYear the median of the pairwise slopes per year; null with fewer than 2
 *     points
 * @param gaps the periods missing between the first and the last point
 */
record SeriesStats(
    long points, double mannKendallS, double tieTerm, Double theilSenSlopePerYear, long gaps) {

  /**
   * @param dates the points' period starts, ascending
   * @param values the points' values, in the same order
   * @param stepMonths the period length in months (1, 3 or 12)
   */
  static SeriesStats of(List<LocalDate> dates, double[] values, int stepMonths) {
    return of(dates, values, stepMonths, null);
  }

  /**
   * As {@link #of(List, double[], int)}, with a value near the slopes' median (the series' slope
   * before its new points, in an incremental run; null when there is none): the median is then
   * found from the slopes' counts below and at it ({@link #medianNear}), not by selection over all
   * of them. The result is the same.
   */
  static SeriesStats of(List<LocalDate> dates, double[] values, int stepMonths, Double hint) {
    int n = values.length;
    if (n == 0) {
      return new SeriesStats(0, 0, 0, null, 0);
    }
    // Period starts share their day of month (the first), so two points are a whole number of
    // months apart: each point's month index, computed once, spares a date calculation per pair.
    int[] month = new int[n];
    boolean wholeMonths = true;
    for (int i = 0; i < n; i++) {
      LocalDate d = dates.get(i);
      month[i] = d.getYear() * 12 + d.getMonthValue();
      wholeMonths &= d.getDayOfMonth() == dates.get(0).getDayOfMonth();
    }
    double[] slopes = new double[n * (n - 1) / 2];
    double s = 0;
    int k = 0;
    boolean near = hint != null && Double.isFinite(hint);
    double h = near ? hint : 0;
    int below = 0;
    int at = 0;
    int above = 0;
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        double diff = values[j] - values[i];
        s += Math.signum(diff);
        double months =
            wholeMonths ? month[j] - month[i] : monthsBetween(dates.get(j), dates.get(i));
        double slope = diff / (months / 12);
        slopes[k++] = slope;
        below += slope < h ? 1 : 0;
        at += slope == h ? 1 : 0;
        above += slope > h ? 1 : 0;
      }
    }
    Double median = null;
    if (slopes.length > 0) {
      // a NaN slope is neither below, at nor above the hint: selection then orders it as before
      Double m = near && below + at + above == k ? medianNear(slopes, h, below, at) : null;
      median = (m != null ? m : median(slopes)) + 0.0; // no negative zero
    }
    Map<Double, Integer> ties = new HashMap<>();
    for (double v : values) {
      ties.merge(v + 0.0, 1, Integer::sum);
    }
    double tieTerm = 0;
    for (int t : ties.values()) {
      tieTerm += (double) t * (t - 1) * (2.0 * t + 5);
    }
    long gaps = (long) (monthsBetween(dates.get(n - 1), dates.get(0)) / stepMonths + 1 - n);
    return new SeriesStats(n, s, tieTerm, median, gaps);
  }

  /**
   * The median, by selection rather than a full sort (a 114-month series has 6,441 slopes); the
   * array is reordered.
   */
  static double median(double[] values) {
    int m = values.length / 2;
    double upper = new KthSelector(new MedianOf3PivotingStrategy()).select(values, null, m);
    if (values.length % 2 == 1) {
      return upper;
    }
    // after selecting the m-th value, the values before it are the m smallest
    double lower = values[0];
    for (int i = 1; i < m; i++) {
      lower = Math.max(lower, values[i]);
    }
    return (lower + upper) / 2;
  }

  /**
   * The median of {@code values}, none of them NaN, given a value {@code h} of which {@code below}
   * values are smaller and {@code at} equal: the middle ranks are h itself or lie a few ranks to
   * one side of it, among the values on that side nearest h, which one pass with a small heap
   * finds. Null when h is too far from the middle for that (more than an eighth of the values
   * between them): select over all values then. The array is not reordered.
   */
  static Double medianNear(double[] values, double h, int below, int at) {
    int n = values.length;
    int m = n / 2;
    if (n % 2 == 1) {
      return rankNear(values, m, h, below, at);
    }
    // ranks m - 1 and m: from one pass when both lie on one side of h
    if (m - 1 >= below + at || m < below) {
      boolean above = m - 1 >= below + at;
      double[] heap = nearest(values, h, above, above ? m - below - at + 1 : below - m + 1);
      if (heap == null) {
        return null;
      }
      // the farthest of the nearest values is the root, the next farthest one of its children
      double farthest = above ? heap[0] : -heap[0];
      double next = heap.length > 2 ? Math.max(heap[1], heap[2]) : heap[1];
      next = above ? next : -next;
      return (farthest + next) / 2;
    }
    Double lower = rankNear(values, m - 1, h, below, at);
    Double upper = lower == null ? null : rankNear(values, m, h, below, at);
    return upper == null ? null : (lower + upper) / 2;
  }

  /**
   * The value of 0-based rank {@code r} (see {@link #medianNear}), or null when r is far from h.
   */
  private static Double rankNear(double[] values, int r, double h, int below, int at) {
    if (r >= below && r < below + at) {
      return h;
    }
    boolean above = r >= below + at;
    double[] heap = nearest(values, h, above, above ? r - below - at + 1 : below - r);
    return heap == null ? null : above ? heap[0] : -heap[0];
  }

  /**
   * The {@code t} values above h (or below it) nearest h, as a max-heap of their distances' keys
   * (the value above, its negation below), so the root is the t-th nearest; null when t is more
   * than an eighth of the values. There must be at least t values on that side. One compare per
   * value decides whether it can enter the heap, and few do, so the loop's branch is predictable
   * (testing which side of h each value lies on first was a branch taken half the time at random).
   */
  private static double[] nearest(double[] values, double h, boolean above, int t) {
    if (t > Math.max(16, values.length / 8)) {
      return null;
    }
    double sign = above ? 1 : -1;
    double from = h * sign;
    double limit = Double.POSITIVE_INFINITY; // the root, once the heap is full
    double[] heap = new double[t];
    int size = 0;
    for (double v : values) {
      double key = v * sign;
      if (key > from & key < limit) {
        if (size < t) {
          int i = size++;
          while (i > 0 && heap[(i - 1) / 2] < key) {
            heap[i] = heap[(i - 1) / 2];
            i = (i - 1) / 2;
          }
          heap[i] = key;
        } else {
          int i = 0;
          while (true) {
            int c = 2 * i + 1;
            if (c >= t) {
              break;
            }
            if (c + 1 < t && heap[c + 1] > heap[c]) {
              c++;
            }
            if (heap[c] <= key) {
              break;
            }
            heap[i] = heap[c];
            i = c;
          }
          heap[i] = key;
        }
        if (size == t) {
          limit = heap[0];
        }
      }
    }
    return heap;
  }

  /**
   * Spark's {@code months_between(later, earlier)} for dates: whole months when the days of month
   * match or both are month ends, else the day difference over 31, rounded to 8 digits.
   */
  static double monthsBetween(LocalDate later, LocalDate earlier) {
    int months =
        (later.getYear() - earlier.getYear()) * 12
            + later.getMonthValue()
            - earlier.getMonthValue();
    boolean bothMonthEnds =
        later.getDayOfMonth() == later.lengthOfMonth()
            && earlier.getDayOfMonth() == earlier.lengthOfMonth();
    if (later.getDayOfMonth() == earlier.getDayOfMonth() || bothMonthEnds) {
      return months;
    }
    double diff = months + (later.getDayOfMonth() - earlier.getDayOfMonth()) / 31.0;
    return Math.round(diff * 1e8) / 1e8;
  }
}
