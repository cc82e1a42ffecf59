package org.idsolutions.pipeline.lakehouse;

import java.time.LocalDate;
import java.util.Collection;
import java.util.stream.Collectors;

/**
 * Literals for the few predicates the pipeline builds as text (Delta replaceWhere and merge
 * conditions).
 */
public final class Sql {
  private Sql() {}

  /** A Spark SQL string literal. */
  public static String literal(String value) {
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  /** {@code column IN ('a', 'b')}. */
  public static String in(String column, Collection<String> values) {
    return column
        + " IN ("
        + values.stream().map(Sql::literal).collect(Collectors.joining(", "))
        + ")";
  }

  /**
   * The periods of indicator_values (month, quarter or year) that hold {@code day} or start after
   * it: {@code ((period_type = 'month' AND period_start >= <its month>) OR (period_type = 'quarter'
   * AND ...) OR (period_type = 'year' AND ...))}.
   */
  public static String periodsFrom(LocalDate day) {
    return "((period_type = 'month' AND period_start >= DATE'"
        + periodStart("month", day)
        + "') OR (period_type = 'quarter' AND period_start >= DATE'"
        + periodStart("quarter", day)
        + "') OR (period_type = 'year' AND period_start >= DATE'"
        + periodStart("year", day)
        + "'))";
  }

  /** The start of the month, quarter or year that holds {@code day}. */
  public static LocalDate periodStart(String periodType, LocalDate day) {
    LocalDate month = day.withDayOfMonth(1);
    return switch (periodType) {
      case "month" -> month;
      case "quarter" -> month.withMonth((month.getMonthValue() - 1) / 3 * 3 + 1);
      case "year" -> day.withDayOfYear(1);
      default -> throw new IllegalArgumentException("not a period type: " + periodType);
    };
  }
}
