package org.seg4j.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.DoubleStream;
import org.seg4j.data.Sample;
import org.seg4j.data.SegmentationDataset;
import org.seg4j.metric.ConfusionMatrix;
import org.seg4j.metric.Evaluator;
import org.seg4j.metric.PerImageIoU;
import org.seg4j.metric.SegmentationMetrics;

/**
 * Writes the report of an evaluation ({@link Evaluator}) into a folder: the score table ({@code
 * metrics.txt}, {@code metrics.json}), per-image IoU ({@code per_image_iou.csv} with one column per
 * class, the sorted per-image mIoU curve and one sorted curve per class with its mean), best and
 * worst panels ranked by a chosen class, the confusion heat map, per-class bars, the run's training
 * curves, the U-Net++ prune-level table when levels were compared, and a self-contained {@code
 * report.html} with all of them.
 *
 * <p>{@link Evaluator#score} predicts every image once, keeping only the confusion matrix and the
 * per-image scores; {@link #write} asks its {@link Evaluator.MaskSource} again for the panels'
 * images.
 */
public final class EvalReport {
  /** Rows in the best and the worst panel. */
  public static final int PANEL_ROWS = 6;

  /** Height of a panel row in pixels. */
  public static final int PANEL_HEIGHT = 256;

  /** The report's file names. */
  public static final String TABLE = "metrics.txt";

  /** Scores as JSON. */
  public static final String JSON = "metrics.json";

  /** Per-image scores. */
  public static final String CSV = "per_image_iou.csv";

  /** The per-class per-image IoU curves. */
  public static final String CLASS_CURVES = "per_class_iou.png";

  /** The HTML report. */
  public static final String HTML = "report.html";

  /**
   * What is being evaluated, for the report's header.
   *
   * @param run the run's name
   * @param checkpoint the checkpoint used (e.g. {@code checkpoints/best.safetensors, epoch 12})
   * @param split the split name
   * @param dataset the dataset folder
   * @param inference the inference options, as text
   * @param trainingLog the run's log.csv, or null when there is none
   */
  public record Context(
      String run,
      String checkpoint,
      String split,
      String dataset,
      String inference,
      Path trainingLog) {}

  /**
   * How to write the report.
   *
   * @param rankClass the class the panels are ranked by, or {@link Ranking#MEAN}
   * @param levels U-Net++ prune levels compared (empty for none): one table row per level
   * @param notes remarks shown in the report (skipped images, input resize), may be empty
   */
  public record Options(int rankClass, List<LevelScore> levels, List<String> notes) {
    /** Copies the lists. */
    public Options {
      levels = List.copyOf(levels);
      notes = List.copyOf(notes);
    }

    /** The defaults for {@code classes} classes: {@link Ranking#defaultClass}, no levels. */
    public static Options defaults(int classes) {
      return new Options(Ranking.defaultClass(classes), List.of(), List.of());
    }
  }

  /**
   * The outcome.
   *
   * @param metrics scores over the whole set
   * @param confusion the confusion matrix
   * @param perImage one score per image, in dataset order
   * @param meanPerImageIoU mean of the per-image scores
   * @param table the printed table ({@code metrics.txt} without its header line)
   * @param html the report file
   * @param ranking how the panels' images were chosen
   */
  public record Result(
      SegmentationMetrics metrics,
      ConfusionMatrix confusion,
      List<PerImageIoU.Entry> perImage,
      double meanPerImageIoU,
      String table,
      Path html,
      Ranking ranking) {}

  private final Evaluator.MaskSource source;
  private final SegmentationDataset dataset;
  private final List<String> classNames;
  private final int ignoreIndex;
  private final Context ctx;
  private final Path out;

  private EvalReport(
      Evaluator.MaskSource source,
      SegmentationDataset dataset,
      List<String> classNames,
      int ignoreIndex,
      Context ctx,
      Path out) {
    this.source = source;
    this.dataset = dataset;
    this.classNames = List.copyOf(classNames);
    this.ignoreIndex = ignoreIndex;
    this.ctx = ctx;
    this.out = out;
  }

  /**
   * The score table of a finished {@link Evaluator#score} pass, as {@link #write} puts it into
   * {@code metrics.txt} (without its header line), for the console before the report is written.
   *
   * @param scores the pass
   * @param classNames one name per class
   * @param levels U-Net++ prune levels compared (empty for none)
   */
  public static String table(Evaluator scores, List<String> classNames, List<LevelScore> levels) {
    return EvalFiles.tableText(
            scores.metrics(classNames),
            scores.meanPerImageIoU(),
            scores.perImage().entries().size())
        + EvalFiles.levelsText(levels, classNames);
  }

