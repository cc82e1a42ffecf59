package org.idsolutions.pipeline.lakehouse;

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
}
