package org.idsolutions.pipeline.support;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.idsolutions.pipeline.lakehouse.Tables;

/** indicators.indicator_values rows for test fixtures. */
public final class IndicatorValueRow {
  private IndicatorValueRow() {}

  /** A row of the year period {@code year}, from (column, value) pairs as {@link #of}. */
  public static Row ofYear(int year, Object... namesAndValues) {
    List<Object> cells = new java.util.ArrayList<>();
    cells.addAll(
        List.of(
            "period_type",
            "year",
            "period_start",
            java.sql.Date.valueOf(java.time.LocalDate.of(year, 1, 1)),
            "period_end",
            java.sql.Date.valueOf(java.time.LocalDate.of(year, 12, 31))));
    cells.addAll(java.util.Arrays.asList(namesAndValues));
    return of(cells.toArray());
  }

  /**
   * A row in the table's column order from (column, value) pairs; a column not named is null,
   * except {@code suppressed} (false), {@code quality_flags} (none) and {@code run_id} ("r").
   */
  public static Row of(Object... namesAndValues) {
    Map<String, Object> cells = new HashMap<>();
    cells.put("suppressed", false);
    cells.put("quality_flags", List.of());
    cells.put("run_id", "r");
    for (int i = 0; i < namesAndValues.length; i += 2) {
      String name = (String) namesAndValues[i];
      if (Tables.INDICATOR_VALUES.schema().getFieldIndex(name).isEmpty()) {
        throw new IllegalArgumentException("no column " + name + " in indicator_values");
      }
      cells.put(name, namesAndValues[i + 1]);
    }
    String[] names = Tables.INDICATOR_VALUES.schema().fieldNames();
    Object[] row = new Object[names.length];
    for (int i = 0; i < names.length; i++) {
      row[i] = cells.get(names[i]);
    }
    return RowFactory.create(row);
  }

  /**
   * A lakehouse whose indicators.indicator_values holds exactly {@code rows} (created when
   * missing), for tests of what is built from it.
   */
  public static void write(String lakehouse, List<Row> rows) {
    org.apache.spark.sql.SparkSession spark = SparkTestSession.get();
    org.idsolutions.pipeline.lakehouse.Lakehouse lh =
        new org.idsolutions.pipeline.lakehouse.Lakehouse(spark, lakehouse);
    lh.ensure(Tables.INDICATOR_VALUES);
    lh.overwrite(
        spark.createDataFrame(rows, Tables.INDICATOR_VALUES.schema()),
        Tables.INDICATOR_VALUES,
        null);
  }
}
