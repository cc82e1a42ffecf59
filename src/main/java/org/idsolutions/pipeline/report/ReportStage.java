package org.idsolutions.pipeline.report;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.io.FileUtils;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.idsolutions.pipeline.config.PipelineConfig;
import org.idsolutions.pipeline.config.SurveyConfigs;
import org.idsolutions.pipeline.errors.Errors;
import org.idsolutions.pipeline.lakehouse.CsvOut;
import org.idsolutions.pipeline.lakehouse.Lakehouse;
import org.idsolutions.pipeline.lakehouse.TableSpec;
import org.idsolutions.pipeline.lakehouse.Tables;
import org.idsolutions.pipeline.stage.Stage;
import org.idsolutions.pipeline.stage.StageContext;
import org.idsolutions.pipeline.stage.StageResult;

/**
 * The annual state-of-solutions report for one year (DESIGN 7, docs/report.md): a folder with
 * {@code index.html} (headline figures, a table per country and per admin 1 region, charts, method
 * notes, a data-coverage annex), the charts as PNG and SVG and, in {@code data/}, the CSV behind
 * every table and chart.
 *
 * <p>Everything comes from the gold tables ({@code indicators.regional_summary} and {@code
 * indicators.indicator_values}), so suppressed survey cells stay suppressed. The report's rows are
 * few (one per country, region, year or estimate): each query runs once, into the driver, and both
 * its CSV and the page are made from those rows. The folder is written beside the target and moved
 * into place when complete.
 */
public final class ReportStage implements Stage {
  public static final String NAME = "report";

  /**
   * The file that marks a folder as a report, so that a report replaces only a folder written by an
   * earlier report, never another folder given by mistake as {@code --out}.
   */
  static final String MARKER = ".solutions-report";

  private final int year;
  private final Path out;

  public ReportStage(int year, Path out) {
    this.year = year;
    this.out = out.toAbsolutePath().normalize();
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public StageResult run(StageContext ctx) {
    checkTarget(out);
    Lakehouse lh = ctx.lakehouse();
    for (TableSpec t : List.of(Tables.REGIONAL_SUMMARY, Tables.INDICATOR_VALUES)) {
      if (!lh.exists(t)) {
        throw Errors.usage(
            t.qualifiedName() + " does not exist yet: run the pipeline before the report");
      }
    }
    Map<String, Long> versions =
        lh.versions(List.of(Tables.REGIONAL_SUMMARY, Tables.INDICATOR_VALUES));
    // the summary (a row per area and year) and the year's values feed several small queries:
    // each is read from the lakehouse once and kept until the queries have run
    Dataset<Row> summary =
        lh.readAt(Tables.REGIONAL_SUMMARY, versions.get(Tables.REGIONAL_SUMMARY.qualifiedName()))
            .persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> values =
        ReportQueries.ofYear(
                lh.readAt(
                    Tables.INDICATOR_VALUES, versions.get(Tables.INDICATOR_VALUES.qualifiedName())),
                year)
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      return report(ctx, summary, values, versions);
    } finally {
      summary.unpersist();
      values.unpersist();
    }
  }

