package org.idsolutions.pipeline.report;

import static org.apache.spark.sql.functions.array_contains;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Date;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
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
 * notes, a data-coverage annex), the charts as PNG and, in {@code data/}, the CSV behind every
 * table and chart.
 *
 * <p>Everything comes from the published gold tables ({@code indicators.regional_summary} and
 * {@code indicators.indicator_values}), so suppressed survey cells stay suppressed. The rows the
 * report shows are few (one per country or region and year) and are brought to the driver; the
 * folder is written beside the target and moved into place when complete.
 */
public final class ReportStage implements Stage {
  public static final String NAME = "report";

  /** The regional_summary columns of the country and region tables, in order. */
  static final List<String> SUMMARY_COLUMNS =
      List.of(
          "country",
          "admin_code",
          "admin_name",
          "idp_stock",
          "idp_change_pct",
          "returnee_stock",
          "budget_usd",
          "people_reached",
          "usd_per_idp",
          "exited_composite_idp",
          "exited_composite_idp_ci_low",
          "exited_composite_idp_ci_high",
          "est_idps_overcome",
          "est_idps_overcome_ci_low",
          "est_idps_overcome_ci_high",
          "solutions_index",
          "quality_flags");

  /** The survey measures beside the criteria in the criteria charts. */
  static final List<String> EXIT_MEASURES = List.of("exited_all_criteria", "exited_composite");

  private final int year;
  private final Path out;
  private Map<String, String> countryNames = Map.of();

