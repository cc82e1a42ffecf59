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
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        double diff = values[j] - values[i];
        s += Math.signum(diff);
        double months =
            wholeMonths ? month[j] - month[i] : monthsBetween(dates.get(j), dates.get(i));
        slopes[k++] = diff / (months / 12);
      }
    }
    Double median = null;
    if (slopes.length > 0) {
      median = median(slopes) + 0.0; // no negative zero
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
