package org.idsolutions.pipeline.report;

import java.util.Locale;

/** How the report prints numbers: "–" for none, thousands separators, fixed decimals. */
final class Fmt {
  static final String NONE = "–";

  private Fmt() {}

  /** A count of people or things, rounded: {@code 297,079}. */
  static String count(Double v) {
    return v == null ? NONE : String.format(Locale.ROOT, "%,.0f", v);
  }

  /** US dollars: {@code $38.9 million} from one million up, else {@code $950,000}. */
  static String usd(Double v) {
    if (v == null) {
      return NONE;
    }
    if (Math.abs(v) >= 1e9) {
      return String.format(Locale.ROOT, "$%,.2f billion", v / 1e9);
    }
    if (Math.abs(v) >= 1e6) {
      return String.format(Locale.ROOT, "$%,.1f million", v / 1e6);
    }
    return String.format(Locale.ROOT, "$%,.0f", v);
  }

  /** A share from 0 to 1 as a percentage: {@code 7.9%}. */
  static String share(Double v) {
    return v == null ? NONE : String.format(Locale.ROOT, "%.1f%%", 100 * v);
  }

  /** A confidence level: {@code 95%}, {@code 99.5%}. */
  static String level(double v) {
    return new java.math.BigDecimal(String.valueOf(100 * v))
            .setScale(4, java.math.RoundingMode.HALF_UP)
            .stripTrailingZeros()
            .toPlainString()
        + "%";
  }

  /** A change already in percent, with its sign: {@code +14.9%}. */
  static String change(Double pct) {
    return pct == null ? NONE : String.format(Locale.ROOT, "%+.1f%%", pct);
  }

  /** A plain number with one decimal: {@code 48.2}. */
  static String decimal(Double v) {
    return v == null ? NONE : String.format(Locale.ROOT, "%,.1f", v);
  }

  /** A share with its interval: {@code 12.1% (9.8–14.9%)}. */
  static String shareWithInterval(Double v, Double low, Double high) {
    if (v == null) {
      return NONE;
    }
    if (low == null || high == null) {
      return share(v);
    }
    return share(v) + String.format(Locale.ROOT, " (%.1f–%.1f%%)", 100 * low, 100 * high);
  }

  /** A count with its interval: {@code 41,425 (33,400–50,800)}. */
  static String countWithInterval(Double v, Double low, Double high) {
    if (v == null) {
      return NONE;
    }
    if (low == null || high == null) {
      return count(v);
    }
    return count(v) + " (" + count(low) + "–" + count(high) + ")";
  }
}