  public ReportStage(int year, Path out) {
    this.year = year;
    this.out = out;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public StageResult run(StageContext ctx) {
    Lakehouse lh = ctx.lakehouse();
    for (TableSpec t : List.of(Tables.REGIONAL_SUMMARY, Tables.INDICATOR_VALUES)) {
      if (!lh.exists(t)) {
        throw Errors.usage(
            t.qualifiedName() + " does not exist yet: run the pipeline before the report");
      }
    }
    Map<String, Long> versions =
        lh.versions(List.of(Tables.REGIONAL_SUMMARY, Tables.INDICATOR_VALUES));
    Dataset<Row> summary =
        lh.readAt(Tables.REGIONAL_SUMMARY, versions.get(Tables.REGIONAL_SUMMARY.qualifiedName()));
    Dataset<Row> values =
        lh.readAt(Tables.INDICATOR_VALUES, versions.get(Tables.INDICATOR_VALUES.qualifiedName()))
            .where(
                col("period_type")
                    .equalTo("year")
                    .and(col("period_start").equalTo(lit(Date.valueOf(LocalDate.of(year, 1, 1))))));
    List<Integer> years =
        summary
            .select("year")
            .distinct()
            .orderBy("year")
            .as(org.apache.spark.sql.Encoders.INT())
            .collectAsList();
    if (!years.contains(year)) {
      throw Errors.usage(
          "indicators.regional_summary has no row for "
              + year
              + (years.isEmpty() ? ": it is empty" : ": its years are " + years)
              + "; choose one of them");
    }
    List<String> criteria =
        new ArrayList<>(SurveyConfigs.rules(ctx.config().inputs().indicatorRules()).criteria());
    criteria.addAll(EXIT_MEASURES);

    Queries tables = new Queries(summary, values, criteria);
    countryNames = countryNames(ctx);
    Path tmp = out.toAbsolutePath().resolveSibling("." + out.getFileName() + ".tmp-" + ctx.runId());
    try {
      Files.createDirectories(tmp.resolve("data"));
      Model model = write(tables, tmp, ctx, versions);
      render(model, tmp.resolve("index.html"));
      replace(tmp, out);
      return new StageResult(
          NAME,
          StageResult.SUCCEEDED,
          model.rowsIn,
          model.files,
          0,
          versions,
          null,
          "report " + year + " written to " + out);
    } catch (IOException e) {
      deleteQuietly(tmp);
      throw new UncheckedIOException("cannot write the report to " + out, e);
    } catch (RuntimeException e) {
      deleteQuietly(tmp);
      throw e;
    }
  }

  /** The report's tables as Spark queries (each small: a row per country, region or estimate). */
  private final class Queries {
    final Dataset<Row> countries;
    final Dataset<Row> regions;
    final Dataset<Row> stock;
    final Dataset<Row> funding;
    final Dataset<Row> criteria;
    final Dataset<Row> coverage;

    Queries(Dataset<Row> summary, Dataset<Row> values, List<String> criteriaIds) {
      Column ofYear = col("year").equalTo(year);
      Column[] columns = SUMMARY_COLUMNS.stream().map(c -> col(c)).toArray(Column[]::new);
      countries =
          summary
              .where(col("admin_level").equalTo(0).and(ofYear))
              .select(columns)
              .orderBy("country");
      regions =
          summary
              .where(col("admin_level").equalTo(1).and(ofYear))
              .select(columns)
              .orderBy("country", "admin_name", "admin_code");
      stock =
          summary
              .where(
                  col("admin_level")
                      .equalTo(0)
                      .and(col("year").leq(year))
                      .and(col("idp_stock").isNotNull()))
              .select("country", "year", "idp_stock")
              .orderBy("country", "year");
      funding =
          summary
              .where(
                  col("admin_level")
                      .equalTo(1)
                      .and(ofYear)
                      .and(col("idp_stock").isNotNull())
                      .and(col("budget_usd").isNotNull()))
              .select(
                  "country", "admin_code", "admin_name", "idp_stock", "budget_usd", "usd_per_idp")
              .orderBy("country", "admin_code");
      criteria =
          values
              .where(
                  col("source_family")
                      .equalTo("survey")
                      .and(col("admin_level").equalTo(0))
                      .and(col("indicator_id").isin(criteriaIds.toArray()))
                      .and(col("population_group").isin("idp", "non_displaced")))
              .select(
                  col("country"),
                  col("source_operation").as("survey_id"),
                  col("survey_round"),
                  col("indicator_id"),
                  col("population_group"),
                  col("value"),
                  col("ci_low"),
                  col("ci_high"),
                  col("n"),
                  col("suppressed"))
              .orderBy("country", "survey_id", "survey_round", "indicator_id", "population_group");
      // one pass over the year's values: the tracking report behind each country's stock, and its
      // survey cells
      Column tracking =
          col("source_family")
              .equalTo("tracking")
              .and(col("admin_level").equalTo(0))
              .and(col("indicator_id").equalTo("idp_stock"));
      Column survey = col("source_family").equalTo("survey");
      Dataset<Row> perCountry =
          values
              .groupBy("country")
              .agg(
                  max(when(tracking, col("last_report_date"))).as("last_tracking_report"),
                  max(when(tracking, array_contains(col("quality_flags"), "stale")))
                      .as("tracking_stale"),
                  concat_ws(" ", sort_array(collect_set(when(survey, col("source_operation")))))
                      .as("surveys"),
                  sum(when(survey, 1).otherwise(0)).as("survey_cells"),
                  sum(when(survey.and(col("suppressed")), 1).otherwise(0))
                      .as("survey_cells_suppressed"),
                  sum(when(survey.and(array_contains(col("quality_flags"), "low_precision")), 1)
                          .otherwise(0))
                      .as("survey_cells_low_precision"));
      Dataset<Row> regionCounts =
          summary
              .where(col("admin_level").equalTo(1).and(ofYear))
              .groupBy("country")
              .agg(
                  count(lit(1)).as("admin1_regions"),
                  sum(when(col("has_tracking"), 1).otherwise(0)).as("with_tracking"),
                  sum(when(col("has_survey"), 1).otherwise(0)).as("with_survey"),
                  sum(when(col("has_programme"), 1).otherwise(0)).as("with_programme"));
      coverage =
          countries
              .select("country")
              .join(regionCounts, new String[] {"country"}, "left")
              .join(perCountry, new String[] {"country"}, "left")
              .orderBy("country");
    }
  }

  /** What index.html shows, and what the stage counts. */
  static final class Model {
    final Map<String, Object> page = new LinkedHashMap<>();
    long rowsIn;
    long files;
  }

  private Model write(Queries t, Path dir, StageContext ctx, Map<String, Long> versions)
      throws IOException {
    Model m = new Model();
    Map<String, Dataset<Row>> csvs = new LinkedHashMap<>();
    csvs.put("countries", t.countries);
    csvs.put("regions", t.regions);
    csvs.put("stock-over-time", t.stock);
    csvs.put("funding-vs-need", t.funding);
    csvs.put("criteria", t.criteria);
    csvs.put("data-coverage", t.coverage);
    for (Map.Entry<String, Dataset<Row>> e : csvs.entrySet()) {
      try (PrintWriter w =
          new PrintWriter(
              Files.newBufferedWriter(dir.resolve("data").resolve(e.getKey() + ".csv")))) {
        CsvOut.write(e.getValue(), w, null);
      }
      m.files++;
    }
    List<Row> countries = t.countries.collectAsList();
    List<Row> regions = t.regions.collectAsList();
    List<Row> stock = t.stock.collectAsList();
    m.rowsIn = countries.size() + regions.size();

    Map<String, Object> p = m.page;
    p.put("year", year);
    p.put("headline", headline(countries, stock));
    p.put("countries", countries.stream().map(this::summaryRow).toList());
    List<Map<String, Object>> groups = new ArrayList<>();
    for (Row c : countries) {
      String country = c.getAs("country");
      List<Map<String, Object>> rows =
          regions.stream()
              .filter(r -> country.equals(r.getAs("country")))
              .map(this::summaryRow)
              .toList();
      if (!rows.isEmpty()) {
        groups.add(Map.of("country", country, "name", countryName(country), "rows", rows));
      }
    }
    p.put("regionGroups", groups);

    ReportCharts.stockOverTime(
        stock.stream()
            .map(
                r ->
                    new ReportCharts.Point(
                        r.getAs("country"), r.<Integer>getAs("year"), r.getAs("idp_stock")))
            .toList(),
        dir.resolve("stock-over-time.png"));
    m.files++;
    List<Row> funding = t.funding.collectAsList();
    if (!funding.isEmpty()) {
      ReportCharts.fundingVsNeed(
          funding.stream()
              .map(
                  r ->
                      new ReportCharts.Point(
                          r.getAs("country"), r.getAs("idp_stock"), r.getAs("budget_usd")))
              .toList(),
          dir.resolve("funding-vs-need.png"),
          year);
      m.files++;
      p.put("funding", Boolean.TRUE);
    }
    List<Map<String, Object>> surveys = criteriaCharts(t.criteria.collectAsList(), dir, ctx);
    m.files += surveys.size();
    p.put("surveys", surveys);
    p.put("coverage", t.coverage.collectAsList().stream().map(this::coverageRow).toList());

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
    m.files++; // index.html
    return m;
  }

  /** The figures at the top: totals over the countries' national rows. */
  private List<Map<String, String>> headline(List<Row> countries, List<Row> stock) {
    List<Map<String, String>> h = new ArrayList<>();
    List<Row> tracked = countries.stream().filter(r -> r.getAs("idp_stock") != null).toList();
    double idps = sumOf(tracked, "idp_stock");
    // the change over the countries that have a stock in both years
    Map<String, Double> previous = new TreeMap<>();
    for (Row r : stock) {
      if (r.<Integer>getAs("year") == year - 1) {
        previous.put(r.getAs("country"), r.getAs("idp_stock"));
      }
    }
    List<Row> both =
        tracked.stream().filter(r -> previous.containsKey(r.getAs("country"))).toList();
    double now = sumOf(both, "idp_stock");
    double before = both.stream().mapToDouble(r -> previous.get(r.<String>getAs("country"))).sum();
    h.add(
        figure(
            "IDPs at the last report of " + year,
            Fmt.count(tracked.isEmpty() ? null : idps),
            countries(tracked.size()) + " with tracking data"));
    h.add(
        figure(
            "Change since " + (year - 1),
            Fmt.change(both.isEmpty() || before == 0 ? null : 100 * (now - before) / before),
            countries(both.size()) + " with a stock in both years"));
    h.add(
        figure(
            "Returnees",
            Fmt.count(nullIfNone(countries, "returnee_stock")),
            "where tracking reports returnees"));
    List<Row> surveyed =
        countries.stream().filter(r -> r.getAs("est_idps_overcome") != null).toList();
    h.add(
        figure(
            "IDPs estimated to have overcome their displacement-related vulnerabilities",
            Fmt.count(surveyed.isEmpty() ? null : sumOf(surveyed, "est_idps_overcome")),
            countries(surveyed.size()) + " with a survey and a stock"));
    h.add(
        figure(
            "Programme budget",
            Fmt.usd(nullIfNone(countries, "budget_usd")),
            "pro-rated to " + year + ", in USD"));
    h.add(
        figure(
            "People reached",
            Fmt.count(nullIfNone(countries, "people_reached")),
            "by activities ending in " + year));
    return h;
  }

  private static String countries(int n) {
    return n + (n == 1 ? " country" : " countries");
  }

  private static Map<String, String> figure(String label, String value, String note) {
    return Map.of("label", label, "value", value, "note", note);
  }

  private static double sumOf(List<Row> rows, String column) {
    return rows.stream().mapToDouble(r -> r.<Double>getAs(column)).sum();
  }

  private static Double nullIfNone(List<Row> rows, String column) {
    List<Row> with = rows.stream().filter(r -> r.getAs(column) != null).toList();
    return with.isEmpty() ? null : sumOf(with, column);
  }

  /**
   * ISO3 code to English name from {@code inputs.countries} ({@code iso2,iso3,name}); the codes
   * stand for themselves when the file has no {@code name} column.
   */
  private static Map<String, String> countryNames(StageContext ctx) {
    Dataset<Row> csv =
        ctx.spark().read().option("header", "true").csv(ctx.config().inputs().countries());
    List<String> columns = List.of(csv.columns());
    Map<String, String> names = new TreeMap<>();
    if (columns.contains("iso3") && columns.contains("name")) {
      // one row per country: a few hundred at most
      for (Row r : csv.select("iso3", "name").collectAsList()) {
        if (r.get(0) != null && r.get(1) != null) {
          names.put(r.getString(0).strip().toUpperCase(java.util.Locale.ROOT), r.getString(1));
        }
      }
    }
    return names;
  }

  private String countryName(String iso3) {
    return countryNames.getOrDefault(iso3, iso3);
  }

  /** A region's name; the country's for a national row; what stands for a missing name. */
  private String name(Row r) {
    String name = r.getAs("admin_name");
    String code = r.getAs("admin_code");
    if (code != null && code.equals(r.getAs("country"))) {
      return countryName(code);
    }
    if (name != null) {
      return name;
    }
    return "unspecified".equals(code) ? "(no admin 1 region given)" : code;
  }

  private Map<String, Object> summaryRow(Row r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("code", r.getAs("admin_code"));
    m.put("name", name(r));
    m.put("stock", Fmt.count(r.getAs("idp_stock")));
    m.put("change", Fmt.change(r.getAs("idp_change_pct")));
    m.put("returnees", Fmt.count(r.getAs("returnee_stock")));
    m.put("budget", Fmt.usd(r.getAs("budget_usd")));
    m.put("reached", Fmt.count(r.getAs("people_reached")));
    m.put("usdPerIdp", Fmt.usd(r.getAs("usd_per_idp")));
    m.put(
        "exited",
        Fmt.shareWithInterval(
            r.getAs("exited_composite_idp"),
            r.getAs("exited_composite_idp_ci_low"),
            r.getAs("exited_composite_idp_ci_high")));
    m.put(
        "overcome",
        Fmt.countWithInterval(
            r.getAs("est_idps_overcome"),
            r.getAs("est_idps_overcome_ci_low"),
            r.getAs("est_idps_overcome_ci_high")));
    m.put("index", Fmt.decimal(r.getAs("solutions_index")));
    int flags = r.fieldIndex("quality_flags");
    m.put("flags", r.isNullAt(flags) ? "" : String.join(", ", r.<String>getList(flags)));
    return m;
  }

  private Map<String, Object> coverageRow(Row r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("country", countryName(r.getAs("country")));
    m.put("regions", Objects.toString(r.getAs("admin1_regions"), "0"));
    m.put("tracking", Objects.toString(r.getAs("with_tracking"), "0"));
    m.put("survey", Objects.toString(r.getAs("with_survey"), "0"));
    m.put("programme", Objects.toString(r.getAs("with_programme"), "0"));
    m.put("lastReport", Objects.toString(r.getAs("last_tracking_report"), Fmt.NONE));
    m.put("stale", Boolean.TRUE.equals(r.getAs("tracking_stale")) ? "stale" : "");
    String surveys = r.getAs("surveys");
    m.put("surveys", surveys == null || surveys.isEmpty() ? Fmt.NONE : surveys);
    m.put("cells", Objects.toString(r.getAs("survey_cells"), "0"));
    m.put("suppressed", Objects.toString(r.getAs("survey_cells_suppressed"), "0"));
    m.put("lowPrecision", Objects.toString(r.getAs("survey_cells_low_precision"), "0"));
    return m;
  }

  /** One chart and table per country and survey: IDPs against the comparator, per criterion. */
  private List<Map<String, Object>> criteriaCharts(List<Row> rows, Path dir, StageContext ctx) {
    Map<String, List<Row>> bySurvey = new TreeMap<>();
    for (Row r : rows) {
      String key = r.getAs("country") + " " + Objects.toString(r.getAs("survey_id"), "");
      bySurvey.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
    }
    List<Map<String, Object>> out = new ArrayList<>();
    String level = Fmt.level(ctx.config().surveys().confidenceLevel());
    for (List<Row> survey : bySurvey.values()) {
      Row first = survey.get(0);
      String country = first.getAs("country");
      String surveyId = Objects.toString(first.getAs("survey_id"), "");
      List<String> order =
          survey.stream()
              .map(r -> r.<String>getAs("indicator_id"))
              .distinct()
              .sorted(Comparator.comparing(ReportStage::criterionOrder))
              .toList();
      List<ReportCharts.Estimate> estimates = new ArrayList<>();
      List<Map<String, Object>> table = new ArrayList<>();
      for (String criterion : order) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("criterion", criterion);
        for (Row r : survey) {
          if (!criterion.equals(r.getAs("indicator_id"))) {
            continue;
          }
          String group = r.getAs("population_group");
          estimates.add(
              new ReportCharts.Estimate(
                  criterion, group, r.getAs("value"), r.getAs("ci_low"), r.getAs("ci_high")));
          line.put(
              group.equals("idp") ? "idp" : "comparator",
              Boolean.TRUE.equals(r.getAs("suppressed"))
                  ? "suppressed: " + r.getAs("n") + " respondents"
                  : Fmt.shareWithInterval(r.getAs("value"), r.getAs("ci_low"), r.getAs("ci_high"))
                      + ", "
                      + r.getAs("n")
                      + " respondents");
        }
        line.putIfAbsent("idp", Fmt.NONE);
        line.putIfAbsent("comparator", Fmt.NONE);
        table.add(line);
      }
      String file =
          "criteria-"
              + (country + "-" + surveyId)
                  .toLowerCase(java.util.Locale.ROOT)
                  .replaceAll("[^a-z0-9]+", "-")
              + ".png";
      String title =
          countryName(country) + ", survey " + surveyId + ": IDPs and the comparator, " + year;
      ReportCharts.criteria(title, order, estimates, dir.resolve(file), level);
      out.add(Map.of("title", title, "file", file, "rows", table));
    }
    return out;
  }

  /** Criteria first (c1, c2, ...), then the exit measures, each group in id order. */
  private static String criterionOrder(String id) {
    return (EXIT_MEASURES.contains(id) ? "1" : "0") + id;
  }

  private static void render(Model m, Path file) throws IOException {
    Mustache template = new DefaultMustacheFactory().compile("report/index.html.mustache");
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      template.execute(w, m.page);
    }
  }

  /** The finished folder in place of the earlier one. */
  private static void replace(Path tmp, Path out) throws IOException {
    if (Files.exists(out)) {
      deleteTree(out);
    }
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE);
  }

  private static void deleteQuietly(Path dir) {
    try {
      deleteTree(dir);
    } catch (IOException | UncheckedIOException ignored) {
      // a leftover temporary folder, named for its run, changes no report
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
