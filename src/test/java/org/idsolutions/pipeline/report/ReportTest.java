package org.idsolutions.pipeline.report;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.idsolutions.pipeline.lakehouse.Lakehouse;
import org.idsolutions.pipeline.lakehouse.Tables;
import org.idsolutions.pipeline.support.Cli;
import org.idsolutions.pipeline.support.IndicatorValueRow;
import org.idsolutions.pipeline.support.SameRows;
import org.idsolutions.pipeline.support.SparkTestSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * {@code report --year}: the folder's files, its figures against hand-computed totals, its tables
 * against the lakehouse, suppression and HTML escaping, the replacement of an earlier report, and
 * the refusals.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReportTest {
  @TempDir static Path dir;
  static String lakehouse;
  static Path report;
  static String html;

  static final String ADAMAWA = "Adamawa & <Gombi>";

  static Row value(
      String family,
      String country,
      int level,
      String code,
      String name,
      String indicator,
      String group,
      int year,
      Double v,
      Object... more) {
    List<Object> cells =
        new ArrayList<>(
            List.of(
                "source_family",
                family,
                "country",
                country,
                "admin_level",
                level,
                "admin_code",
                code,
                "indicator_id",
                indicator,
                "population_group",
                group));
    if (name != null) {
      cells.addAll(List.of("admin_name", name));
    }
    if (v != null) {
      cells.addAll(List.of("value", v));
    }
    cells.addAll(List.of(more));
    return IndicatorValueRow.ofYear(year, cells.toArray());
  }

  static Row stock(String country, int level, String code, String name, int year, double v) {
    return value("tracking", country, level, code, name, "idp_stock", "idp", year, v);
  }

  /** A national survey estimate of 2025 with an interval of ± 0.05 and n respondents. */
  static Row estimate(String indicator, String group, double v, long n) {
    return value(
        "survey",
        "NGA",
        0,
        "NGA",
        null,
        indicator,
        group,
        2025,
        v,
        "ci_low",
        v - 0.05,
        "ci_high",
        v + 0.05,
        "n",
        n,
        "source_operation",
        "nga-msna-2025",
        "survey_round",
        "2025");
  }

  static final List<String> CRITERIA =
      List.of(
          "c1_safety",
          "c2_standard_of_living",
          "c3_livelihoods",
          "c4_housing_land_property",
          "c5_documentation",
          "exited_all_criteria",
          "exited_composite");

  @BeforeAll
  static void writeReport() throws IOException {
    lakehouse = dir.resolve("lh").toString();
    List<Row> rows = new ArrayList<>();
    rows.add(stock("NGA", 0, "NGA", null, 2024, 1000));
    rows.add(
        value(
            "tracking",
            "NGA",
            0,
            "NGA",
            null,
            "idp_stock",
            "idp",
            2025,
            1300.0,
            "last_report_date",
            Date.valueOf("2025-11-30"),
            "quality_flags",
            List.of("stale")));
    rows.add(stock("NGA", 1, "NG008", "Borno", 2024, 600));
    // as many IDPs as Adamawa: two points at one x in the funding chart
    rows.add(stock("NGA", 1, "NG008", "Borno", 2025, 400));
    rows.add(stock("NGA", 1, "NG002", ADAMAWA, 2024, 400));
    rows.add(stock("NGA", 1, "NG002", ADAMAWA, 2025, 400));
    rows.add(stock("TCD", 0, "TCD", null, 2025, 700));
    rows.add(stock("TCD", 1, "TCD07", "Lac", 2025, 700));
    rows.add(value("tracking", "NGA", 0, "NGA", null, "returnee_stock", "returnee", 2025, 250.0));
    for (int i = 0; i < CRITERIA.size(); i++) {
      String c = CRITERIA.get(i);
      double idp = c.equals("exited_composite") ? 0.25 : 0.1 + 0.05 * i;
      rows.add(estimate(c, "idp", idp, 400));
      if (c.equals("c4_housing_land_property")) {
        // too few comparator respondents: published without a value
        rows.add(
            value(
                "survey",
                "NGA",
                0,
                "NGA",
                null,
                c,
                "non_displaced",
                2025,
                null,
                "n",
                6L,
                "suppressed",
                true,
                "source_operation",
                "nga-msna-2025",
                "survey_round",
                "2025"));
      } else {
        rows.add(estimate(c, "non_displaced", idp + 0.2, 200));
      }
    }
    rows.add(
        value(
            "survey",
            "NGA",
            1,
            "NG008",
            "Borno",
            "exited_composite",
            "idp",
            2025,
            0.2,
            "n",
            300L,
            "source_operation",
            "nga-msna-2025"));
    rows.add(value("programme", "NGA", 0, "NGA", null, "budget_usd", "all", 2025, 2.5e6));
    rows.add(value("programme", "NGA", 1, "NG008", null, "budget_usd", "all", 2025, 1.5e6));
    rows.add(value("programme", "NGA", 1, "NG002", null, "budget_usd", "all", 2025, 1.0e6));
    rows.add(value("programme", "NGA", 0, "NGA", null, "people_reached", "all", 2025, 5000.0));
    IndicatorValueRow.write(lakehouse, rows);
    assertThat(Cli.run("--lakehouse", lakehouse, "trends").exitCode).isZero();
    report = dir.resolve("reports").resolve("2025");
    Cli run =
        Cli.run("--lakehouse", lakehouse, "report", "--year", "2025", "--out", report.toString());
    assertThat(run.exitCode).as(run.err).isZero();
    assertThat(run.out).contains("report", "succeeded", "report 2025 written to " + report);
    html = Files.readString(report.resolve("index.html"));
  }

  static Document xml(Path file) {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setNamespaceAware(true);
      // the SVG names the W3C's DTD; well-formedness needs no download
      factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
      return factory.newDocumentBuilder().parse(file.toFile());
    } catch (Exception e) {
      throw new AssertionError(file + " is not well-formed XML: " + e.getMessage(), e);
    }
  }

  static List<String> csv(String name) throws IOException {
    return Files.readAllLines(report.resolve("data").resolve(name + ".csv"));
  }

  @Test
  @Order(1)
  void theFolderHoldsThePageTheChartsAndTheirData() throws IOException {
    try (Stream<Path> files = Files.walk(report)) {
      assertThat(files.filter(Files::isRegularFile).map(p -> report.relativize(p).toString()))
          .containsExactlyInAnyOrder(
              "index.html",
              "stock-over-time.png",
              "stock-over-time.svg",
              "funding-vs-need.png",
              "funding-vs-need.svg",
              "criteria-nga-nga-msna-2025-2025.png",
              "criteria-nga-nga-msna-2025-2025.svg",
              ".solutions-report",
              "data/countries.csv",
              "data/regions.csv",
              "data/stock-over-time.csv",
              "data/funding-vs-need.csv",
              "data/criteria.csv",
              "data/data-coverage.csv");
    }
    for (String png :
        List.of(
            "stock-over-time.png", "funding-vs-need.png", "criteria-nga-nga-msna-2025-2025.png")) {
      BufferedImage image = ImageIO.read(report.resolve(png).toFile());
      assertThat(image.getWidth()).as(png).isEqualTo(ReportCharts.WIDTH);
      assertThat(image.getHeight()).as(png).isEqualTo(ReportCharts.HEIGHT);
      assertThat(html).contains("<img src=\"" + png + "\"");
    }
    // each SVG is a well-formed SVG document of the same size, its text kept as text
    Map<String, String> titles =
        Map.of(
            "stock-over-time", "IDPs at the last report of each year",
            "funding-vs-need", "Programme budget and IDPs per admin 1 region, 2025",
            "criteria-nga-nga-msna-2025-2025", "IDPs and the comparator, 2025");
    for (Map.Entry<String, String> chart : titles.entrySet()) {
      String svg = chart.getKey() + ".svg";
      Element root = xml(report.resolve(svg)).getDocumentElement();
      assertThat(root.getLocalName()).as(svg).isEqualTo("svg");
      assertThat(root.getNamespaceURI()).as(svg).isEqualTo("http://www.w3.org/2000/svg");
      assertThat(Double.parseDouble(root.getAttribute("width")))
          .as(svg)
          .isEqualTo(ReportCharts.WIDTH);
      assertThat(Double.parseDouble(root.getAttribute("height")))
          .as(svg)
          .isEqualTo(ReportCharts.HEIGHT);
      assertThat(root.getTextContent()).as(svg).contains(chart.getValue());
      assertThat(html).contains("<a href=\"" + svg + "\">SVG</a>");
    }
    assertThat(
            xml(report.resolve("criteria-nga-nga-msna-2025-2025.svg"))
                .getDocumentElement()
                .getTextContent())
        .contains("Non-displaced (comparator)", "exited_composite");
    assertThat(html).contains("href=\"data/countries.csv\"", "href=\"data/data-coverage.csv\"");
  }

  @Test
  @Order(2)
  void headlineFiguresAreTheHandComputedTotals() {
    // IDPs: 1,300 (NGA) + 700 (TCD); change over NGA only, the one country with 2024: +30 %
    assertThat(html)
        .contains(
            ">2,000<",
            "2 countries with tracking data",
            ">+30.0%<",
            "1 country with a stock in both years",
            // returnees; 1,300 x 0.25 past the benchmark; budget; people reached
            ">250<",
            ">325<",
            "1 country with a survey and a stock",
            ">$2.5 million<",
            ">5,000<");
  }

  @Test
  @Order(3)
  void tablesEqualTheRegionalSummary() {
    SparkSession spark = SparkTestSession.get();
    Dataset<Row> summary = new Lakehouse(spark, lakehouse).read(Tables.REGIONAL_SUMMARY);
    StructType schema = new StructType();
    for (String c : ReportQueries.SUMMARY_COLUMNS) {
      StructField f = Tables.REGIONAL_SUMMARY.schema().apply(c);
      schema = schema.add(c, c.equals("quality_flags") ? DataTypes.StringType : f.dataType());
    }
    for (String[] table : new String[][] {{"countries", "0"}, {"regions", "1"}}) {
      Dataset<Row> written =
          spark
              .read()
              .option("header", "true")
              .schema(schema)
              .csv(report.resolve("data").resolve(table[0] + ".csv").toString())
              .drop("quality_flags");
      Dataset<Row> expected =
          summary
              .where(col("year").equalTo(2025).and(col("admin_level").equalTo(table[1])))
              .selectExpr(written.columns());
      SameRows.assertSame(written, expected, List.of("country", "admin_code"));
    }
    assertThat(html).contains("Nigeria (NGA)", "Chad (TCD)", "Borno");
  }

  @Test
  @Order(4)
  void chartDataAndCoverage() throws IOException {
    assertThat(csv("stock-over-time"))
        .containsExactly(
            "country,year,idp_stock", "NGA,2024,1000.0", "NGA,2025,1300.0", "TCD,2025,700.0");
    assertThat(csv("funding-vs-need"))
        .containsExactly(
            "country,admin_code,admin_name,idp_stock,budget_usd,usd_per_idp",
            "NGA,NG002," + ADAMAWA + ",400.0,1000000.0,2500.0",
            "NGA,NG008,Borno,400.0,1500000.0,3750.0");
    // 14 national survey cells and one of Borno, one of them suppressed; the stale 2025 report
    assertThat(csv("data-coverage"))
        .containsExactly(
            "country,admin1_regions,with_tracking,with_survey,with_programme,last_tracking_report,"
                + "tracking_stale,surveys,survey_cells,survey_cells_suppressed,"
                + "survey_cells_low_precision",
            "NGA,2,2,1,2,2025-11-30,true,nga-msna-2025,15,1,0",
            "TCD,1,1,0,0,,false,\"\",0,0,0");
  }

  @Test
  @Order(5)
  void suppressedCellsStaySuppressedAndNamesAreEscaped() throws IOException {
    assertThat(html)
        .contains(
            "<td>suppressed: 6 respondents</td>", "<td>25.0% (20.0–30.0%), 400 respondents</td>");
    assertThat(csv("criteria"))
        .contains(
            "NGA,nga-msna-2025,2025,c4_housing_land_property,non_displaced,,,,6,true",
            "NGA,nga-msna-2025,2025,exited_composite,idp,0.25,0.2,0.3,400,false");
    assertThat(html).contains("Adamawa &amp; &lt;Gombi&gt;").doesNotContain("<Gombi>");
  }

  @Test
  @Order(6)
  void aSecondReportReplacesTheFirst() throws IOException {
    Files.writeString(report.resolve("stray.txt"), "left by hand");
    Cli again =
        Cli.run("--lakehouse", lakehouse, "report", "--year", "2025", "--out", report.toString());
    assertThat(again.exitCode).as(again.err).isZero();
    assertThat(report.resolve("stray.txt")).doesNotExist();
    assertThat(report.resolve("index.html")).exists();
    try (Stream<Path> siblings = Files.list(report.getParent())) {
      assertThat(siblings.map(p -> p.getFileName().toString())).containsExactly("2025");
    }
  }

  @Test
  @Order(7)
  void refusals() throws IOException {
    Cli noYear =
        Cli.run(
            "--lakehouse",
            lakehouse,
            "report",
            "--year",
            "2019",
            "--out",
            dir.resolve("x").toString());
    assertThat(noYear.exitCode).isEqualTo(2);
    assertThat(noYear.err)
        .contains("indicators.regional_summary has no row for 2019: its years are [2024, 2025]");
    assertThat(dir.resolve("x")).doesNotExist();

    Cli empty = Cli.run("--lakehouse", dir.resolve("empty").toString(), "report", "--year", "2025");
    assertThat(empty.exitCode).isEqualTo(2);
    assertThat(empty.err).contains("does not exist yet: run the pipeline before the report");

    Path notAReport = dir.resolve("notes");
    Files.createDirectories(notAReport);
    Files.writeString(notAReport.resolve("mine.txt"), "keep me");
    Cli elsewhere =
        Cli.run(
            "--lakehouse", lakehouse, "report", "--year", "2025", "--out", notAReport.toString());
    assertThat(elsewhere.exitCode).isEqualTo(2);
    assertThat(elsewhere.err).contains("holds no report (.solutions-report is missing)");
    assertThat(notAReport.resolve("mine.txt")).hasContent("keep me");

    Cli badYear = Cli.run("--lakehouse", lakehouse, "report", "--year", "25");
    assertThat(badYear.exitCode).isEqualTo(2);
    assertThat(badYear.err).contains("--year 25 is not a calendar year");
  }
}
