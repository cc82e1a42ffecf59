package org.idsolutions.pipeline.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.spark.sql.Row;

/**
 * What index.html shows, worked out from the rows of {@link ReportQueries} (already on the driver):
 * the headline totals, the table rows as formatted text, and each survey's chart data.
 */
final class ReportPage {
  /** The survey measures shown after the criteria in the criteria charts. */
  static final List<String> EXIT_MEASURES = List.of("exited_all_criteria", "exited_composite");

  /** One survey round's criteria: its chart's data and its table's rows. */
  record Survey(
      String title,
      /* the chart's file name without its extension (.png, .svg) */
      String file,
      List<String> criteria,
      List<ReportCharts.Estimate> estimates,
      List<Map<String, Object>> rows) {}

  private final int year;
  private final Map<String, String> countryNames;

  /**
   * @param countryNames ISO3 code to name; a code without a name stands for itself
   */
  ReportPage(int year, Map<String, String> countryNames) {
    this.year = year;
    this.countryNames = Map.copyOf(countryNames);
  }

  String countryName(String iso3) {
    return countryNames.getOrDefault(iso3, iso3);
  }

  /**
   * The figures at the top: totals over the countries' national rows, each over the countries that
   * have the figure.
   */
  List<Map<String, String>> headline(List<Row> countries, List<Row> stock) {
    List<Map<String, String>> h = new ArrayList<>();
    List<Row> tracked = having(countries, "idp_stock");
    // the change over the countries that have a stock in both years: a country new to tracking
    // is not new IDPs
    Map<String, Double> previous = new TreeMap<>();
    for (Row r : stock) {
      if (r.<Integer>getAs("year") == year - 1) {
        previous.put(r.getAs("country"), r.getAs("idp_stock"));
      }
    }
    List<Row> both =
        tracked.stream().filter(r -> previous.containsKey(r.<String>getAs("country"))).toList();
    double now = sumOf(both, "idp_stock");
    double before = both.stream().mapToDouble(r -> previous.get(r.<String>getAs("country"))).sum();
    h.add(
        figure(
            "IDPs at the last report of " + year,
            Fmt.count(total(countries, "idp_stock")),
            countries(tracked.size()) + " with tracking data"));
    h.add(
        figure(
            "Change since " + (year - 1),
            Fmt.change(both.isEmpty() || before == 0 ? null : 100 * (now - before) / before),
            countries(both.size()) + " with a stock in both years"));
    h.add(
        figure(
            "Returnees",
            Fmt.count(total(countries, "returnee_stock")),
            countries(having(countries, "returnee_stock").size()) + " reporting returnees"));
    h.add(
        figure(
            "IDPs estimated to have overcome their displacement-related vulnerabilities",
            Fmt.count(total(countries, "est_idps_overcome")),
            countries(having(countries, "est_idps_overcome").size())
                + " with a survey and a stock"));
    h.add(
        figure(
            "Programme budget",
            Fmt.usd(total(countries, "budget_usd")),
            countries(having(countries, "budget_usd").size())
                + ", pro-rated to "
                + year
                + ", in USD"));
    h.add(
        figure(
            "People reached",
            Fmt.count(total(countries, "people_reached")),
            countries(having(countries, "people_reached").size())
                + ", by activities ending in "
                + year));
    return h;
  }

  /** A country's or a region's row of the tables. */
  Map<String, Object> summaryRow(Row r) {
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

  /** The region tables, one per country that has admin 1 rows. */
  List<Map<String, Object>> regionGroups(List<Row> countries, List<Row> regions) {
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
    return groups;
  }

  /** A country's row of the data-coverage annex. */
  Map<String, Object> coverageRow(Row r) {
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

  /** One chart and table per country, survey and round: IDPs against the comparator. */
  List<Survey> surveys(List<Row> criteria) {
    Map<List<String>, List<Row>> bySurvey = new TreeMap<>(Comparator.comparing(Object::toString));
    for (Row r : criteria) {
      List<String> key =
          List.of(
              r.<String>getAs("country"),
              Objects.toString(r.getAs("survey_id"), ""),
              Objects.toString(r.getAs("survey_round"), ""));
      bySurvey.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
    }
    List<Survey> out = new ArrayList<>();
    for (Map.Entry<List<String>, List<Row>> e : bySurvey.entrySet()) {
      String country = e.getKey().get(0);
      String surveyId = e.getKey().get(1);
      String round = e.getKey().get(2);
      List<Row> rows = e.getValue();
      List<String> order =
          rows.stream()
              .map(r -> r.<String>getAs("indicator_id"))
              .distinct()
              .sorted(Comparator.comparing(ReportPage::criterionOrder))
              .toList();
      List<ReportCharts.Estimate> estimates = new ArrayList<>();
      List<Map<String, Object>> table = new ArrayList<>();
      for (String criterion : order) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("criterion", criterion);
        for (Row r : rows) {
          if (criterion.equals(r.getAs("indicator_id"))) {
            String group = r.getAs("population_group");
            estimates.add(
                new ReportCharts.Estimate(
                    criterion, group, r.getAs("value"), r.getAs("ci_low"), r.getAs("ci_high")));
            line.put(group.equals("idp") ? "idp" : "comparator", estimateCell(r));
          }
        }
        line.putIfAbsent("idp", Fmt.NONE);
        line.putIfAbsent("comparator", Fmt.NONE);
        table.add(line);
      }
      String name = String.join("-", country, surveyId, round);
      String file = "criteria-" + name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
      String title =
          countryName(country)
              + ", survey "
              + surveyId
              + (round.isEmpty() ? "" : ", round " + round)
              + ": IDPs and the comparator, "
              + year;
      out.add(new Survey(title, file, order, estimates, table));
    }
    return out;
  }

  private static String estimateCell(Row r) {
    if (Boolean.TRUE.equals(r.getAs("suppressed"))) {
      return "suppressed: " + r.getAs("n") + " respondents";
    }
    return Fmt.shareWithInterval(r.getAs("value"), r.getAs("ci_low"), r.getAs("ci_high"))
        + ", "
        + r.getAs("n")
        + " respondents";
  }

  /** Criteria first (c1, c2, ...), then the exit measures, each group in id order. */
  private static String criterionOrder(String id) {
    return (EXIT_MEASURES.contains(id) ? "1" : "0") + id;
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

  private static String countries(int n) {
    return n + (n == 1 ? " country" : " countries");
  }

  private static Map<String, String> figure(String label, String value, String note) {
    return Map.of("label", label, "value", value, "note", note);
  }

  private static List<Row> having(List<Row> rows, String column) {
    return rows.stream().filter(r -> r.getAs(column) != null).toList();
  }

  private static double sumOf(List<Row> rows, String column) {
    return rows.stream().mapToDouble(r -> r.<Double>getAs(column)).sum();
  }

  /** The sum over the rows that have the figure; none when no row has it. */
  private static Double total(List<Row> rows, String column) {
    List<Row> with = having(rows, column);
    return with.isEmpty() ? null : sumOf(with, column);
  }
}
