package org.idsolutions.pipeline.conform.programme;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.idsolutions.pipeline.errors.Errors;
import org.idsolutions.pipeline.errors.PipelineException;
import org.idsolutions.pipeline.raw.CsvLine;
import org.idsolutions.pipeline.raw.InputFiles;

/**
 * The small mappings programme data needs, each a CSV in conf/: exchange rates ({@code year,
 * currency, usd_per_unit}), sector groups ({@code vocabulary, code, group}: DAC purpose codes and
 * cluster names) and countries ({@code iso2, iso3, name}). Each is read whole and checked before
 * any programme row meets it: a key given twice (it would join every matching row twice, doubling
 * its amounts), a blank key or a value that is not a number stops the run with the file, line and
 * what to fix.
 */
public record ProgrammeReference(
    Dataset<Row> fxRates, Dataset<Row> sectorGroups, Dataset<Row> countries) {

  public static ProgrammeReference load(
      SparkSession spark, String fxRates, String sectorGroups, String countries) {
    List<Row> fx = new ArrayList<>();
    Lines rates = new Lines(spark, fxRates, List.of("year", "currency", "usd_per_unit"));
    for (int i = 0; i < rates.size(); i++) {
      String year = rates.value(i, "year");
      String currency = rates.value(i, "currency").toUpperCase(Locale.ROOT);
      if (!year.matches("[0-9]{4}")) {
        throw rates.invalid(i, "year '" + year + "' is not a four-digit year");
      }
      double rate = rates.positive(i, "usd_per_unit");
      rates.unique(i, year + " " + currency, "year and currency");
      fx.add(RowFactory.create(Integer.parseInt(year), currency, rate));
    }
    List<Row> sectors = new ArrayList<>();
    Lines groups = new Lines(spark, sectorGroups, List.of("vocabulary", "code", "group"));
    for (int i = 0; i < groups.size(); i++) {
      String vocabulary = groups.value(i, "vocabulary").toLowerCase(Locale.ROOT);
      String code = groups.value(i, "code").toLowerCase(Locale.ROOT);
      groups.unique(i, vocabulary + " " + code, "vocabulary and code");
      sectors.add(RowFactory.create(vocabulary, code, groups.value(i, "group")));
    }
    List<Row> iso = new ArrayList<>();
    Lines names = new Lines(spark, countries, List.of("iso2", "iso3"));
    for (int i = 0; i < names.size(); i++) {
      String iso2 = names.value(i, "iso2").toUpperCase(Locale.ROOT);
      String iso3 = names.value(i, "iso3").toUpperCase(Locale.ROOT);
      names.unique(i, "iso2 " + iso2, "iso2");
      names.unique(i, "iso3 " + iso3, "iso3");
      iso.add(RowFactory.create(iso2, iso3));
    }
    return new ProgrammeReference(
        spark.createDataFrame(
            fx,
            new StructType()
                .add("fx_year", DataTypes.IntegerType)
                .add("fx_currency", DataTypes.StringType)
                .add("usd_per_unit", DataTypes.DoubleType)),
        spark.createDataFrame(
            sectors,
            new StructType()
                .add("sg_vocabulary", DataTypes.StringType)
                .add("sg_code", DataTypes.StringType)
                .add("sector_group", DataTypes.StringType)),
        spark.createDataFrame(
            iso,
            new StructType().add("iso2", DataTypes.StringType).add("iso3", DataTypes.StringType)));
  }

  /**
   * A reference CSV's lines (a configuration file of a few hundred lines, read through Hadoop's
   * file system, so it can sit wherever Spark reads), with the checks of their values. Blank lines
   * are passed over; lines are numbered as in the file.
   */
  private static final class Lines {
    private final String path;
    private List<String> header = List.of();
    private final List<List<String>> cells = new ArrayList<>();
    private final List<Integer> lineNumbers = new ArrayList<>();
    private final Map<String, Integer> seen = new HashMap<>();

    Lines(SparkSession spark, String path, List<String> required) {
      this.path = path;
      try (BufferedReader r = InputFiles.open(spark.sparkContext().hadoopConfiguration(), path)) {
        String line;
        int number = 0;
        while ((line = r.readLine()) != null) {
          number++;
          if (number == 1) {
            header = CsvLine.split(line.replace("\uFEFF", "")).stream().map(String::strip).toList();
          } else if (!line.isBlank()) {
            cells.add(CsvLine.split(line));
            lineNumbers.add(number);
          }
        }
      } catch (IOException e) {
        throw Errors.failed("cannot read " + path + ": " + e.getMessage(), e);
      }
      for (String c : required) {
        if (!header.contains(c)) {
          throw Errors.usage(
              path + " lacks column '" + c + "' (found " + header + "): fix the file");
        }
      }
    }

    int size() {
      return cells.size();
    }

    /** The trimmed value of the column on the row; a blank value stops the run. */
    String value(int row, String column) {
      List<String> line = cells.get(row);
      int at = header.indexOf(column);
      String s = at < line.size() ? line.get(at).strip() : "";
      if (s.isEmpty()) {
        throw invalid(row, "'" + column + "' is blank");
      }
      return s;
    }

    double positive(int row, String column) {
      String s = value(row, column);
      try {
        double d = Double.parseDouble(s);
        if (d > 0 && Double.isFinite(d)) {
          return d;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw invalid(row, "'" + column + "' is '" + s + "', not a positive number");
    }

    /** Stops the run when an earlier row had the same key. */
    void unique(int row, String key, String what) {
      Integer first = seen.putIfAbsent(key, row);
      if (first != null) {
        throw invalid(
            row,
            "repeats the "
                + what
                + " of line "
                + lineNumbers.get(first)
                + " ("
                + key
                + "); keep one of the two lines");
      }
    }

    PipelineException invalid(int row, String problem) {
      return Errors.usage(
          path + " line " + lineNumbers.get(row) + ": " + problem + ": fix the file");
    }
  }
}
