package org.idsolutions.pipeline.stage;

import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;
import org.idsolutions.pipeline.errors.Errors;

/**
 * A backfill's window ({@code --from/--to}): the indicator stages recompute, in every country, the
 * periods that overlap it, besides what their inputs' changes reach. A changed setting then applies
 * to the window's periods only. Either end can be open (null): from the first period, or to the
 * last.
 *
 * @param from the window's first day, or null for no lower bound
 * @param to the window's last day, or null for no upper bound
 */
public record Backfill(LocalDate from, LocalDate to) {
  /** The lower bound an open start stands for in date filters. */
  public static final LocalDate EARLIEST = LocalDate.of(1900, 1, 1);

  /** The upper bound an open end stands for in date filters. */
  public static final LocalDate LATEST = LocalDate.of(9999, 12, 31);

  private static final Pattern YEAR = Pattern.compile("\\d{4}");
  private static final Pattern MONTH = Pattern.compile("\\d{4}-\\d{2}");

  public Backfill {
    if (from == null && to == null) {
      throw new IllegalArgumentException("a backfill needs --from, --to or both");
    }
    if (from != null && to != null && from.isAfter(to)) {
      throw Errors.usage("--from " + from + " is after --to " + to + ": give --from <= --to");
    }
  }

  /**
   * The window of {@code --from} and {@code --to} as given (each {@code YYYY}, {@code YYYY-MM} or
   * {@code YYYY-MM-DD}; null when absent): {@code --from} is the first day of what it names, {@code
   * --to} the last. Null when neither is given.
   */
  public static Backfill parse(String from, String to) {
    if (from == null && to == null) {
      return null;
    }
    return new Backfill(
        from == null ? null : day("--from", from, false),
        to == null ? null : day("--to", to, true));
  }

  private static LocalDate day(String option, String text, boolean last) {
    try {
      if (YEAR.matcher(text).matches()) {
        int year = Integer.parseInt(text);
        return last ? LocalDate.of(year, 12, 31) : LocalDate.of(year, 1, 1);
      }
      if (MONTH.matcher(text).matches()) {
        YearMonth month = YearMonth.parse(text);
        return last ? month.atEndOfMonth() : month.atDay(1);
      }
      return LocalDate.parse(text);
    } catch (DateTimeParseException e) {
      throw Errors.usage(
          option
              + " '"
              + text
              + "' is not a date: give YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2025, 2025-01, 2025-01-15)");
    }
  }

  /** The first day, {@link #EARLIEST} when the window has no lower bound. */
  public LocalDate first() {
    return from == null ? EARLIEST : from;
  }

  /** The last day, {@link #LATEST} when the window has no upper bound. */
  public LocalDate last() {
    return to == null ? LATEST : to;
  }

  /** The window as its options: {@code --from 2025-01-01 --to 2025-06-30}. */
  @Override
  public String toString() {
    return ((from == null ? "" : "--from " + from) + (to == null ? "" : " --to " + to)).strip();
  }
}
