package org.idsolutions.pipeline.generate;

import java.time.YearMonth;

/**
 * How much of everything a scale asks for. One unit of scale is about 1 M tracking rows, 100 k
 * survey households and 20 k programme activities (DESIGN 10); the base data end in December 2025
 * and the increment adds January 2026, one more survey round and new activities.
 *
 * @param months tracking months in the base data: 36 up to scale 1, then growing with the square
 *     root of the scale so that larger scales mean both more places and a longer history
 * @param admin2Units admin 2 units reported, about three tracking rows each per month
 * @param households survey households in the base data, over two rounds per surveyed country
 * @param activities programme activities in the base data
 */
record Plan(
    double scale,
    long seed,
    YearMonth firstMonth,
    YearMonth lastMonth,
    int months,
    int admin2Units,
    int households,
    int activities) {
  static final YearMonth LAST_BASE_MONTH = YearMonth.of(2025, 12);
  static final double ROWS_PER_UNIT_MONTH = 3.0;

  static Plan of(double scale, long seed) {
    if (!(scale > 0) || scale > 1000) {
      throw new IllegalArgumentException("scale must be above 0 and at most 1000, got " + scale);
    }
    int months = scale <= 1 ? 36 : (int) Math.round(36 * Math.sqrt(scale));
    long rows = Math.round(1_000_000 * scale);
    int units = (int) Math.max(6, Math.round(rows / (months * ROWS_PER_UNIT_MONTH)));
    int households = (int) Math.max(600, Math.round(100_000 * scale));
    int activities = (int) Math.max(100, Math.round(20_000 * scale));
    return new Plan(
        scale,
        seed,
        LAST_BASE_MONTH.minusMonths(months - 1L),
        LAST_BASE_MONTH,
        months,
        units,
        households,
        activities);
  }
}
