package org.idsolutions.pipeline.conform.admin;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Matches input rows to admin units (DESIGN 3.1), in this order: exact p-code; p-code with a format
 * fix (same digits within the country, e.g. {@code TD07} for {@code TCD07}); normalised name within
 * the parent unit; alias. Each lookup is a broadcast join against a small table whose keys are
 * unique (ambiguous names are left out, so they never match by chance).
 *
 * <p>Input columns: {@code country} (ISO3, upper case), {@code admin_level_int}, {@code
 * admin1_code_in}, {@code admin1_name_in}, {@code admin2_code_in}, {@code admin2_name_in}. Output
 * adds {@code country_known}, {@code a1} and {@code a2} (structs of pcode, name, parent_pcode, or
 * null), {@code a1_method} and {@code a2_method}.
 */
public final class AdminMatcher {
  public static final String EXACT = "exact";
  public static final String PCODE_FORMAT = "pcode_format";
  public static final String NAME = "name";
  public static final String ALIAS = "alias";

  private AdminMatcher() {}

  /** The input columns a match depends on. */
  static final List<String> INPUTS =
      List.of(
          "country",
          "admin_level_int",
          "admin1_code_in",
          "admin1_name_in",
          "admin2_code_in",
          "admin2_name_in");

  /**
   * As {@link #match}, for many rows that repeat few units: the distinct input combinations are
   * matched (the lookups' joins then carry six columns, not the whole row) and the result is
   * broadcast back to the rows in one join. The distinct combinations come from one more, narrow,
   * pass over {@code rows}. Measured on the tracking ingest, where ten lookups on the wide rows
   * made one generated method too large for the JIT compiler (docs/performance.md, change 17).
   */
  public static Dataset<Row> matchDistinct(
      Dataset<Row> rows, Dataset<Row> units, Dataset<Row> aliases) {
    return matchDistinct(rows, units, aliases, false);
  }

  /**
   * As {@link #matchDistinct(Dataset, Dataset, Dataset)}; with {@code now}, the matched
   * combinations are computed at once and kept (a local checkpoint), so that the queries that read
   * the result each broadcast that small table instead of building the lookups again: for a caller
   * that caches {@code rows} and reads the matched rows in several queries (the tracking ingest).
   */
  public static Dataset<Row> matchDistinct(
      Dataset<Row> rows, Dataset<Row> units, Dataset<Row> aliases, boolean now) {
    Dataset<Row> matched = match(rows.select(cols(INPUTS)).distinct(), units, aliases);
    if (now) {
      matched = matched.localCheckpoint();
    }
    matched = matched.toDF(renamed(matched.columns()));
    Column on = lit(true);
    for (String c : INPUTS) {
      on = on.and(col(c).eqNullSafe(col("_m_" + c)));
    }
    Dataset<Row> joined = rows.join(broadcast(matched), on, "left");
    for (String c : INPUTS) {
      joined = joined.drop("_m_" + c);
    }
    return joined;
  }

  private static Column[] cols(List<String> names) {
    return names.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
  }

  /** The match's columns with its input columns prefixed, so they can be joined back. */
  private static String[] renamed(String[] columns) {
    String[] out = new String[columns.length];
    for (int i = 0; i < columns.length; i++) {
      out[i] = INPUTS.contains(columns[i]) ? "_m_" + columns[i] : columns[i];
    }
    return out;
  }

  public static Dataset<Row> match(Dataset<Row> rows, Dataset<Row> units, Dataset<Row> aliases) {
    Dataset<Row> countries =
        units
            .select(col("country_code").as("k_country"))
            .distinct()
            .withColumn("country_known", lit(true));
    Dataset<Row> out =
        rows.join(broadcast(countries), col("country").equalTo(col("k_country")), "left")
            .drop("k_country")
            .withColumn("country_known", coalesce(col("country_known"), lit(false)));
    out = resolve(out, units, aliases, 1, "admin1_code_in", "admin1_name_in", col("country"), "a1");
    // A level-2 name is looked up under the admin 1 unit just resolved.
    out =
        resolve(out, units, aliases, 2, "admin2_code_in", "admin2_name_in", col("a1.pcode"), "a2");
    // For a unit found by its own p-code, the reference says who its parent is.
    Column a2ByCode = col("a2_method").isin(EXACT, PCODE_FORMAT);
    Column parentFromA2 =
        struct(
            col("a2.parent_pcode").as("pcode"),
            col("a2_parent_name").as("name"),
            col("country").as("parent_pcode"));
    return out.withColumn(
            "a1_method",
            when(a2ByCode.and(col("a1").isNull()), col("a2_method")).otherwise(col("a1_method")))
        .withColumn("a1", when(a2ByCode, parentFromA2).otherwise(col("a1")))
        .drop("a2_parent_name");
  }

