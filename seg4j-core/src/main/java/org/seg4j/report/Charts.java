package org.seg4j.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.seg4j.io.ImageIo;
import org.seg4j.io.Provenance;

/**
 * The report's charts, drawn with XChart and saved as PNG: line charts (training curves, per-image
 * IoU with its mean), a grid of small line charts (one per class), grouped bars (per-class
 * IoU/recall/precision) and a heat map (confusion matrix). Inputs are plain arrays, so any stage
 * can plot.
 */
final class Charts {
  static {
    System.setProperty("java.awt.headless", "true");
  }

  private Charts() {}

  /** One line: x and y values of equal length. */
  public record Line(String name, double[] x, double[] y, boolean dashed) {}

  /**
   * One small chart of a grid.
   *
   * @param title the chart's title
   * @param xLabel x axis title
   * @param yLabel y axis title
   * @param lines its lines
   */
  public record Plot(String title, String xLabel, String yLabel, List<Line> lines) {}

  /** Saves a line chart; NaN points are skipped. */
  public static Path lines(Path png, String title, String xLabel, String yLabel, List<Line> lines)
      throws IOException {
    return save(lineChart(800, 450, title, xLabel, yLabel, lines, false), png);
  }

  /**
   * Saves small line charts side by side, {@code columns} per row, each {@code 480 x 300} with y
   * from 0 to 1 (scores), as one PNG; null when there is no plot.
   */
  public static Path grid(Path png, int columns, List<Plot> plots) throws IOException {
    if (plots.isEmpty()) {
      return null;
    }
    int w = 480;
    int h = 300;
    int cols = Math.min(columns, plots.size());
    int rows = (plots.size() + cols - 1) / cols;
    BufferedImage out = new BufferedImage(cols * w, rows * h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, out.getWidth(), out.getHeight());
      for (int i = 0; i < plots.size(); i++) {
        Plot p = plots.get(i);
        XYChart c = lineChart(w, h, p.title(), p.xLabel(), p.yLabel(), p.lines(), true);
        g.drawImage(BitmapEncoder.getBufferedImage(c), (i % cols) * w, (i / cols) * h, null);
      }
    } finally {
      g.dispose();
    }
    ImageIo.writePng(out, png, Provenance.REPORT);
    return png;
  }

  private static XYChart lineChart(
      int width,
      int height,
      String title,
      String xLabel,
      String yLabel,
      List<Line> lines,
      boolean unitRange) {
    XYChart c =
        new XYChartBuilder()
            .width(width)
            .height(height)
            .title(title)
            .xAxisTitle(xLabel)
            .yAxisTitle(yLabel)
            .build();
    c.getStyler().setChartBackgroundColor(Color.WHITE);
    c.getStyler().setMarkerSize(4);
    if (unitRange) {
      c.getStyler().setYAxisMin(0.0);
      c.getStyler().setYAxisMax(1.0);
      c.getStyler().setYAxisDecimalPattern("0.0");
      c.getStyler().setXAxisDecimalPattern("0");
    }
    for (Line l : lines) {
      List<Double> xs = new ArrayList<>();
      List<Double> ys = new ArrayList<>();
      for (int i = 0; i < l.x().length; i++) {
        if (!Double.isNaN(l.y()[i])) {
          xs.add(l.x()[i]);
          ys.add(l.y()[i]);
        }
      }
      if (xs.isEmpty()) {
        continue;
      }
      XYSeries s = c.addSeries(l.name(), xs, ys);
      if (l.dashed()) {
        s.setMarker(SeriesMarkers.NONE);
        s.setLineStyle(new BasicStroke(2f, 0, 0, 10f, new float[] {6f, 4f}, 0f));
      }
    }
    return c;
  }

  /** Saves grouped bars: one group per category, one bar per series; NaN shows as 0. */
  public static Path bars(
      Path png, String title, String yLabel, List<String> categories, Map<String, double[]> series)
      throws IOException {
    CategoryChart c =
        new CategoryChartBuilder()
            .width(Math.max(800, 60 * categories.size() * series.size()))
            .height(450)
            .title(title)
            .yAxisTitle(yLabel)
            .build();
    c.getStyler().setChartBackgroundColor(Color.WHITE);
    c.getStyler().setYAxisMin(0.0);
    c.getStyler().setYAxisMax(1.0);
    c.getStyler().setLabelsVisible(categories.size() * series.size() <= 40);
    c.getStyler().setYAxisDecimalPattern("0.00");
    for (Map.Entry<String, double[]> e : series.entrySet()) {
      List<Double> v = new ArrayList<>();
      for (double d : e.getValue()) {
        v.add(Double.isNaN(d) ? 0.0 : d);
      }
      c.addSeries(e.getKey(), categories, v);
    }
    return save(c, png);
  }

  /** Saves a heat map of a matrix (rows: truth, columns: prediction), e.g. row-normalised. */
  public static Path heatmap(Path png, String title, List<String> labels, double[][] m)
      throws IOException {
    int k = labels.size();
    HeatMapChart c =
        new HeatMapChartBuilder()
            .width(Math.max(500, 60 * k + 200))
            .height(Math.max(450, 60 * k + 150))
            .title(title)
            .xAxisTitle("prediction")
            .yAxisTitle("truth")
            .build();
    c.getStyler().setChartBackgroundColor(Color.WHITE);
    c.getStyler().setShowValue(k <= 12);
    c.getStyler()
        .setRangeColors(
            new Color[] {
              new Color(247, 251, 255), new Color(107, 174, 214), new Color(8, 48, 107)
            });
    List<Number[]> data = new ArrayList<>();
    for (int t = 0; t < k; t++) {
      for (int p = 0; p < k; p++) {
        // XChart's heat map y grows upward: put truth row 0 at the top.
        data.add(new Number[] {p, k - 1 - t, Math.round(m[t][p] * 1000) / 1000.0});
      }
    }
    List<String> reversed = new ArrayList<>(labels);
    Collections.reverse(reversed);
    c.addSeries("confusion", labels, reversed, data);
    return save(c, png);
  }

  /** Draws a chart and writes it atomically as {@code png} (".png" is added when missing). */
  private static Path save(Chart<?, ?> c, Path png) throws IOException {
    String name = png.getFileName().toString();
    Path file = name.endsWith(".png") ? png : png.resolveSibling(name + ".png");
    ImageIo.writePng(BitmapEncoder.getBufferedImage(c), file, Provenance.REPORT);
    return file;
  }
}
