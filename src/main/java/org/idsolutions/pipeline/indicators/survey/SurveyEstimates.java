package org.idsolutions.pipeline.indicators.survey;

import static org.apache.spark.sql.functions.any_value;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.sqrt;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Design-based estimates of proportions (means) for domains of a stratified cluster sample, as R's
 * survey package computes them ({@code svydesign(ids=~cluster, strata=~stratum, weights=~w,
 * nest=TRUE)}, {@code svyby(..., svymean, deff=TRUE)}, {@code svyciprop(method="logit")}, {@code
 * survey.lonely.psu="adjust"}); see src/test/resources/survey/README.md for the formulas with R's
 * source.
 *
 * <p>With {@code z_i = w_i (y_i - p) / N} for the domain's observed households: each stratum h with
 * n_h PSUs in the full design adds {@code n_h/(n_h-1) * sum_c (Z_hc - mean_h Z)^2} over all its PSU
 * totals (PSUs without domain members count as 0), or {@code Z^2} when it has one PSU. All in Spark
 * aggregations: nothing is collected but the distinct degrees of freedom.
 */
public final class SurveyEstimates {
  private SurveyEstimates() {}

  /**
   * @param obs one row per (domain, observed household): the domain columns, the design key
   *     columns, {@code stratum}, {@code cluster}, {@code weight} and {@code y} (not null)
   * @param domain the columns that identify a domain; must include every design key column
   * @param designKey the columns that identify one sampling design (e.g. survey_id)
   * @param psus every (design key, stratum, cluster) of the full design; duplicates are fine
   * @return per domain: {@code n, weighted_n, mean, se, deff, df}
   */
  public static Dataset<Row> estimate(
      Dataset<Row> obs, List<String> domain, List<String> designKey, Dataset<Row> psus) {
    Column[] d = cols(domain);
    Dataset<Row> stats =
        obs.groupBy(d)
            .agg(
                count(lit(1)).as("n"),
                sum(col("weight")).as("weighted_n"),
                sum(col("weight").multiply(col("y"))).as("wy"),
                sum(col("weight").multiply(col("y")).multiply(col("y"))).as("wyy"))
            .withColumn("mean", col("wy").divide(col("weighted_n")));

    // The per-domain statistics are broadcast to the households, and every later aggregation
    // carries them along (any_value of columns fixed per domain) instead of joining two per-domain
    // tables at the end: with two sides of similar size, adaptive execution chose the build side of
    // that join differently from run to run, and the slow choice cost seconds (docs/performance.md,
    // change 64).
    Column[] carried = {anyValue("n"), anyValue("weighted_n"), anyValue("mean"), anyValue("wyy")};
    Dataset<Row> z =
        obs.join(
                broadcast(
                    stats.select(concat(d, col("n"), col("mean"), col("weighted_n"), col("wyy")))),
                seq(domain))
            .withColumn(
                "z", col("weight").multiply(col("y").minus(col("mean"))).divide(col("weighted_n")));
    List<String> byPsu = new ArrayList<>(domain);
    byPsu.add("stratum");
    byPsu.add("cluster");
    List<String> byStratum = new ArrayList<>(domain);
    byStratum.add("stratum");
    Dataset<Row> strata =
        z.groupBy(cols(byPsu))
            .agg(sum(col("z")).as("psu_total"), carried)
            .groupBy(cols(byStratum))
            .agg(
                sum(col("psu_total")).as("s1"),
                concat(
                    new Column[] {
                      sum(col("psu_total").multiply(col("psu_total"))).as("s2"),
                      count(lit(1)).as("psus_with_members")
                    },
                    carried));

    List<String> designStratum = new ArrayList<>(designKey);
    designStratum.add("stratum");
    Dataset<Row> sizes =
        psus.groupBy(cols(designStratum)).agg(countDistinct(col("cluster")).as("n_h"));
    Column nh = col("n_h").cast(DataTypes.DoubleType);
    Column centred = col("s2").minus(col("s1").multiply(col("s1")).divide(nh));
    Dataset<Row> variance =
        strata
            .join(broadcast(sizes), seq(designStratum))
            .withColumn(
                "v_h",
                when(col("n_h").gt(1), nh.divide(nh.minus(1)).multiply(centred))
                    .otherwise(col("s2")))
            .groupBy(d)
            .agg(
                sum(col("v_h")).as("variance"),
                concat(
                    new Column[] {sum(col("psus_with_members")).minus(count(lit(1))).as("df")},
                    carried));

    // svyvar(y) * (N - n) / (N n): R's simple-random-sampling variance for deff=TRUE
    Column n = col("n").cast(DataTypes.DoubleType);
    Column bigN = col("weighted_n");
    Column popVar = col("wyy").divide(bigN).minus(col("mean").multiply(col("mean")));
    Column srsVar =
        when(
            col("n").gt(1),
            n.divide(n.minus(1)).multiply(popVar).multiply(bigN.minus(n)).divide(bigN.multiply(n)));
    return variance
        .withColumn("se", sqrt(col("variance")))
        .withColumn("deff", when(srsVar.gt(0), col("variance").divide(srsVar)))
        .select(
            concat(d, col("n"), col("weighted_n"), col("mean"), col("se"), col("deff"), col("df")));
  }

  /**
   * Adds {@code ci_low, ci_high}: {@code expit(logit(p) -/+ t * se / (p (1 - p)))} with t the
   * Student quantile for the domain's degrees of freedom (as svyciprop's logit method). Null when p
   * is 0 or 1 or df < 1.
   */
  public static Dataset<Row> withLogitCi(SparkSession spark, Dataset<Row> estimates, double level) {
    // The estimates (one row per domain) are computed once and kept: the degrees of freedom are
    // read from them here and the rows are written later, and each of the two computed them from
    // the households again (14 s of a 37 s stage at scale 1; docs/performance.md, change 46).
    Dataset<Row> kept = estimates.localCheckpoint();
    List<Row> quantiles = new ArrayList<>();
    for (Row r : kept.select("df").distinct().collectAsList()) {
      if (r.isNullAt(0)) {
        continue;
      }
      long df = r.getLong(0);
      Double t =
          df >= 1
              ? new TDistribution(null, df).inverseCumulativeProbability(1 - (1 - level) / 2)
              : null;
      quantiles.add(RowFactory.create(df, t));
    }
    StructType qSchema =
        new StructType().add("q_df", DataTypes.LongType).add("t", DataTypes.DoubleType);
    Dataset<Row> q = spark.createDataFrame(quantiles, qSchema);
    Column p = col("mean");
    Column ok = p.gt(0).and(p.lt(1)).and(col("t").isNotNull());
    Column eta = log(p.divide(lit(1).minus(p)));
    Column half = col("t").multiply(col("se")).divide(p.multiply(lit(1).minus(p)));
    return kept.join(broadcast(q), col("df").equalTo(col("q_df")), "left")
        .withColumn("ci_low", when(ok, expit(eta.minus(half))))
        .withColumn("ci_high", when(ok, expit(eta.plus(half))))
        .drop("q_df", "t");
  }

  /** A column whose value is the same on every row of the group, carried through an aggregation. */
  private static Column anyValue(String name) {
    return any_value(col(name)).as(name);
  }

  private static Column expit(Column x) {
    return lit(1).divide(lit(1).plus(exp(x.multiply(-1))));
  }

  static Column[] cols(List<String> names) {
    return names.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
  }

  static Column[] concat(Column[] a, Column... b) {
    Column[] out = new Column[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  static scala.collection.immutable.Seq<String> seq(List<String> names) {
    return scala.jdk.javaapi.CollectionConverters.asScala(names).toList();
  }
}
