package org.idsolutions.pipeline.support;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/**
 * Two tables hold the same rows: matched on their key, every other column equal, doubles within a
 * relative 1e-9 (sums over differently partitioned inputs differ in their last bits).
 */
public final class SameRows {
  private SameRows() {}

  public static void assertSame(
      Dataset<Row> actual, Dataset<Row> expected, List<String> key, String... ignored) {
    List<String> skip = List.of(ignored);
    Dataset<Row> a = actual.alias("a");
    Dataset<Row> e = expected.alias("e");
    Column on = lit(true);
    for (String k : key) {
      on = on.and(col("a." + k).eqNullSafe(col("e." + k)));
    }
    Column differs = lit(false);
    for (StructField f : expected.schema().fields()) {
      if (skip.contains(f.name()) || key.contains(f.name())) {
        continue;
      }
      Column x = col("a." + f.name());
      Column y = col("e." + f.name());
      Column same =
          f.dataType().equals(DataTypes.DoubleType)
              ? x.isNull()
                  .and(y.isNull())
                  .or(abs(x.minus(y)).leq(greatest(lit(1.0), abs(y)).multiply(1e-9)))
              : x.eqNullSafe(y);
      differs = differs.or(same.isNull().or(same.unary_$bang()));
    }
    assertThat(actual.count()).as("rows").isEqualTo(expected.count());
    Dataset<Row> joined = a.join(e, on, "full_outer");
    List<Row> bad =
        joined
            .where(differs.or(col("a." + key.get(0)).isNull()).or(col("e." + key.get(0)).isNull()))
            .limit(5)
            .collectAsList();
    assertThat(bad).as("rows that differ (actual columns, then expected)").isEmpty();
  }

  /**
   * The lakehouse's indicator values as they are now equal those a forced run gives: {@code
   * forcedRun} recomputes them, and the two versions hold the same rows apart from their run ids.
   */
  public static void assertAsForced(
      org.idsolutions.pipeline.lakehouse.Lakehouse lh, Runnable forcedRun) {
    org.idsolutions.pipeline.lakehouse.TableSpec values =
        org.idsolutions.pipeline.lakehouse.Tables.INDICATOR_VALUES;
    long before = lh.version(values);
    forcedRun.run();
    assertSame(lh.readAt(values, before), lh.read(values), values.key(), "run_id");
  }
}
