package org.seg4j.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.seg4j.metric.SegmentationMetrics;
import org.seg4j.run.RunFolder;

/**
 * Writes the eval report as one self-contained HTML file: inline CSS, every chart embedded as a
 * base64 PNG data URI, the score table, and relative links to the data files beside it.
 */
final class HtmlReport {
  private static final String CSS =
      "body{font-family:sans-serif;margin:2em auto;max-width:1100px;color:#222}"
          + "h1{font-size:1.6em}h2{font-size:1.2em;margin-top:1.8em;border-bottom:1px solid #ccc}"
          + "table{border-collapse:collapse;margin:.5em 0}"
          + "td,th{border:1px solid #ccc;padding:3px 9px;text-align:right}"
          + "th{background:#f2f2f2}td.name,th.name{text-align:left}"
          + "tr.mean td{font-weight:bold;background:#fafafa}"
          + "table.info td{text-align:left}p.note{color:#555;font-size:.9em}"
          + "img{max-width:100%;border:1px solid #ddd}";

  private final List<String> sections = new ArrayList<>();

  /** Adds a titled chart, embedding the PNG file; a null file is skipped. */
  public HtmlReport image(String title, Path png) throws IOException {
    if (png != null) {
      String data = Base64.getEncoder().encodeToString(Files.readAllBytes(png));
      sections.add(
          "<h2>"
              + esc(title)
              + "</h2>\n<img alt=\""
              + esc(title)
              + "\" src=\"data:image/png;base64,"
              + data
              + "\">\n");
    }
    return this;
  }

  /**
   * Adds a titled table of text cells; the first column is left-aligned as a name.
   *
   * @param title the section title
   * @param header the column titles
   * @param rows the rows, each as long as the header
   * @param note a paragraph under the table, or null
   */
  public HtmlReport table(String title, List<String> header, List<List<String>> rows, String note) {
    StringBuilder b = new StringBuilder("<h2>").append(esc(title)).append("</h2>\n");
    b.append("<table class=\"levels\">\n<tr>");
    for (int i = 0; i < header.size(); i++) {
      b.append(i == 0 ? "<th class=\"name\">" : "<th>").append(esc(header.get(i))).append("</th>");
    }
    b.append("</tr>\n");
    for (List<String> row : rows) {
      b.append("<tr>");
      for (int i = 0; i < row.size(); i++) {
        b.append(i == 0 ? "<td class=\"name\">" : "<td>").append(esc(row.get(i))).append("</td>");
      }
      b.append("</tr>\n");
    }
    b.append("</table>\n");
    if (note != null) {
      b.append("<p class=\"note\">").append(esc(note)).append("</p>\n");
    }
    sections.add(b.toString());
    return this;
  }

  /** Adds a titled paragraph of plain text. */
  public HtmlReport text(String title, String text) {
    sections.add("<h2>" + esc(title) + "</h2>\n<p class=\"note\">" + esc(text) + "</p>\n");
    return this;
  }

  /**
   * Writes the report.
   *
   * @param file the HTML file
   * @param ctx what was evaluated
   * @param date when, as text
   * @param images number of images evaluated
   * @param m the scores
   * @param meanPerImage mean per-image IoU
   * @param links data files beside the report (names relative to it)
   */
  public void write(
      Path file,
      EvalReport.Context ctx,
      String date,
      int images,
      SegmentationMetrics m,
      double meanPerImage,
      List<String> links)
      throws IOException {
    StringBuilder b = new StringBuilder();
    b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>")
        .append(esc("seg4j eval: " + ctx.run()))
        .append("</title>\n<style>")
        .append(CSS)
        .append("</style></head><body>\n<h1>")
        .append(esc("Evaluation of run " + ctx.run()))
        .append("</h1>\n<table class=\"info\">\n");
    info(b, "run", ctx.run());
    info(b, "checkpoint", ctx.checkpoint());
    info(b, "split", ctx.split());
    info(b, "dataset", ctx.dataset());
    info(b, "images", Integer.toString(images));
    info(b, "inference", ctx.inference());
    info(b, "date", date);
    b.append("</table>\n<h2>Scores</h2>\n");
    scores(b, m);
    b.append("<p>pixel accuracy <b>")
        .append(num(m.pixelAccuracy()))
        .append("</b>, mean IoU <b>")
        .append(num(m.meanIoU()))
        .append("</b>, mean per-image IoU <b>")
        .append(num(meanPerImage))
        .append("</b></p>\n<p class=\"note\">")
        .append(esc(m.note()))
        .append("</p>\n<p>Files: ");
    for (int i = 0; i < links.size(); i++) {
      String l = esc(links.get(i));
      b.append(i > 0 ? " · " : "").append("<a href=\"").append(l).append("\">");
      b.append(l).append("</a>");
    }
    b.append("</p>\n");
    sections.forEach(b::append);
    b.append("</body></html>\n");
    RunFolder.writeText(file, b.toString());
  }

  private static void info(StringBuilder b, String key, String value) {
    b.append("<tr><th class=\"name\">")
        .append(esc(key))
        .append("</th><td>")
        .append(esc(value))
        .append("</td></tr>\n");
  }

  private static void scores(StringBuilder b, SegmentationMetrics m) {
    b.append("<table class=\"scores\">\n<tr><th class=\"name\">class</th><th>IoU</th>")
        .append("<th>recall (PA)</th><th>precision</th><th>Dice</th>")
        .append("<th>true px</th><th>pred px</th></tr>\n");
    for (SegmentationMetrics.ClassRow r : m.rows()) {
      b.append("<tr><td class=\"name\">")
          .append(r.index())
          .append(' ')
          .append(esc(r.name()))
          .append("</td>");
      cells(b, r.iou(), r.recall(), r.precision(), r.dice());
      b.append("<td>").append(r.truthPixels()).append("</td><td>").append(r.predPixels());
      b.append("</td></tr>\n");
    }
    b.append("<tr class=\"mean\"><td class=\"name\">mean</td>");
    cells(b, m.meanIoU(), m.meanRecall(), m.meanPrecision(), m.meanDice());
    b.append("<td></td><td></td></tr>\n</table>\n");
  }

  private static void cells(StringBuilder b, double... values) {
    for (double v : values) {
      b.append("<td>").append(num(v)).append("</td>");
    }
  }

  private static String num(double v) {
    return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.4f", v);
  }

  /** Escapes text for HTML. */
  static String esc(String s) {
    if (s == null) {
      return "";
    }
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
