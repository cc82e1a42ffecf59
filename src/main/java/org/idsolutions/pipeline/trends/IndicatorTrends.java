package org.idsolutions.pipeline.trends;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.filter;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sqrt;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.idsolutions.pipeline.config.IndicatorRules;
import org.idsolutions.pipeline.lakehouse.Tables;

/**
 * indicators.indicator_trends and indicators.indicator_trend_series (DESIGN 6), all in Spark: one
 * shuffle brings each series' points together in period order (or, for an incremental run, each
 * series' row with its kept points followed by its new points), and {@link SeriesRows} computes
 * every point's figures and the series' statistics in walks over them ({@link #compute}, {@link
 * #walkedFrom}); nothing is collected:
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
  /** The key of a series: family, area, indicator, population group and period type. */
  public static final List<String> SERIES = Tables.INDICATOR_TREND_SERIES.key();

  /** The columns {@link SeriesRows} reads, in its order: the series keys, then the point. */
  private static final List<String> WALK_INPUT =
      Stream.concat(SERIES.stream(), Stream.of("period_start", "value", "se", "admin_name"))
          .toList();

  /**
   * The series' stored slope on its row in an incremental walk's input (see {@link KeptPoints}).
   */
  private static final String SLOPE_HINT = "_slope";

  /** A group of series: every series of one family, country and period type. */
  public static final List<String> GROUP = List.of("source_family", "period_type", "country");

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

  /** The rows of indicators.indicator_trends and indicators.indicator_trend_series. */
  public record Trends(Dataset<Row> points, Dataset<Row> series) {
    /**
     * The two tables' rows from the (persisted) rows of {@link #walkedFrom}, the points with each
     * group's latest period apart ({@link #latestApart}).
     */
    public static Trends of(Dataset<Row> walked) {
      return new Trends(
          latestApart(walked.where(not(col(SeriesRows.IS_SERIES)))),
          walked.where(col(SeriesRows.IS_SERIES)));
    }
  }

  /** The latest period start of a point's group, in {@link #latestApart}. */
  private static final String GROUP_LATEST = "_group_latest";

  /**
   * The points with each group's latest period in tasks of their own, after the others: written in
   * the table's file order, they make files of their own, and the next run's replaceWhere, which
   * starts at the period that holds a group's latest report (a new month of tracking replaces the
   * month, quarter and year that hold the report before it), drops those files whole instead of
   * copying the older points that shared them (docs/performance.md, change 95; {@code
   * TrackingIndicators.fromEnriched} does the same for indicator_values). The latest periods are
   * read first, one row per group, so that the two halves do not aggregate the points again:
   * persist them. Write the result with {@code spark.sql.unionOutputPartitioning} off
   * (Lakehouse.overwrite does), or Spark may join the halves' i-th tasks.
   */
  static Dataset<Row> latestApart(Dataset<Row> points) {
    Dataset<Row> perGroup = points.groupBy(cols(GROUP)).agg(max("period_start").as(GROUP_LATEST));
    Dataset<Row> latest =
        points.sparkSession().createDataFrame(perGroup.collectAsList(), perGroup.schema());
    Dataset<Row> marked = points.join(broadcast(latest), GROUP.toArray(new String[0]));
    Column isLatest = coalesce(col("period_start").equalTo(col(GROUP_LATEST)), lit(false));
    return marked.where(not(isLatest)).unionByName(marked.where(isLatest)).drop(GROUP_LATEST);
  }

  /**
   * Both tables' rows, each from its own walk over one shuffle of the points: the first query runs
   * the shuffle, and the two tables' writes each walk its output, the points without the pairwise
   * statistics. For a full recomputation, where keeping one walk's rows for both writes (all the
   * points) cost more than the second walk (docs/performance.md, change 67).
   *
   * @param values indicator_values rows, whole series (all rows of any series they touch)
   * @param higherIsBetter whether the row's indicator improves when it rises: a condition on {@code
   *     indicator_id} (see {@link #polarity})
   */
  public static Trends compute(Dataset<Row> values, Column higherIsBetter, String runId) {
    Dataset<Row> sorted = sortedPoints(values);
    // an RDD, so that both walks read the one shuffle (two queries would shuffle twice)
    JavaRDD<Row> shuffled = sorted.javaRDD();
    SparkSession spark = sorted.sparkSession();
    StructType schema = walkSchema(sorted.schema());
    Dataset<Row> points =
        spark.createDataFrame(shuffled.mapPartitions(walk(SeriesRows.Emit.POINTS)::call), schema);
    Dataset<Row> series =
        spark.createDataFrame(shuffled.mapPartitions(walk(SeriesRows.Emit.SERIES)::call), schema);
    return new Trends(finish(points, higherIsBetter, runId), finish(series, higherIsBetter, runId));
  }

  /**
   * Both tables' rows from one walk, for series whose points before a first changed period are
   * unchanged: each new point, and after a series' points one row for the series ({@link
   * SeriesRows}), told apart by {@link SeriesRows#IS_SERIES} ({@link Trends#of}). Each series'
   * points are those of its row in {@code state} (indicator_trend_series, with its {@link
   * SeriesRows#POINTS}) before its group's first change, then those of {@code newValues}. One
   * shuffle sorts each series' row before its new points, and {@link KeptPoints} turns the row back
   * into points for the walk, so only the new points are shuffled one by one (docs/performance.md,
   * change 68). The kept points count in the statistics and in the new points' figures but give no
   * rows (change 73): the points are those of {@code newValues}. Persist the rows before writing
   * both tables, so that the walk runs once.
   *
   * @param state indicator_trend_series rows of the changed groups
   * @param newValues indicator_values rows of the changed groups from their first change on
   * @param firstChanges one row per changed group: source_family, period_type, country and
   *     first_change (the period start from which its points may differ)
   */
  public static Dataset<Row> walkedFrom(
      Dataset<Row> state,
      Dataset<Row> newValues,
      Dataset<Row> firstChanges,
      Column higherIsBetter,
      String runId) {
    // series rows: the key, the kept points, admin_name (and nulls where a point has its figures)
    List<Column> seriesRow = new ArrayList<>(Arrays.asList(cols(SERIES)));
    seriesRow.add(
        filter(col(SeriesRows.POINTS), p -> p.getField("period_start").lt(col("first_change")))
            .as(KeptPoints.KEPT));
    seriesRow.add(lit(null).cast(DataTypes.DateType).as("period_start"));
    seriesRow.add(lit(null).cast(DataTypes.DoubleType).as("value"));
    seriesRow.add(lit(null).cast(DataTypes.DoubleType).as("se"));
    seriesRow.add(col("admin_name"));
    seriesRow.add(col("theil_sen_slope_per_year").as(SLOPE_HINT));
    Dataset<Row> kept =
        state
            .join(broadcast(firstChanges), GROUP.toArray(new String[0]))
            .select(seriesRow.toArray(new Column[0]));
    List<Column> pointRow = new ArrayList<>(Arrays.asList(cols(SERIES)));
    pointRow.add(lit(null).cast(Tables.TREND_POINTS).as(KeptPoints.KEPT));
    pointRow.addAll(Arrays.asList(cols(WALK_INPUT.subList(SERIES.size(), WALK_INPUT.size()))));
    pointRow.add(lit(null).cast(DataTypes.DoubleType).as(SLOPE_HINT));
    Dataset<Row> newPoints = points(newValues);
    Dataset<Row> added = newPoints.select(pointRow.toArray(new Column[0]));
    // each series' row first, then its new points in period order
    List<Column> order = new ArrayList<>(Arrays.asList(cols(SERIES)));
    order.add(col(KeptPoints.KEPT).isNull());
    order.add(col("period_start"));
    Dataset<Row> sorted =
        kept.unionByName(added)
            .repartition(cols(SERIES))
            .sortWithinPartitions(order.toArray(new Column[0]));
    return finish(
        sorted.mapPartitions(
            new KeptPoints(walk(SeriesRows.Emit.BOTH), SERIES.size()),
            Encoders.row(walkSchema(newPoints.schema()))),
        higherIsBetter,
        runId);
  }

  /**
   * One point per series and period, hashed by series and sorted by series and period start in one
   * shuffle, in the walk's input layout.
   */
  private static Dataset<Row> sortedPoints(Dataset<Row> values) {
    // by series, then period start: the walk input's leading columns
    List<String> order = WALK_INPUT.subList(0, SERIES.size() + 1);
    return points(values).repartition(cols(SERIES)).sortWithinPartitions(cols(order));
  }

  /**
   * One point per series and period, in the walk's input layout. Only surveys can have two points
   * in one period (several rounds in a year: the latest round is taken); the other families' stages
   * write one value per area, period and indicator, so their rows skip the window (and its sort of
   * every value).
   */
  private static Dataset<Row> points(Dataset<Row> values) {
    List<String> byPoint = new ArrayList<>(SERIES);
    byPoint.add("period_start");
    Dataset<Row> present = values.where(col("value").isNotNull());
    Dataset<Row> latestRounds =
        present
            .where(col("source_family").equalTo("survey"))
            .withColumn(
                "_pick",
                row_number()
                    .over(
                        Window.partitionBy(cols(byPoint))
                            .orderBy(coalesce(col("survey_round"), lit("")).desc())))
            .where(col("_pick").equalTo(1))
            .drop("_pick");
    return present
        .where(col("source_family").notEqual("survey"))
        .unionByName(latestRounds)
        .select(cols(WALK_INPUT));
  }

  /** The tests, direction, polarity and run id on the walk's rows. */
  private static Dataset<Row> finish(Dataset<Row> walked, Column higherIsBetter, String runId) {
    return withSeriesTests(walked)
        .withColumn("change_significant", col("change_z").gt(1.96))
        .withColumn("higher_is_better", higherIsBetter)
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
        .withColumn("run_id", lit(runId));
  }

  /**
   * The walk of {@link SeriesRows} over the sorted points, one series at a time in plain loops.
   * There is no built-in for a median of pairwise slopes (the same in higher-order functions was
   * the stage's largest cost), and computing the lags, rolling mean and year-on-year change in the
   * walk saves a window's sort of every point. (The points were collected per series with {@code
   * collect_list}, an object aggregation that sorts on both sides of the shuffle beyond 128 series
   * a task; docs/performance.md, change 50.)
   */
  private static SeriesRows walk(SeriesRows.Emit emit) {
    return new SeriesRows(
        emit, SERIES.size(), SERIES.indexOf("period_type"), SERIES.indexOf("source_family"));
  }

  /** The walk's rows: the series keys, admin name, point columns, series columns, series flag. */
  private static StructType walkSchema(StructType input) {
    StructType schema = new StructType();
    for (String k : SERIES) {
      schema = schema.add(input.apply(k));
    }
    schema = schema.add("admin_name", DataTypes.StringType);
    for (String c : SeriesRows.POINT_COLUMNS) {
      schema = schema.add(c, c.equals("period_start") ? DataTypes.DateType : DataTypes.DoubleType);
    }
    for (String c : SeriesRows.SERIES_COLUMNS) {
      schema =
          schema.add(
              c,
              c.endsWith("period_start")
                  ? DataTypes.DateType
                  : c.equals("series_points") || c.equals("gaps")
                      ? DataTypes.LongType
                      : DataTypes.DoubleType);
    }
    schema = schema.add(SeriesRows.POINTS, Tables.TREND_POINTS);
    return schema.add(SeriesRows.IS_SERIES, DataTypes.BooleanType, false);
  }

  /**
   * Mann-Kendall tau, z and the two-sided p-value of the tie-corrected normal approximation with
   * continuity correction from S, the tie term and the number of points; the statistics of series
   * of fewer than 3 points are null.
   */
  static Dataset<Row> withSeriesTests(Dataset<Row> series) {
    Column n = col("series_points").cast(DataTypes.DoubleType);
    Column variance =
        n.multiply(n.minus(1)).multiply(n.multiply(2).plus(5)).minus(col("tie_term")).divide(18);
    Column s = col("mk_s");
    Column z =
        when(variance.leq(0), lit(0.0))
            .when(s.gt(0), s.minus(1).divide(sqrt(variance)))
            .when(s.lt(0), s.plus(1).divide(sqrt(variance)))
            .otherwise(lit(0.0));
    return series
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

  /**
   * higher_is_better of the row's {@code indicator_id} under the rules, as a column: the ids the
   * rules name, else their default. (It was a table of the distinct ids present, which took one
   * more pass over all of indicator_values; docs/performance.md, change 48.)
   */
  public static Column polarity(IndicatorRules rules) {
    Column out = lit(rules.defaultHigherIsBetter());
    for (String id : rules.namedPolarities()) {
      out = when(col("indicator_id").equalTo(id), lit(rules.higherIsBetter(id))).otherwise(out);
    }
    return out;
  }
}