  /**
   * Writes the report of a finished {@link Evaluator#score} pass into {@code out}.
   *
   * @param source the predictions, asked again for the panels' images
   * @param dataset the images scored
   * @param classNames one name per class
   * @param ignoreIndex truth value not scored
   * @param ctx what was evaluated
   * @param out the report folder (created)
   * @param scores the pass
   * @param options ranking, prune levels and notes
   */
  public static Result write(
      Evaluator.MaskSource source,
      SegmentationDataset dataset,
      List<String> classNames,
      int ignoreIndex,
      Context ctx,
      Path out,
      Evaluator scores,
      Options options)
      throws IOException {
    return new EvalReport(source, dataset, classNames, ignoreIndex, ctx, out)
        .write(scores, options);
  }

  private Result write(Evaluator scores, Options options) throws IOException {
    ConfusionMatrix cm = scores.confusion();
    SegmentationMetrics m = scores.metrics(classNames);
    List<PerImageIoU.Entry> entries = scores.perImage().entries();
    double mean = scores.meanPerImageIoU();
    Ranking ranking = Ranking.of(entries, options.rankClass(), classNames, PANEL_ROWS);
    Files.createDirectories(out);
    String table = table(scores, classNames, options.levels());
    EvalFiles.table(out.resolve(TABLE), ctx, table);
    EvalFiles.json(
        out.resolve(JSON),
        ctx,
        m,
        cm,
        scores.perImage(),
        ranking,
        options.levels(),
        options.notes());
    EvalFiles.perImageCsv(out.resolve(CSV), entries, classNames);

    HtmlReport html = new HtmlReport();
    if (!options.notes().isEmpty()) {
      html.text("Notes", String.join(" ", options.notes()));
    }
    levelsTable(html, options.levels());
    html.image("Per-class scores", perClassChart(m));
    html.image("Confusion matrix (row-normalised: each truth row sums to 1)", confusionChart(cm));
    html.image("Per-image IoU", perImageChart(entries, mean));
    classCurves(html, scores.perImage());
    html.text("Best and worst images", ranking.describe());
    html.image(
        "Best " + ranking.best().size() + " images by " + ranking.by(),
        panel("panels_best.png", "Best", ranking, ranking.best(), entries));
    if (ranking.worst().isEmpty()) {
      html.text(
          "Worst images",
          "No worst panel: only "
              + ranking.ranked().size()
              + " image(s) were ranked, and the best panel shows them.");
    } else {
      html.image(
          "Worst " + ranking.worst().size() + " images by " + ranking.by(),
          panel("panels_worst.png", "Worst", ranking, ranking.worst(), entries));
    }
    trainingCurves(html);
    String date =
        LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT));
    Path report = out.resolve(HTML);
    html.write(report, ctx, date, entries.size(), m, mean, List.of(CSV, JSON, TABLE));
    return new Result(m, cm, entries, mean, table, report, ranking);
  }

  private void levelsTable(HtmlReport html, List<LevelScore> levels) {
    if (levels.isEmpty()) {
      return;
    }
    List<String> header = new ArrayList<>(List.of("level", "mIoU", "pixel acc", "img IoU"));
    classNames.forEach(n -> header.add(n + " IoU"));
    header.add("img/s");
    header.add("ms/img");
    List<List<String>> rows = new ArrayList<>();
    for (LevelScore l : levels) {
      List<String> row = new ArrayList<>();
      row.add(Integer.toString(l.level()));
      row.add(num(l.metrics().meanIoU()));
      row.add(num(l.metrics().pixelAccuracy()));
      row.add(num(l.meanPerImageIoU()));
      for (double v : l.metrics().iou()) {
        row.add(num(v));
      }
      row.add(String.format(Locale.ROOT, "%.2f", l.imagesPerSecond()));
      row.add(String.format(Locale.ROOT, "%.1f", l.msPerImage()));
      rows.add(row);
    }
    html.table(
        "U-Net++ prune levels",
        header,
        rows,
        "Level L computes only the nodes x_i_j with i + j <= L and answers with head L (4 is the"
            + " full network). img/s counts prediction only, "
            + levels.get(0).images()
            + " images per level; the rest of this report is for level "
            + levels.get(levels.size() - 1).level()
            + ".");
  }

  private static String num(double v) {
    return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.4f", v);
  }

  private Path panel(
      String file,
      String which,
      Ranking ranking,
      List<Integer> indices,
      List<PerImageIoU.Entry> entries)
      throws IOException {
    if (indices.isEmpty()) {
      return null;
    }
    List<Panels.Row> rows = new ArrayList<>();
    for (int i : indices) {
      Sample s = Evaluator.labelled(dataset, i);
      int[] p = source.predict(i, s);
      PerImageIoU.Entry e = entries.get(i);
      String caption =
          ranking.classIndex() == Ranking.MEAN
              ? String.format(Locale.ROOT, "%s   mIoU %.4f", dataset.id(i), e.meanIoU())
              : String.format(
                  Locale.ROOT,
                  "%s   %s %.4f   mIoU %.4f",
                  dataset.id(i),
                  ranking.by(),
                  ranking.score(e),
                  e.meanIoU());
      rows.add(new Panels.Row(s, s.mask(), p, caption));
    }
    String title =
        String.format(
            Locale.ROOT,
            "%s %d of %d ranked by %s",
            which,
            indices.size(),
            ranking.ranked().size(),
            ranking.by());
    return new Panels(PANEL_HEIGHT, classNames, ignoreIndex).write(out.resolve(file), title, rows);
  }

  private Path perClassChart(SegmentationMetrics m) throws IOException {
    Map<String, double[]> series = new LinkedHashMap<>();
    series.put("IoU", m.iou());
    series.put("recall", m.recall());
    series.put("precision", m.precision());
    return Charts.bars(
        out.resolve("per_class.png"), "Per-class scores", "score", classNames, series);
  }

  private Path confusionChart(ConfusionMatrix cm) throws IOException {
    long[][] c = cm.counts();
    double[][] norm = new double[c.length][c.length];
    for (int t = 0; t < c.length; t++) {
      long sum = 0;
      for (long v : c[t]) {
        sum += v;
      }
      for (int p = 0; p < c.length; p++) {
        norm[t][p] = sum == 0 ? 0 : (double) c[t][p] / sum;
      }
    }
    return Charts.heatmap(
        out.resolve("confusion.png"), "Confusion matrix (row-normalised)", classNames, norm);
  }

  private Path perImageChart(List<PerImageIoU.Entry> entries, double mean) throws IOException {
    double[] sorted = sortedScores(entries.stream().mapToDouble(PerImageIoU.Entry::meanIoU));
    return Charts.lines(
        out.resolve("per_image_iou.png"),
        "Per-image IoU, " + sorted.length + " images sorted",
        "image (rank)",
        "mean IoU",
        curve("per-image mIoU (sorted)", sorted, mean));
  }

  /** One sorted curve per class with its mean (seed 002's per-class IoU curves). */
  private void classCurves(HtmlReport html, PerImageIoU perImage) throws IOException {
    List<Charts.Plot> plots = new ArrayList<>();
    List<String> absent = new ArrayList<>();
    List<PerImageIoU.Entry> entries = perImage.entries();
    for (int k = 0; k < classNames.size(); k++) {
      int c = k;
      double[] sorted = sortedScores(entries.stream().mapToDouble(e -> e.classIoU(c)));
      if (sorted.length == 0) {
        absent.add(classNames.get(k));
        continue;
      }
      double mean = perImage.classMean(k);
      plots.add(
          new Charts.Plot(
              String.format(
                  Locale.ROOT, "%s: %d images, mean %.4f", classNames.get(k), sorted.length, mean),
              "image (rank)",
              classNames.get(k) + " IoU",
              curve(classNames.get(k) + " IoU (sorted)", sorted, mean)));
    }
    html.image(
        "Per-class IoU per image (sorted; images where the class is absent from truth and"
            + " prediction left out)",
        Charts.grid(out.resolve(CLASS_CURVES), 2, plots));
    if (!absent.isEmpty()) {
      html.text(
          "Classes without a curve",
          String.join(", ", absent) + ": absent from the truth and the prediction of every image.");
    }
  }

  private static double[] sortedScores(DoubleStream scores) {
    return scores.filter(v -> !Double.isNaN(v)).sorted().toArray();
  }

  /** A sorted score curve over ranks 1..n and a dashed line at its mean. */
  private static List<Charts.Line> curve(String name, double[] sorted, double mean) {
    double[] rank = new double[sorted.length];
    for (int i = 0; i < rank.length; i++) {
      rank[i] = i + 1;
    }
    List<Charts.Line> lines = new ArrayList<>();
    lines.add(new Charts.Line(name, rank, sorted, false));
    if (sorted.length > 0) {
      double last = Math.max(2, sorted.length);
      lines.add(
          new Charts.Line(
              String.format(Locale.ROOT, "mean %.4f", mean),
              new double[] {1, last},
              new double[] {mean, mean},
              true));
    }
    return lines;
  }

  private void trainingCurves(HtmlReport html) throws IOException {
    Path log = ctx.trainingLog();
    if (log == null) {
      return;
    }
    if (!Files.isRegularFile(log)) {
      html.text("Training curves", "The run has no log.csv, so there are no training curves.");
      return;
    }
    TrainingLog t = TrainingLog.read(log);
    Path loss = t.lossChart(out.resolve("curves_loss.png"));
    Path iou = t.iouChart(out.resolve("curves_miou.png"));
    if (loss == null && iou == null) {
      html.text("Training curves", log + " holds no epochs yet.");
    }
    html.image("Training curves: loss", loss);
    html.image("Training curves: validation IoU", iou);
  }
}
