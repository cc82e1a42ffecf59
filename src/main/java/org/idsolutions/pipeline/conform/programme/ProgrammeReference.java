package org.idsolutions.pipeline.conform.programme;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.upper;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.idsolutions.pipeline.errors.Errors;

/**
 * The small mappings programme data needs, each a CSV in conf/: exchange rates ({@code year,
 * currency, usd_per_unit}), sector groups ({@code vocabulary, code, group}: DAC purpose codes and
 * cluster names) and countries ({@code iso2, iso3, name}).
 */
public record ProgrammeReference(
    Dataset<Row> fxRates, Dataset<Row> sectorGroups, Dataset<Row> countries) {

  public static ProgrammeReference load(
      SparkSession spark, String fxRates, String sectorGroups, String countries) {
    Dataset<Row> fx =
        csv(spark, fxRates, List.of("year", "currency", "usd_per_unit"))
            .select(
                trim(col("year")).cast(DataTypes.IntegerType).as("fx_year"),
                upper(trim(col("currency"))).as("fx_currency"),
                trim(col("usd_per_unit")).cast(DataTypes.DoubleType).as("usd_per_unit"));
    Dataset<Row> sectors =
        csv(spark, sectorGroups, List.of("vocabulary", "code", "group"))
            .select(
                lower(trim(col("vocabulary"))).as("sg_vocabulary"),
                lower(trim(col("code"))).as("sg_code"),
                trim(col("group")).as("sector_group"));
    Dataset<Row> iso =
        csv(spark, countries, List.of("iso2", "iso3"))
            .select(upper(trim(col("iso2"))).as("iso2"), upper(trim(col("iso3"))).as("iso3"));
    return new ProgrammeReference(fx.cache(), sectors.cache(), iso.cache());
  }

  private static Dataset<Row> csv(SparkSession spark, String path, List<String> required) {
    Dataset<Row> df = spark.read().option("header", true).csv(path);
    List<String> have = List.of(df.columns());
    for (String r : required) {
      if (!have.contains(r)) {
        throw Errors.usage(path + " lacks column '" + r + "' (found " + have + "): fix the file");
      }
    }
    return df;
  }
}
