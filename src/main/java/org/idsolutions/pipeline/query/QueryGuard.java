package org.idsolutions.pipeline.query;

import java.util.Locale;
import java.util.Set;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.plans.logical.Command;
import org.apache.spark.sql.catalyst.plans.logical.InsertIntoStatement;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.idsolutions.pipeline.errors.Errors;

/**
 * Lets read-only statements through and refuses everything else, before anything runs: a statement
 * must start with a query keyword and its parsed plan may hold no command or insert anywhere (so
 * {@code WITH ... INSERT} is refused too). {@code SHOW} and {@code DESCRIBE} are allowed as they
 * only read the catalog.
 */
public final class QueryGuard {
  private static final Set<String> QUERY_START =
      Set.of("SELECT", "WITH", "VALUES", "TABLE", "FROM", "(");
  private static final Set<String> CATALOG_READS = Set.of("SHOW", "DESCRIBE", "DESC");

  private QueryGuard() {}

  public static void check(SparkSession spark, String sql) {
    String first = firstKeyword(sql);
    if (CATALOG_READS.contains(first)) {
      return;
    }
    if (!QUERY_START.contains(first)) {
      throw Errors.notAQuery(sql);
    }
    LogicalPlan plan;
    try {
      plan = spark.sessionState().sqlParser().parsePlan(sql);
    } catch (Exception e) { // ParseException
      throw Errors.queryFailed(e.getMessage());
    }
    if (writes(plan)) {
      throw Errors.notAQuery(sql);
    }
  }

  private static boolean writes(LogicalPlan plan) {
    if (plan instanceof Command || plan instanceof InsertIntoStatement) {
      return true;
    }
    scala.collection.Iterator<LogicalPlan> children = plan.children().iterator();
    while (children.hasNext()) {
      if (writes(children.next())) {
        return true;
      }
    }
    scala.collection.Iterator<?> inner = plan.innerChildren().iterator();
    while (inner.hasNext()) {
      Object o = inner.next();
      if (o instanceof LogicalPlan p && writes(p)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The first keyword, after comments and blanks, in upper case ("(" for a parenthesised query).
   */
  static String firstKeyword(String sql) {
    String s = sql.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("(?m)--.*$", " ").strip();
    if (s.startsWith("(")) {
      return "(";
    }
    int end = 0;
    while (end < s.length() && Character.isLetter(s.charAt(end))) {
      end++;
    }
    return s.substring(0, end).toUpperCase(Locale.ROOT);
  }
}
