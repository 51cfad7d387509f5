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
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seg4j.data.FileDataset;
import org.seg4j.data.Sample;
import org.seg4j.data.SyntheticShapes;
import org.seg4j.infer.PredictOptions;
import org.seg4j.infer.Segmenter;
import org.seg4j.metric.ConfusionMatrix;
import org.seg4j.metric.SegmentationMetrics;
import org.seg4j.train.DataSetup;
import org.seg4j.train.TinyRuns;
import org.seg4j.train.TrainConfig;
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
    try (Segmenter seg = Segmenter.fromRun(runDir, null, "cpu", PredictOptions.whole())) {
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
    assertThat(html)
        .contains("<table class=\"scores\">")
        .contains(String.format(java.util.Locale.ROOT, "%.4f", m.meanIoU()))
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
}
