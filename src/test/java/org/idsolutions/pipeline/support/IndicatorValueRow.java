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
}
