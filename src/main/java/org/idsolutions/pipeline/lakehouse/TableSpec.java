package org.idsolutions.pipeline.lakehouse;

import java.util.List;
import org.apache.spark.sql.types.StructType;

/**
 * One Delta table of the lakehouse: where it lives, what a row is (grain), its key, its columns
 * with comments, and how it is partitioned.
 *
 * @param layer raw, conformed, quarantine, indicators, ops or reference (the folder and the SQL
 *     schema name)
 * @param name table name within the layer
 * @param description what the table is for (the Delta table comment)
 * @param grain what one row is
 * @param key the columns that identify a row
 * @param schema columns, each with a comment
 * @param partitionBy partition columns (low cardinality only)
 * @param changeDataFeed whether the table keeps Delta's change data feed (for incremental
 *     downstream work)
 */
public record TableSpec(
    String layer,
    String name,
    String description,
    String grain,
    List<String> key,
    StructType schema,
    List<String> partitionBy,
    boolean changeDataFeed) {

  /**
   * The columns Delta keeps file statistics (min, max, nulls) on: the key columns that are not
   * partition columns, which is what replaceWhere, MERGE and lookups filter on. Delta's default,
   * the first 32 columns, cost 4 % of a scale 1 tracking ingest's CPU samples on the raw strings
   * (docs/performance.md change 32).
   */
  public List<String> statsColumns() {
    return key.stream().filter(k -> !partitionBy.contains(k)).toList();
  }

  /** The SQL name, e.g. {@code conformed.tracking_counts}. */
  public String qualifiedName() {
    return layer + "." + name;
  }
}