  private static Dataset<Row> resolve(
      Dataset<Row> rows,
      Dataset<Row> units,
      Dataset<Row> aliases,
      int level,
      String codeCol,
      String nameCol,
      Column parent,
      String prefix) {
    Dataset<Row> atLevel = units.where(col("admin_level").equalTo(level));
    Column unit = struct(col("pcode"), col("name"), col("parent_pcode"));

    Dataset<Row> byCode =
        unique(
            atLevel.select(
                col("country_code").as("k1"), col("pcode").as("k2"), unit.as(prefix + "_exact")));
    Dataset<Row> byDigits =
        unique(
            atLevel.select(
                col("country_code").as("k1"),
                AdminKeys.codeDigits(col("pcode")).as("k2"),
                unit.as(prefix + "_fmt")));
    Dataset<Row> byName =
        unique(
            atLevel.select(
                col("country_code").as("k1"),
                col("parent_pcode").as("k2"),
                AdminKeys.nameKey(col("name")).as("k3"),
                unit.as(prefix + "_name")));
    Dataset<Row> byAlias =
        unique(
            aliases
                .where(col("admin_level").equalTo(level))
                .join(atLevel.select("pcode", "name", "parent_pcode"), "pcode")
                .select(
                    col("country_code").as("k1"),
                    AdminKeys.nameKey(col("alias")).as("k2"),
                    unit.as(prefix + "_alias")));

    Column code = AdminKeys.code(col(codeCol));
    Column nameKey = AdminKeys.nameKey(col(nameCol));
    Dataset<Row> out = rows;
    out = lookup(out, byCode, col("country"), code, null);
    out = lookup(out, byDigits, col("country"), AdminKeys.codeDigits(col(codeCol)), null);
    out = lookup(out, byName, col("country"), parent, nameKey);
    out = lookup(out, byAlias, col("country"), nameKey, null);

    Column exact = col(prefix + "_exact");
    Column fmt = col(prefix + "_fmt");
    Column name = col(prefix + "_name");
    Column alias = col(prefix + "_alias");
    out =
        out.withColumn(prefix, coalesce(exact, fmt, name, alias))
            .withColumn(
                prefix + "_method",
                when(exact.isNotNull(), EXACT)
                    .when(fmt.isNotNull(), PCODE_FORMAT)
                    .when(name.isNotNull(), NAME)
                    .when(alias.isNotNull(), ALIAS));
    if (level == 2) {
      Dataset<Row> parentNames =
          units
              .where(col("admin_level").equalTo(1))
              .select(col("pcode").as("k_parent"), col("name").as("a2_parent_name"));
      out =
          out.join(
                  broadcast(parentNames),
                  col(prefix + ".parent_pcode").equalTo(col("k_parent")),
                  "left")
              .drop("k_parent");
    }
    return out.drop(prefix + "_exact", prefix + "_fmt", prefix + "_name", prefix + "_alias");
  }

  /** Left-joins a lookup keyed by k1, k2 (and k3); rows with a null key simply find nothing. */
  private static Dataset<Row> lookup(
      Dataset<Row> rows, Dataset<Row> table, Column key1, Column key2, Column key3) {
    Dataset<Row> withKeys = rows.withColumn("_k1", key1).withColumn("_k2", key2);
    Column on = col("_k1").equalTo(col("k1")).and(col("_k2").equalTo(col("k2")));
    if (key3 != null) {
      withKeys = withKeys.withColumn("_k3", key3);
      on = on.and(col("_k3").equalTo(col("k3")));
    }
    Dataset<Row> joined = withKeys.join(broadcast(table), on, "left");
    return joined.drop("_k1", "_k2", "_k3", "k1", "k2", "k3");
  }

  /** Keeps only keys that identify one unit. */
  private static Dataset<Row> unique(Dataset<Row> table) {
    String[] keys =
        java.util.Arrays.stream(table.columns())
            .filter(c -> c.startsWith("k"))
            .toArray(String[]::new);
    String value = table.columns()[table.columns().length - 1];
    Column[] groupCols =
        java.util.Arrays.stream(keys)
            .map(org.apache.spark.sql.functions::col)
            .toArray(Column[]::new);
    return table
        .where(col(keys[keys.length - 1]).isNotNull())
        .groupBy(groupCols)
        .agg(count(lit(1)).as("_n"), first(col(value)).as(value))
        .where(col("_n").equalTo(1))
        .drop("_n");
  }
}
