package org.seg4j.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntConsumer;
import org.seg4j.data.Sample;
import org.seg4j.data.SegmentationDataset;
import org.seg4j.infer.Prediction;
import org.seg4j.infer.Segmenter;
import org.seg4j.metric.ConfusionMatrix;
import org.seg4j.metric.PerImageIoU;
import org.seg4j.metric.SegmentationMetrics;

/**
 * Evaluates a model on a labelled dataset and writes the full report into a folder: the score table
 * ({@code metrics.txt}, {@code metrics.json}), per-image IoU ({@code per_image_iou.csv} and its
 * sorted curve), best-6 and worst-6 panels, the confusion heat map, per-class bars, the run's
 * training curves and a self-contained {@code report.html} with all of them.
 *
 * <p>Only the confusion matrix and one score per image are kept while predicting; the panels'
 * twelve images are predicted again at the end.
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
   * The outcome.
   *
   * @param metrics scores over the whole set
   * @param confusion the confusion matrix
   * @param perImage one score per image, in dataset order
   * @param meanPerImageIoU mean of the per-image scores
   * @param table the printed table ({@code metrics.txt} without its header line)
   * @param html the report file
   */
  public record Result(
      SegmentationMetrics metrics,
      ConfusionMatrix confusion,
      List<PerImageIoU.Entry> perImage,
      double meanPerImageIoU,
      String table,
      Path html) {}

  private final Segmenter segmenter;
  private final SegmentationDataset dataset;
  private final List<String> classNames;
  private final int ignoreIndex;
  private final Context ctx;
  private final Path out;

  private EvalReport(
      Segmenter segmenter,
      SegmentationDataset dataset,
      List<String> classNames,
      int ignoreIndex,
      Context ctx,
      Path out) {
    this.segmenter = segmenter;
    this.dataset = dataset;
    this.classNames = List.copyOf(classNames);
    this.ignoreIndex = ignoreIndex;
    this.ctx = ctx;
    this.out = out;
  }

  /**
   * Predicts every image of {@code dataset} and writes the report into {@code out}.
   *
   * @param segmenter the model (applies the run's normalisation)
   * @param dataset labelled images
   * @param classNames one name per class; their number is the class count
   * @param ignoreIndex truth value not scored
   * @param ctx what is being evaluated
   * @param out the report folder (created)
   * @param progress called with the number of images done after each image
   */
  public static Result run(
      Segmenter segmenter,
      SegmentationDataset dataset,
      List<String> classNames,
      int ignoreIndex,
      Context ctx,
      Path out,
      IntConsumer progress)
      throws IOException {
    if (dataset.size() == 0) {
      throw new IllegalArgumentException(
          "the " + ctx.split() + " split of " + ctx.dataset() + " has no images to evaluate");
    }
    return new EvalReport(segmenter, dataset, classNames, ignoreIndex, ctx, out).run(progress);
  }

  private Result run(IntConsumer progress) throws IOException {
    int k = classNames.size();
    ConfusionMatrix cm = new ConfusionMatrix(k, ignoreIndex);
    PerImageIoU perImage = new PerImageIoU(k, ignoreIndex);
    for (int i = 0; i < dataset.size(); i++) {
      Sample s = dataset.get(i);
      Prediction p = predict(i, s);
      cm.add(p.mask(), s.mask());
      perImage.add(dataset.id(i), p.mask(), s.mask());
      progress.accept(i + 1);
    }
    SegmentationMetrics m = SegmentationMetrics.of(cm, classNames);
    List<PerImageIoU.Entry> entries = perImage.entries();
    double mean = perImage.mean();
    Files.createDirectories(out);
    String table = EvalFiles.tableText(m, mean, dataset.size());
    EvalFiles.table(out.resolve(TABLE), ctx, table);
    EvalFiles.json(out.resolve(JSON), ctx, m, cm, mean, dataset.size());
    EvalFiles.perImageCsv(out.resolve(CSV), entries);

    HtmlReport html = new HtmlReport();
    html.image("Per-class scores", perClassChart(m));
    html.image("Confusion matrix (row-normalised: each truth row sums to 1)", confusionChart(cm));
    html.image("Per-image IoU", perImageChart(entries, mean));
    List<Integer> order = ranked(entries);
    int rows = Math.min(PANEL_ROWS, order.size());
    html.image(
        "Best " + rows + " images",
        panel(
            "panels_best.png",
            "Best " + rows + " by per-image IoU",
            order.subList(0, rows),
            entries));
    List<Integer> worst = new ArrayList<>(order.subList(order.size() - rows, order.size()));
    java.util.Collections.reverse(worst);
    html.image(
        "Worst " + rows + " images",
        panel("panels_worst.png", "Worst " + rows + " by per-image IoU", worst, entries));
    trainingCurves(html);
    String date =
        LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT));
    Path report = out.resolve(HTML);
    html.write(report, ctx, date, dataset.size(), m, mean, List.of(CSV, JSON, TABLE));
    return new Result(m, cm, entries, mean, table, report);
  }

  private Prediction predict(int i, Sample s) {
    if (s.mask() == null) {
      throw new IllegalArgumentException(
          dataset.imagePath(i)
              + " has no mask: eval needs labelled images (use seg4j predict for unlabelled"
              + " ones)");
    }
    Prediction p = segmenter.predict(s);
    if (p.classes() != classNames.size()) {
      throw new IllegalArgumentException(
          "the model predicts "
              + p.classes()
              + " classes but "
              + classNames.size()
              + " class names were given: evaluate with the run's own classes");
    }
    return p;
  }

  /** Dataset indices of the scored images, best first (NaN scores left out). */
  private static List<Integer> ranked(List<PerImageIoU.Entry> entries) {
    List<Integer> idx = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      if (!Double.isNaN(entries.get(i).meanIoU())) {
        idx.add(i);
      }
    }
    idx.sort(
        Comparator.comparingDouble((Integer i) -> -entries.get(i).meanIoU()).thenComparing(i -> i));
    return idx;
  }

  private Path panel(
      String file, String title, List<Integer> indices, List<PerImageIoU.Entry> entries)
      throws IOException {
    if (indices.isEmpty()) {
      return null;
    }
    List<Panels.Row> rows = new ArrayList<>();
    for (int i : indices) {
      Sample s = dataset.get(i);
      Prediction p = segmenter.predict(s);
      String caption =
          String.format(Locale.ROOT, "%s   IoU %.4f", dataset.id(i), entries.get(i).meanIoU());
      rows.add(new Panels.Row(s, s.mask(), p.mask(), caption));
    }
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
    double[] sorted =
        entries.stream()
            .mapToDouble(PerImageIoU.Entry::meanIoU)
            .filter(v -> !Double.isNaN(v))
            .sorted()
            .toArray();
    double[] rank = new double[sorted.length];
    for (int i = 0; i < rank.length; i++) {
      rank[i] = i + 1;
    }
    List<Charts.Line> lines = new ArrayList<>();
    lines.add(new Charts.Line("per-image mIoU (sorted)", rank, sorted, false));
    if (sorted.length > 0) {
      double last = Math.max(2, sorted.length);
      lines.add(
          new Charts.Line(
              String.format(Locale.ROOT, "mean %.4f", mean),
              new double[] {1, last},
              new double[] {mean, mean},
              true));
    }
    return Charts.lines(
        out.resolve("per_image_iou.png"),
        "Per-image IoU, " + sorted.length + " images sorted",
        "image (rank)",
        "mean IoU",
        lines);
  }

  private void trainingCurves(HtmlReport html) throws IOException {
    Path log = ctx.trainingLog();
    if (log == null || !Files.isRegularFile(log)) {
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
