package org.idsolutions.pipeline.trends;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.months_between;
import static org.apache.spark.sql.functions.percentile;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.signum;
import static org.apache.spark.sql.functions.sqrt;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * indicators.indicator_trends (DESIGN 6), all in Spark (windows and a self-join of each series'
 * points; nothing is collected but the list of indicator ids):
 *
 * <ul>
 *   <li>per period: value, previous value, change, percent change, year-on-year change, 3-period
 *       rolling mean and, for surveys, whether the change from the previous round is significant:
 *       |diff| / sqrt(se1^2 + se2^2) &gt; 1.96;
 *   <li>per series of at least 3 points: Theil-Sen slope per year (median of all pairwise slopes),
 *       Mann-Kendall S, tau (S / (n(n-1)/2)) and the two-sided p-value of the tie-corrected normal
 *       approximation with continuity correction, the number of gaps, and a direction: improving or
 *       worsening when p &lt; 0.05 and the slope is not 0 (by the indicator's polarity), else
 *       stable.
 * </ul>
 */
public final class IndicatorTrends {
  public static final List<String> SERIES =
      List.of(
          "source_family",
          "country",
          "admin_level",
          "admin_code",
          "indicator_id",
          "population_group",
          "period_type");

  private IndicatorTrends() {}

  static Column[] cols(List<String> names) {
    return names.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
  }

  static int months(String periodType) {
    return switch (periodType) {
      case "quarter" -> 3;
      case "year" -> 12;
      default -> 1;
    };
  }

  /**
   * The standard normal CDF from built-in functions: Abramowitz and Stegun 7.1.26 for erfc
   * (absolute error below 1.5e-7), so p-values need no UDF.
   */
  public static Column normalCdf(Column z) {
    Column x = abs(z).divide(Math.sqrt(2));
    Column t = lit(1).divide(lit(1).plus(x.multiply(0.3275911)));
    Column poly =
        t.multiply(
            lit(0.254829592)
                .plus(
                    t.multiply(
                        lit(-0.284496736)
                            .plus(
                                t.multiply(
                                    lit(1.421413741)
                                        .plus(
                                            t.multiply(
                                                lit(-1.453152027)
                                                    .plus(t.multiply(1.061405429)))))))));
    Column erfc = poly.multiply(exp(x.multiply(x).multiply(-1)));
    Column upper = erfc.divide(2); // P(Z > |z|)
    return when(z.geq(0), lit(1).minus(upper)).otherwise(upper);
  }

  /**
   * @param values indicator_values rows
   * @param higherIsBetter which indicators improve when they rise
   */
  public static Dataset<Row> compute(
      SparkSession spark, Dataset<Row> values, Predicate<String> higherIsBetter, String runId) {
    // one point per series and period (several surveys in one year: the latest round)
    List<String> byPoint = new ArrayList<>(SERIES);
    byPoint.add("period_start");
    Dataset<Row> points =
        values
            .where(col("value").isNotNull())
            .withColumn(
                "_pick",
                row_number()
                    .over(
                        Window.partitionBy(cols(byPoint))
                            .orderBy(coalesce(col("survey_round"), lit("")).desc())))
            .where(col("_pick").equalTo(1))
            .select(
                col("source_family"),
                col("country"),
                col("admin_level"),
                col("admin_code"),
                col("admin_name"),
                col("indicator_id"),
                col("population_group"),
                col("period_type"),
                col("period_start"),
                col("value"),
                col("se"));

    WindowSpec ordered = Window.partitionBy(cols(SERIES)).orderBy(col("period_start"));
    // the standard error of a change between two rounds; zero when both estimates are certain
    Column changeSe =
        sqrt(col("se").multiply(col("se")).plus(col("previous_se").multiply(col("previous_se"))));
    Column step =
        when(col("period_type").equalTo("year"), 12)
            .when(col("period_type").equalTo("quarter"), 3)
            .otherwise(1);
    Column prevStart = lag(col("period_start"), 1).over(ordered);
    Dataset<Row> perPeriod =
        points
            .withColumn("previous_value", lag(col("value"), 1).over(ordered))
            .withColumn("previous_se", lag(col("se"), 1).over(ordered))
            .withColumn("previous_start", prevStart)
            .withColumn("change", col("value").minus(col("previous_value")))
            .withColumn(
                "pct_change",
                when(
                    col("previous_value").notEqual(0),
                    col("change").multiply(100).divide(abs(col("previous_value")))))
            .withColumn("rolling_mean_3", avg(col("value")).over(ordered.rowsBetween(-2, 0)))
            .withColumn(
                "change_z",
                when(
                    col("source_family")
                        .equalTo("survey")
                        .and(col("se").isNotNull())
                        .and(col("previous_se").isNotNull())
                        .and(changeSe.gt(0)),
                    abs(col("change")).divide(changeSe)))
            .withColumn("change_significant", col("change_z").gt(1.96))
            .withColumn("_step", step);

    // year-on-year: the value 12 months before, when the series has it
    Dataset<Row> yearBefore =
        points.select(
            col("source_family").as("y_family"),
            col("country").as("y_country"),
            col("admin_level").as("y_level"),
            col("admin_code").as("y_code"),
            col("indicator_id").as("y_indicator"),
            col("population_group").as("y_group"),
            col("period_type").as("y_type"),
            col("period_start").as("y_start"),
            col("value").as("y_value"));
    Column sameSeries =
        col("source_family")
            .equalTo(col("y_family"))
            .and(col("country").equalTo(col("y_country")))
            .and(col("admin_level").equalTo(col("y_level")))
            .and(col("admin_code").equalTo(col("y_code")))
            .and(col("indicator_id").equalTo(col("y_indicator")))
            .and(col("population_group").equalTo(col("y_group")))
            .and(col("period_type").equalTo(col("y_type")));
    Dataset<Row> withYoy =
        perPeriod
            .join(
                yearBefore,
                sameSeries.and(
                    col("y_start")
                        .equalTo(
                            org.apache.spark.sql.functions.add_months(col("period_start"), -12))),
                "left")
            .withColumn("yoy_change", col("value").minus(col("y_value")))
            .drop(
                "y_family",
                "y_country",
                "y_level",
                "y_code",
                "y_indicator",
                "y_group",
                "y_type",
                "y_start",
                "y_value");

    Dataset<Row> stats = seriesStats(points);
    Dataset<Row> polarity = polarity(spark, points, higherIsBetter);
    return withYoy
        .join(stats, scala(SERIES), "left")
        .join(polarity, scala(List.of("indicator_id")), "left")
        .withColumn(
            "direction",
            when(col("series_points").lt(3), lit(null).cast(DataTypes.StringType))
                .when(
                    col("mk_p_value").lt(0.05).and(col("theil_sen_slope_per_year").notEqual(0)),
                    when(
                            col("theil_sen_slope_per_year").gt(0).equalTo(col("higher_is_better")),
                            lit("improving"))
                        .otherwise(lit("worsening")))
                .otherwise(lit("stable")))
        .withColumn("run_id", lit(runId))
        .drop("previous_se", "previous_start", "_step");
  }

  /** Mann-Kendall and Theil-Sen per series from all pairs of its points (i before j). */
  static Dataset<Row> seriesStats(Dataset<Row> points) {
    Dataset<Row> a = points.select(withPrefix(points, "a_"));
    Dataset<Row> b = points.select(withPrefix(points, "b_"));
    Column same = lit(true);
    for (String k : SERIES) {
      same = same.and(col("a_" + k).equalTo(col("b_" + k)));
    }
    Dataset<Row> pairs =
        a.join(b, same.and(col("a_period_start").lt(col("b_period_start"))))
            .withColumn(
                "years", months_between(col("b_period_start"), col("a_period_start")).divide(12))
            .withColumn("slope", col("b_value").minus(col("a_value")).divide(col("years")))
            .withColumn("sign", signum(col("b_value").minus(col("a_value"))));
    Column[] aKeys = SERIES.stream().map(k -> col("a_" + k).as(k)).toArray(Column[]::new);
    Dataset<Row> pairStats =
        pairs
            .groupBy(aKeys)
            .agg(
                sum(col("sign")).as("mk_s"),
                percentile(col("slope"), lit(0.5)).as("theil_sen_slope_per_year"));
    Column n = col("series_points").cast(DataTypes.DoubleType);
    List<String> byValue = new ArrayList<>(SERIES);
    byValue.add("value");
    Dataset<Row> ties =
        points
            .groupBy(cols(byValue))
            .agg(count(lit(1)).cast(DataTypes.DoubleType).as("t"))
            .groupBy(cols(SERIES))
            .agg(
                sum(col("t").multiply(col("t").minus(1)).multiply(col("t").multiply(2).plus(5)))
                    .as("tie_term"));
    Dataset<Row> sizes =
        points
            .groupBy(cols(SERIES))
            .agg(
                count(lit(1)).as("series_points"),
                min(col("period_start")).as("_first"),
                max(col("period_start")).as("_last"))
            .withColumn(
                "gaps",
                months_between(col("_last"), col("_first"))
                    .divide(
                        when(col("period_type").equalTo("year"), 12)
                            .when(col("period_type").equalTo("quarter"), 3)
                            .otherwise(1))
                    .plus(1)
                    .minus(col("series_points"))
                    .cast(DataTypes.LongType))
            .drop("_first", "_last");
    Column variance =
        n.multiply(n.minus(1)).multiply(n.multiply(2).plus(5)).minus(col("tie_term")).divide(18);
    Column s = col("mk_s");
    Column z =
        when(variance.leq(0), lit(0.0))
            .when(s.gt(0), s.minus(1).divide(sqrt(variance)))
            .when(s.lt(0), s.plus(1).divide(sqrt(variance)))
            .otherwise(lit(0.0));
    return sizes
        .join(pairStats, scala(SERIES), "left")
        .join(ties, scala(SERIES), "left")
        .withColumn("mk_s", when(col("series_points").geq(3), col("mk_s")))
        .withColumn(
            "theil_sen_slope_per_year",
            when(col("series_points").geq(3), col("theil_sen_slope_per_year")))
        .withColumn(
            "mk_tau", when(col("series_points").geq(3), s.divide(n.multiply(n.minus(1)).divide(2))))
        .withColumn("mk_z", when(col("series_points").geq(3), z))
        .withColumn(
            "mk_p_value",
            when(
                col("series_points").geq(3),
                lit(2).multiply(lit(1).minus(normalCdf(abs(col("mk_z")))))))
        .drop("tie_term", "mk_z");
  }

  private static Column[] withPrefix(Dataset<Row> df, String prefix) {
    return java.util.Arrays.stream(df.columns())
        .map(c -> col(c).as(prefix + c))
        .toArray(Column[]::new);
  }

  /** higher_is_better per indicator id present (a small table built from the distinct ids). */
  static Dataset<Row> polarity(
      SparkSession spark, Dataset<Row> points, Predicate<String> higherIsBetter) {
    List<Row> rows = new ArrayList<>();
    for (Row r : points.select("indicator_id").distinct().collectAsList()) {
      rows.add(RowFactory.create(r.getString(0), higherIsBetter.test(r.getString(0))));
    }
    return spark.createDataFrame(
        rows,
        new StructType()
            .add("indicator_id", DataTypes.StringType)
            .add("higher_is_better", DataTypes.BooleanType));
  }

  static scala.collection.immutable.Seq<String> scala(List<String> names) {
    return scala.jdk.javaapi.CollectionConverters.asScala(names).toList();
  }
}
