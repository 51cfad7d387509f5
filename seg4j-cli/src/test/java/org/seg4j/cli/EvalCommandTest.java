package org.seg4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seg4j.data.FileDataset;
import org.seg4j.data.Sample;
import org.seg4j.data.SyntheticShapes;
import org.seg4j.infer.LoadedModel;
import org.seg4j.infer.TileOptions;
import org.seg4j.metric.ConfusionMatrix;
import org.seg4j.metric.SegmentationMetrics;
import org.seg4j.run.TrainConfig;
import org.seg4j.train.DataSetup;
import org.seg4j.train.TinyRuns;
import org.seg4j.train.Trainer;

/** {@code seg4j eval} on a tiny trained run: the report's files, its numbers, and bad input. */
class EvalCommandTest {
  private static final List<String> PNGS =
      List.of(
          "per_image_iou.png",
          "per_class_iou.png",
          "panels_best.png",
          "panels_worst.png",
          "confusion.png",
          "per_class.png",
          "curves_loss.png",
          "curves_miou.png");

  @TempDir static Path data;
  @TempDir static Path runs;
  @TempDir Path tmp;
  static Path runDir;

  @BeforeAll
  static void trainTinyRun() throws Exception {
    new SyntheticShapes(48, false, 7).write(data, 24);
    TrainConfig cfg = TinyRuns.config(data, "0..17", "18..23", 6).set("train.batch", "6");
    runDir = runs.resolve("tiny");
    try (Trainer t =
        Trainer.start(
            cfg,
            runDir,
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))) {
      t.fit();
    }
  }

  @Test
  void writesEveryFileAndScoresAgreeWithAnIndependentMatrix() throws Exception {
    Path out = tmp.resolve("report");
    String[] r =
        CliTest.run(
            "eval",
            "--run",
            runDir.toString(),
            "--out",
            out.toString(),
            "--no-progress",
            "--device",
            "cpu");
    assertThat(r[0]).as(r[2]).isEqualTo("0");
    assertThat(r[1]).contains("background").contains("disc").contains("mean").contains("IoU");
    assertThat(r[1]).contains("report: ").contains("report.html");

    for (String png : PNGS) {
      BufferedImage img = ImageIO.read(out.resolve(png).toFile());
      assertThat(img).as(png).isNotNull();
      assertThat(img.getWidth()).as(png).isGreaterThan(100);
    }
    List<String> csv = Files.readAllLines(out.resolve("per_image_iou.csv"));
    assertThat(csv.get(0))
        .as("one column per class, headed by its name")
        .isEqualTo("id,miou,background,disc");
    assertThat(csv).hasSize(1 + 6);
    assertThat(csv.subList(1, csv.size()))
        .allSatisfy(l -> assertThat(l).matches("\\d+,[01]\\.\\d{6}(,([01]\\.\\d{6})?){2}"));

    // the same checkpoint, predicted and counted here without the report code
    ConfusionMatrix cm = new ConfusionMatrix(2, 255);
    TrainConfig cfg = TrainConfig.load(runDir.resolve("config.yml"));
    FileDataset val = DataSetup.open(cfg, "val", true);
    try (LoadedModel seg = LoadedModel.fromRun(runDir, null, "cpu", TileOptions.whole())) {
      for (int i = 0; i < val.size(); i++) {
        Sample s = val.get(i);
        int[] p = seg.predict(s).mask();
        cm.add(p, s.mask());
        // this image's own confusion gives the CSV row's per-class cells
        ConfusionMatrix one = new ConfusionMatrix(2, 255);
        one.add(p, s.mask());
        double[] iou = SegmentationMetrics.of(one, null).iou();
        String[] cells = csv.get(1 + i).split(",", -1);
        assertThat(cells[0]).isEqualTo(val.id(i));
        for (int k = 0; k < 2; k++) {
          if (Double.isNaN(iou[k])) {
            assertThat(cells[2 + k]).as("class %d absent from image %s", k, val.id(i)).isEmpty();
          } else {
            assertThat(Double.parseDouble(cells[2 + k])).isCloseTo(iou[k], within(1e-6));
          }
        }
      }
    }
    SegmentationMetrics m = SegmentationMetrics.of(cm, null);
    JsonNode json = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
    assertThat(json.get("images").asInt()).isEqualTo(6);
    assertThat(json.get("split").asText()).isEqualTo("val");
    assertThat(json.get("checkpoint").asText()).contains("best.safetensors");
    for (int t = 0; t < 2; t++) {
      for (int p = 0; p < 2; p++) {
        assertThat(json.get("confusion").get(t).get(p).asLong()).isEqualTo(cm.get(t, p));
      }
      JsonNode c = json.get("classes").get(t);
      assertThat(num(c.get("iou"))).isEqualTo(m.iou()[t]);
      assertThat(num(c.get("recall"))).isEqualTo(m.recall()[t]);
      assertThat(num(c.get("precision"))).isEqualTo(m.precision()[t]);
      assertThat(num(c.get("dice"))).isEqualTo(m.dice()[t]);
    }
    assertThat(json.get("classes").get(1).get("name").asText()).isEqualTo("disc");
    assertThat(num(json.get("mean_iou"))).isEqualTo(m.meanIoU());
    assertThat(num(json.get("pixel_accuracy"))).isEqualTo(m.pixelAccuracy());
    assertThat(json.get("pixels").asLong()).isEqualTo(6L * 48 * 48);
    assertThat(json.get("absent_classes")).isEmpty();

    String html = Files.readString(out.resolve("report.html"));
    assertThat(html.split("data:image/png;base64,", -1)).hasSize(1 + PNGS.size());
    // binary run: panels ranked by the foreground by default, and the report says how many
    assertThat(json.get("ranking").get("by").asText()).isEqualTo("disc IoU");
    int ranked = json.get("ranking").get("ranked").asInt();
    assertThat(ranked + json.get("ranking").get("unranked").asInt()).isEqualTo(6);
    assertThat(html).contains("Ranked by disc IoU: " + ranked + " of 6 images");
    assertThat(r[1]).contains("panels: Ranked by disc IoU");
    assertThat(html)
        .contains("<table class=\"scores\">")
        .contains(String.format(Locale.ROOT, "%.4f", m.meanIoU()))
        .contains("disc")
        .contains("href=\"per_image_iou.csv\"")
        .contains("href=\"metrics.json\"")
        .contains("tiny")
        .contains("best.safetensors")
        .doesNotContain("src=\"http");
    assertThat(Files.readString(out.resolve("metrics.txt"))).contains("pixel accuracy");
  }

  /** A JSON score: null stands for an undefined (NaN) one. */
  private static double num(JsonNode n) {
    return n.isNull() ? Double.NaN : n.asDouble();
  }

  @Test
  void defaultOutputFolderIsInsideTheRun() throws Exception {
    String[] r =
        CliTest.run(
            "eval",
            "--run",
            runDir.toString(),
            "--checkpoint",
            "last",
            "--no-progress",
            "--device",
            "cpu");
    assertThat(r[0]).as(r[2]).isEqualTo("0");
    assertThat(runDir.resolve("eval_val/report.html")).exists();
    assertThat(r[1]).contains("last.safetensors");
  }

  @Test
  void classCountDifferentFromTheRunIsAClearError() {
    String[] r = CliTest.run("eval", "--run", runDir.toString(), "--classes", "3");
    assertThat(r[0]).isEqualTo("2");
    assertThat(r[2]).contains("--classes 3").contains("predicts 2 classes").contains("drop");
  }

  @Test
  void datasetDeclaringOtherClassesIsAClearError() throws Exception {
    Path other = tmp.resolve("other");
    new SyntheticShapes(48, false, 3).write(other, 2);
    Files.write(other.resolve("classes.txt"), List.of("background", "disc", "square"));
    String[] r = CliTest.run("eval", "--run", runDir.toString(), "--data", other.toString());
    assertThat(r[0]).isEqualTo("2");
    assertThat(r[2])
        .contains(other.toString())
        .contains("declares 3 classes")
        .contains("predicts 2")
        .contains("classes.txt");
  }

  @Test
  void runFolderWithoutCheckpointIsAClearError() throws Exception {
    Path copy = tmp.resolve("nockpt");
    Files.createDirectories(copy.resolve("checkpoints"));
    Files.copy(runDir.resolve("config.yml"), copy.resolve("config.yml"));
    Files.copy(runDir.resolve("log.csv"), copy.resolve("log.csv"));
    String[] r = CliTest.run("eval", "--run", copy.toString());
    assertThat(r[0]).isEqualTo("2");
    assertThat(r[2]).contains(copy.toString()).contains("has no checkpoint");
  }

  @Test
  void folderThatIsNotARunIsAClearError() throws Exception {
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    String[] r = CliTest.run("eval", "--run", empty.toString());
    assertThat(r[0]).isEqualTo("2");
    assertThat(r[2]).contains("not a seg4j run folder");
    try (Stream<Path> s = Files.list(empty)) {
      assertThat(s).as("nothing written into a folder that is not a run").isEmpty();
    }
  }

  @Test
  void splitMissingFromTheConfigIsAClearError() {
    String[] r = CliTest.run("eval", "--run", runDir.toString(), "--split", "test");
    assertThat(r[0]).isEqualTo("2");
    assertThat(r[2]).contains("data.test").contains("--data");
  }

  @Test
  void savedPredictionsOfTheModelGiveTheSameReportAsTheModel() throws Exception {
    Path model = tmp.resolve("model");
    String[] m =
        CliTest.run(
            "eval",
            "--run",
            runDir.toString(),
            "--out",
            model.toString(),
            "--no-progress",
            "--device",
            "cpu");
    assertThat(m[0]).as(m[2]).isEqualTo("0");
    // the model's own masks, saved as seg4j predict saves them (synth_0018_mask.png, ...)
    Path pred = tmp.resolve("pred");
    String[] p =
        CliTest.run(
            "predict",
            "--run",
            runDir.toString(),
            "--input",
            data.resolve("images").toString(),
            "--output",
            pred.toString(),
            "--device",
            "cpu");
    assertThat(p[0]).as(p[2]).isEqualTo("0");
    Path ids =
        Files.write(
            tmp.resolve("val.txt"), List.of("0018", "0019", "0020", "0021", "0022", "0023"));

    // without a run: only the data folder, its codec, the ids and the file names
    Path saved = tmp.resolve("saved");
    String[] r =
        CliTest.run(
            "eval",
            "--predictions",
            pred.toString(),
            "--data",
            data.toString(),
            "--mask",
            "index",
            "--classes",
            "2",
            "--list",
            ids.toString(),
            "--set",
            "data.image_pattern=synth_{id}.png",
            "--set",
            "data.mask_pattern=synth_{id}.png",
            "--out",
            saved.toString(),
            "--no-progress");
    assertThat(r[0]).as(r[2]).isEqualTo("0");
    assertThat(r[1]).contains("saved predictions").contains("6 images").contains("report: ");
    assertSameScores(model, saved);

    // with the run: its data, split and class names, no model loaded
    Path withRun = tmp.resolve("withRun");
    String[] w =
        CliTest.run(
            "eval",
            "--run",
            runDir.toString(),
            "--predictions",
            pred.toString(),
            "--out",
            withRun.toString(),
            "--no-progress");
    assertThat(w[0]).as(w[2]).isEqualTo("0");
    assertSameScores(model, withRun);
    assertThat(Files.readAllLines(withRun.resolve("per_image_iou.csv")))
        .isEqualTo(Files.readAllLines(model.resolve("per_image_iou.csv")));
    JsonNode json = new ObjectMapper().readTree(withRun.resolve("metrics.json").toFile());
    assertThat(json.get("checkpoint").asText()).contains("saved predictions");
    for (String png : PNGS) {
      assertThat(ImageIO.read(withRun.resolve(png).toFile())).as(png).isNotNull();
    }

    // one mask missing: one error naming the id and the folder, or skipped on request
    Files.delete(pred.resolve("synth_0020_mask.png"));
    Files.delete(pred.resolve("synth_0020_view.png"));
    String[] miss =
        CliTest.run("eval", "--run", runDir.toString(), "--predictions", pred.toString());
    assertThat(miss[0]).isEqualTo("2");
    assertThat(miss[2])
        .contains("has no prediction for id 0020")
        .contains(pred.toString())
        .contains("synth_0020_mask.png")
        .contains("--skip-missing")
        .doesNotContain("Exception");
    Path skipped = tmp.resolve("skipped");
    String[] skip =
        CliTest.run(
            "eval",
            "--run",
            runDir.toString(),
            "--predictions",
            pred.toString(),
            "--skip-missing",
            "--out",
            skipped.toString(),
            "--no-progress");
    assertThat(skip[0]).as(skip[2]).isEqualTo("0");
    assertThat(skip[1]).contains("Skipped 1 of 6 images").contains("0020").contains("5 images");
    assertThat(Files.readAllLines(skipped.resolve("per_image_iou.csv"))).hasSize(1 + 5);
    assertThat(Files.readString(skipped.resolve("report.html"))).contains("Skipped 1 of 6");
  }

  private static void assertSameScores(Path a, Path b) throws Exception {
    ObjectMapper om = new ObjectMapper();
    JsonNode x = om.readTree(a.resolve("metrics.json").toFile());
    JsonNode y = om.readTree(b.resolve("metrics.json").toFile());
    for (String key :
        List.of(
            "images",
            "pixels",
            "confusion",
            "classes",
            "mean_iou",
            "pixel_accuracy",
            "mean_per_image_iou",
            "ranking",
            "absent_classes")) {
      assertThat(y.get(key)).as(key).isEqualTo(x.get(key));
    }
    List<String> csvA = Files.readAllLines(a.resolve("per_image_iou.csv"));
    assertThat(Files.readAllLines(b.resolve("per_image_iou.csv"))).isEqualTo(csvA);
  }

  @Test
  void modelOptionsAreRefusedWithSavedPredictions() throws Exception {
    Path pred = Files.createDirectories(tmp.resolve("p"));
    String[] r =
        CliTest.run(
            "eval",
            "--run",
            runDir.toString(),
            "--predictions",
            pred.toString(),
            "--prune-level",
            "2");
    assertThat(r[0]).isEqualTo("2");
    assertThat(r[2]).contains("--prune-level needs a model").contains("drop --prune-level");
    String[] none = CliTest.run("eval", "--predictions", pred.toString());
    assertThat(none[0]).isEqualTo("2");
    assertThat(none[2]).contains("--data DIR").contains("--run RUN");
    String[] neither = CliTest.run("eval");
    assertThat(neither[0]).isEqualTo("2");
    assertThat(neither[2]).contains("give --run RUN").contains("--predictions DIR");
  }

  @Test
  void pruneLevelsOnAPlainUNetAreRefused() {
    String[] r = CliTest.run("eval", "--run", runDir.toString(), "--prune-level", "all");
    assertThat(r[0]).isEqualTo("2");
    assertThat(r[2])
        .contains("--prune-level all")
        .contains("nested-unet")
        .contains("is a unet")
        .doesNotContain("Exception");
    String[] bad = CliTest.run("eval", "--run", runDir.toString(), "--prune-level", "5");
    assertThat(bad[0]).isEqualTo("2");
    assertThat(bad[2]).contains("--prune-level 5").contains("1, 2, 3, 4");
  }

  @Test
  void unknownRankClassNamesTheClasses() {
    String[] r = CliTest.run("eval", "--run", runDir.toString(), "--rank-class", "cat");
    assertThat(r[0]).isEqualTo("2");
    assertThat(r[2]).contains("--rank-class cat").contains("background, disc").contains("miou");
  }
}