  private StageResult report(
      StageContext ctx, Dataset<Row> summary, Dataset<Row> values, Map<String, Long> versions) {
    List<Integer> years =
        summary.select("year").distinct().orderBy("year").as(Encoders.INT()).collectAsList();
    if (!years.contains(year)) {
      throw Errors.usage(
          "indicators.regional_summary has no row for "
              + year
              + (years.isEmpty() ? ": it is empty" : ": its years are " + years)
              + "; choose one of them");
    }
    List<String> criteria =
        new ArrayList<>(SurveyConfigs.rules(ctx.config().inputs().indicatorRules()).criteria());
    criteria.addAll(ReportPage.EXIT_MEASURES);
    Map<String, Collected> tables = new LinkedHashMap<>();
    ReportQueries.of(summary, values, criteria, year)
        .forEach((name, query) -> tables.put(name, Collected.of(query)));
    ReportPage page = new ReportPage(year, countryNames(ctx));

    Path tmp = out.resolveSibling("." + out.getFileName() + ".tmp-" + ctx.runId());
    try {
      Files.createDirectories(tmp.resolve("data"));
      long files = 0;
      for (Map.Entry<String, Collected> t : tables.entrySet()) {
        t.getValue().writeCsv(ctx.spark(), tmp.resolve("data").resolve(t.getKey() + ".csv"));
        files++;
      }
      Map<String, Object> model = new LinkedHashMap<>();
      files += charts(tables, page, tmp, ctx.config(), model);
      fillPage(model, tables, page, ctx, versions);
      render(model, tmp.resolve("index.html"));
      Files.writeString(tmp.resolve(MARKER), "report " + year + " by run " + ctx.runId() + "\n");
      files++;
      replace(tmp, out);
      long rows =
          tables.get(ReportQueries.COUNTRIES).rows.size()
              + tables.get(ReportQueries.REGIONS).rows.size();
      return new StageResult(
          NAME,
          StageResult.SUCCEEDED,
          rows,
          files,
          0,
          versions,
          null,
          "report " + year + " written to " + out);
    } catch (IOException e) {
      deleteQuietly(tmp);
      throw Errors.failed("cannot write the report to " + out + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      deleteQuietly(tmp);
      throw e;
    }
  }

  /** A query's rows on the driver, with its schema for the CSV. */
  private record Collected(List<Row> rows, StructType schema) {
    static Collected of(Dataset<Row> query) {
      return new Collected(query.collectAsList(), query.schema());
    }

    void writeCsv(SparkSession spark, Path file) throws IOException {
      try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8))) {
        CsvOut.write(spark.createDataFrame(rows, schema), w, null);
      }
    }
  }

  /** The charts, drawn into the folder; the number of files. */
  private long charts(
      Map<String, Collected> tables,
      ReportPage page,
      Path dir,
      PipelineConfig config,
      Map<String, Object> model) {
    long files = 0;
    ReportCharts.stockOverTime(
        tables.get(ReportQueries.STOCK).rows.stream()
            .map(
                r ->
                    new ReportCharts.Point(
                        r.getAs("country"), r.<Integer>getAs("year"), r.getAs("idp_stock")))
            .toList(),
        dir.resolve("stock-over-time"));
    files += ReportCharts.FILES_PER_CHART;
    List<Row> funding = tables.get(ReportQueries.FUNDING).rows;
    if (!funding.isEmpty()) {
      ReportCharts.fundingVsNeed(
          funding.stream()
              .map(
                  r ->
                      new ReportCharts.Point(
                          r.getAs("country"), r.getAs("idp_stock"), r.getAs("budget_usd")))
              .toList(),
          dir.resolve("funding-vs-need"),
          year);
      files += ReportCharts.FILES_PER_CHART;
      model.put("funding", Boolean.TRUE);
    }
    String level = Fmt.level(config.surveys().confidenceLevel());
    List<ReportPage.Survey> surveys = page.surveys(tables.get(ReportQueries.CRITERIA).rows);
    for (ReportPage.Survey s : surveys) {
      ReportCharts.criteria(s.title(), s.criteria(), s.estimates(), dir.resolve(s.file()), level);
      files += ReportCharts.FILES_PER_CHART;
    }
    model.put(
        "surveys",
        surveys.stream()
            .map(s -> Map.of("title", s.title(), "file", s.file(), "rows", s.rows()))
            .toList());
    return files;
  }

  private void fillPage(
      Map<String, Object> p,
      Map<String, Collected> tables,
      ReportPage page,
      StageContext ctx,
      Map<String, Long> versions) {
    List<Row> countries = tables.get(ReportQueries.COUNTRIES).rows;
    p.put("year", year);
    p.put("headline", page.headline(countries, tables.get(ReportQueries.STOCK).rows));
    p.put("countries", countries.stream().map(page::summaryRow).toList());
    p.put("regionGroups", page.regionGroups(countries, tables.get(ReportQueries.REGIONS).rows));
    p.put(
        "coverage",
        tables.get(ReportQueries.COVERAGE).rows.stream().map(page::coverageRow).toList());
    PipelineConfig c = ctx.config();
    p.put("confidence", Fmt.level(c.surveys().confidenceLevel()));
    p.put("minRespondents", c.suppression().minRespondents());
    p.put("lowPrecisionRespondents", c.suppression().lowPrecisionRespondents());
    p.put("staleAfterMonths", c.tracking().staleAfterMonths());
    p.put(
        "sources",
        versions.entrySet().stream()
            .map(e -> Map.of("table", e.getKey(), "version", e.getValue()))
            .toList());
    p.put("runId", ctx.runId());
    p.put("generatedAt", Instant.now().toString());
  }

  /**
   * ISO3 code to English name from {@code inputs.countries} ({@code iso2,iso3,name}); none when the
   * file has no {@code name} column.
   */
  private static Map<String, String> countryNames(StageContext ctx) {
    Dataset<Row> csv =
        ctx.spark().read().option("header", "true").csv(ctx.config().inputs().countries());
    List<String> columns = List.of(csv.columns());
    Map<String, String> names = new TreeMap<>();
    if (columns.contains("iso3") && columns.contains("name")) {
      // one row per country: a few hundred at most
      for (Row r : csv.select("iso3", "name").collectAsList()) {
        if (!r.isNullAt(0) && !r.isNullAt(1)) {
          names.put(r.getString(0).strip().toUpperCase(Locale.ROOT), r.getString(1));
        }
      }
    }
    return names;
  }

  private static void render(Map<String, Object> model, Path file) throws IOException {
    Mustache template = new DefaultMustacheFactory().compile("report/index.html.mustache");
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      template.execute(w, model);
    }
  }

  /** A target that exists must be a report folder (or empty): nothing else is replaced. */
  static void checkTarget(Path out) {
    if (!Files.exists(out)) {
      return;
    }
    File[] entries = out.toFile().listFiles();
    if (entries == null) {
      throw Errors.usage(out + " exists and is not a folder: choose another --out");
    }
    if (entries.length > 0 && !Files.isRegularFile(out.resolve(MARKER))) {
      throw Errors.usage(
          out
              + " is a folder that holds no report ("
              + MARKER
              + " is missing): a report replaces only an earlier report; choose another --out");
    }
  }

  /**
   * The finished folder in place of the earlier one: the earlier one is moved aside first and
   * deleted last, so that a failed move leaves it where it was.
   */
  private static void replace(Path tmp, Path out) throws IOException {
    Files.createDirectories(out.getParent());
    Path old = tmp.resolveSibling(tmp.getFileName() + "-old");
    boolean hadOne = Files.exists(out);
    if (hadOne) {
      Files.move(out, old, StandardCopyOption.ATOMIC_MOVE);
    }
    try {
      Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      if (hadOne) {
        Files.move(old, out, StandardCopyOption.ATOMIC_MOVE);
      }
      throw e;
    }
    if (hadOne) {
      FileUtils.deleteDirectory(old.toFile());
    }
  }

  private static void deleteQuietly(Path dir) {
    // a leftover temporary folder, named for its run, changes no report
    FileUtils.deleteQuietly(dir.toFile());
  }
}
