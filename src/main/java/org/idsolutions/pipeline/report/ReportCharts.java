package org.idsolutions.pipeline.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Rectangle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.SVGUtils;

/**
 * The report's charts, drawn with JFreeChart and saved twice: as PNG for the page and as SVG (by
 * JFreeSVG, text kept as text) for print and editing. Each method takes the file's path without its
 * extension and writes both files.
 */
final class ReportCharts {
  static final int WIDTH = 900;
  static final int HEIGHT = 480;

  static {
    // no display on servers: AWT draws into images only
    System.setProperty("java.awt.headless", "true");
  }

  private ReportCharts() {}

  /** One point of a line or scatter: a series (country), x and y. */
  record Point(String series, double x, double y) {}

  /** A survey estimate for the criteria chart: the share and its interval, or null (none). */
  record Estimate(String criterion, String group, Double value, Double low, Double high) {}

  /** IDPs at the end of each year, one line per country. */
  static void stockOverTime(List<Point> points, Path file) {
    XYSeriesCollection data = series(points);
    JFreeChart chart =
        ChartFactory.createXYLineChart(
            "IDPs at the last report of each year",
            "Year",
            "IDPs",
            data,
            PlotOrientation.VERTICAL,
            true,
            false,
            false);
    XYPlot plot = chart.getXYPlot();
    NumberAxis years = (NumberAxis) plot.getDomainAxis();
    years.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    years.setAutoRangeIncludesZero(false);
    // 2025, not 2,025
    years.setNumberFormatOverride(new DecimalFormat("0"));
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
    plot.setRenderer(renderer);
    style(chart);
    save(chart, file);
  }

  /**
   * One survey's criteria: the share of IDP and of non-displaced households that meet each, with
   * their confidence intervals (asymmetric: logit intervals).
   */
  static void criteria(
      String title, List<String> criteria, List<Estimate> estimates, Path file, String level) {
    YIntervalSeriesCollection data = new YIntervalSeriesCollection();
    Map<String, Double> offsets = Map.of("idp", -0.12, "non_displaced", 0.12);
    for (String group : List.of("idp", "non_displaced")) {
      YIntervalSeries s =
          new YIntervalSeries(group.equals("idp") ? "IDPs" : "Non-displaced (comparator)");
      for (Estimate e : estimates) {
        if (e.group().equals(group) && e.value() != null) {
          double x = criteria.indexOf(e.criterion()) + offsets.get(group);
          double low = e.low() == null ? e.value() : e.low();
          double high = e.high() == null ? e.value() : e.high();
          s.add(x, 100 * e.value(), 100 * low, 100 * high);
        }
      }
      data.addSeries(s);
    }
    SymbolAxis x = new SymbolAxis("Criterion", criteria.toArray(new String[0]));
    x.setRange(-0.6, criteria.size() - 0.4);
    NumberAxis y = new NumberAxis("Households meeting it, % (" + level + " interval)");
    y.setRange(0, 100);
    XYErrorRenderer renderer = new XYErrorRenderer();
    renderer.setDrawXError(false);
    renderer.setErrorStroke(new BasicStroke(1.5f));
    renderer.setCapLength(8);
    renderer.setDefaultLinesVisible(false);
    renderer.setDefaultShapesVisible(true);
    XYPlot plot = new XYPlot(data, x, y, renderer);
    JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    style(chart);
    save(chart, file);
  }

  /** Admin 1 regions: programme budget against IDPs, one colour per country. */
  static void fundingVsNeed(List<Point> points, Path file, int year) {
    JFreeChart chart =
        ChartFactory.createScatterPlot(
            "Programme budget and IDPs per admin 1 region, " + year,
            "IDPs",
            "Budget (USD)",
            series(points),
            PlotOrientation.VERTICAL,
            true,
            false,
            false);
    style(chart);
    save(chart, file);
  }

  private static XYSeriesCollection series(List<Point> points) {
    XYSeriesCollection data = new XYSeriesCollection();
    for (Point p : points) {
      int i = data.getSeriesIndex(p.series());
      // two regions of a country may have the same number of IDPs
      XYSeries s = i >= 0 ? data.getSeries(i) : new XYSeries(p.series(), false, true);
      if (i < 0) {
        data.addSeries(s);
      }
      s.add(p.x(), p.y());
    }
    return data;
  }

  private static void style(JFreeChart chart) {
    chart.setBackgroundPaint(Color.WHITE);
    chart.getPlot().setBackgroundPaint(Color.WHITE);
    if (chart.getPlot() instanceof XYPlot p) {
      p.setDomainGridlinePaint(Color.LIGHT_GRAY);
      p.setRangeGridlinePaint(Color.LIGHT_GRAY);
    }
  }

  /** The number of files each chart writes: its PNG and its SVG. */
  static final int FILES_PER_CHART = 2;

  private static void save(JFreeChart chart, Path stem) {
    Path png = stem.resolveSibling(stem.getFileName() + ".png");
    Path svg = stem.resolveSibling(stem.getFileName() + ".svg");
    try {
      ChartUtils.saveChartAsPNG(png.toFile(), chart, WIDTH, HEIGHT);
      SVGGraphics2D g = new SVGGraphics2D(WIDTH, HEIGHT);
      chart.draw(g, new Rectangle(0, 0, WIDTH, HEIGHT));
      SVGUtils.writeToSVG(svg.toFile(), g.getSVGElement());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the chart " + stem + ".png/.svg", e);
    }
  }
}
