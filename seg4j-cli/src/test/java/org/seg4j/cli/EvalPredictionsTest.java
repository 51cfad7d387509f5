package org.seg4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seg4j.io.ImageIo;

/**
 * {@code seg4j eval --predictions} on hand-made masks, whose scores are known: the per-class CSV,
 * the ranking of the best/worst panels by a class (images without it not ranked, no image in both
 * panels), the saved-mask name forms and value forms, and bad masks.
 */
class EvalPredictionsTest {
  private static final int S = 8;

  @TempDir Path data;
  @TempDir Path pred;
  @TempDir Path tmp;

  /** Foreground in the columns [x0, x1) of an 8x8 mask, as 0/one values. */
  private static int[] columns(int x0, int x1, int one) {
    int[] m = new int[S * S];
    for (int i = 0; i < m.length; i++) {
      m[i] = i % S >= x0 && i % S < x1 ? one : 0;
    }
    return m;
  }

  /**
   * Five images: two empty (no cell in truth or prediction, so not ranked by cell), one predicted
   * exactly (cell IoU 1), one half (cell IoU 0.5) and one missed (cell IoU 0). The predictions use
   * every accepted name form and both 0/1 and 0/255 values.
   */
  @BeforeEach
  void handMade() throws Exception {
    int[] grey = new int[S * S];
    List<String> ids = List.of("01_empty", "02_full", "03_half", "04_miss", "05_empty");
    int[][] truth = {
      columns(0, 0, 1), columns(0, 4, 1), columns(0, 4, 1), columns(0, 4, 1), columns(0, 0, 1)
    };
    for (int i = 0; i < ids.size(); i++) {
      ImageIo.writeGrey8(data.resolve("images/" + ids.get(i) + ".png"), S, S, grey);
      ImageIo.writeGrey8(data.resolve("masks/" + ids.get(i) + ".png"), S, S, truth[i]);
    }
    Files.write(data.resolve("classes.txt"), List.of("background", "cell"));
    ImageIo.writeGrey8(pred.resolve("01_empty_mask.png"), S, S, columns(0, 0, 255));
    ImageIo.writeGrey8(pred.resolve("02_full.png"), S, S, columns(0, 4, 1));
    ImageIo.writeGrey8(pred.resolve("03_half_seg.png"), S, S, columns(0, 2, 255));
    ImageIo.writeGrey8(pred.resolve("04_miss_mask.png"), S, S, columns(4, 8, 1));
    ImageIo.writeGrey8(pred.resolve("05_empty_view.png"), S, S, columns(0, 0, 255));
  }

  private String[] eval(Path out, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "eval",
                "--predictions",
                pred.toString(),
                "--data",
                data.toString(),
                "--out",
                out.toString(),
                "--no-progress"));
    args.addAll(List.of(extra));
    return CliTest.run(args.toArray(String[]::new));
  }

  @Test
  void perClassCsvAndPanelsRankedByTheForeground() throws Exception {
    Path out = tmp.resolve("cell");
    String[] r = eval(out);
    assertThat(r[0]).as(r[2]).isEqualTo("0");
    List<String> csv = Files.readAllLines(out.resolve("per_image_iou.csv"));
    assertThat(csv)
        .containsExactly(
            "id,miou,background,cell",
            // only the background occurs: cell empty, not 0 or 1
            "01_empty,1.000000,1.000000,",
            "02_full,1.000000,1.000000,1.000000",
            // background I=32 U=48, cell I=16 U=32
            "03_half,0.583333,0.666667,0.500000",
            "04_miss,0.000000,0.000000,0.000000",
            "05_empty,1.000000,1.000000,");

    JsonNode json = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
    JsonNode rank = json.get("ranking");
    assertThat(rank.get("by").asText()).isEqualTo("cell IoU");
    assertThat(rank.get("ranked").asInt()).isEqualTo(3);
    assertThat(rank.get("unranked").asInt()).isEqualTo(2);
    assertThat(ids(rank.get("best"))).containsExactly("02_full", "03_half");
    assertThat(ids(rank.get("worst"))).containsExactly("04_miss");
    // the per-class mean over the images where the class occurs: (1 + 0.5 + 0) / 3
    assertThat(json.get("classes").get(1).get("mean_per_image_iou").asDouble())
        .isEqualTo(0.5, org.assertj.core.api.Assertions.within(1e-12));
    String html = Files.readString(out.resolve("report.html"));
    assertThat(html)
        .contains(
            "Ranked by cell IoU: 3 of 5 images; 2 images were not ranked (cell absent from truth"
                + " and prediction). Best panel 2, worst panel 1 images.");
    assertThat(r[1]).contains("panels: Ranked by cell IoU: 3 of 5 images");
    // the best panel has one row more than the worst (row = caption 22 + tile 256 + gap 8)
    BufferedImage best = ImageIO.read(out.resolve("panels_best.png").toFile());
    BufferedImage worst = ImageIO.read(out.resolve("panels_worst.png").toFile());
    assertThat(best.getHeight() - worst.getHeight()).isEqualTo(22 + 256 + 8);
    // two classes with curves: two small charts side by side
    BufferedImage curves = ImageIO.read(out.resolve("per_class_iou.png").toFile());
    assertThat(curves.getWidth()).isEqualTo(2 * 480);
    assertThat(curves.getHeight()).isEqualTo(300);
    assertThat(html).doesNotContain("training curves").doesNotContain("Training curves");
  }

  @Test
  void rankClassMiouAndByNameOrIndex() throws Exception {
    Path out = tmp.resolve("miou");
    String[] r = eval(out, "--rank-class", "miou");
    assertThat(r[0]).as(r[2]).isEqualTo("0");
    JsonNode rank =
        new ObjectMapper().readTree(out.resolve("metrics.json").toFile()).get("ranking");
    assertThat(rank.get("by").asText()).isEqualTo("mIoU");
    assertThat(rank.get("ranked").asInt()).isEqualTo(5);
    // ties (mIoU 1) in dataset order; best takes 3 of 5, worst the other 2, worst first
    assertThat(ids(rank.get("best"))).containsExactly("01_empty", "02_full", "05_empty");
    assertThat(ids(rank.get("worst"))).containsExactly("04_miss", "03_half");

    for (String bg : List.of("background", "0", "BACKGROUND")) {
      Path o = tmp.resolve("bg" + bg);
      String[] b = eval(o, "--rank-class", bg);
      assertThat(b[0]).as(b[2]).isEqualTo("0");
      JsonNode k = new ObjectMapper().readTree(o.resolve("metrics.json").toFile()).get("ranking");
      assertThat(k.get("by").asText()).isEqualTo("background IoU");
      assertThat(k.get("class").asText()).isEqualTo("background");
      assertThat(k.get("ranked").asInt()).isEqualTo(5);
    }
  }

  @Test
  void oneRankedImageFillsOnlyTheBestPanel() throws Exception {
    for (String id : List.of("02_full.png", "03_half_seg.png")) {
      Files.delete(pred.resolve(id));
    }
    Path out = tmp.resolve("one");
    String[] r = eval(out, "--skip-missing");
    assertThat(r[0]).as(r[2]).isEqualTo("0");
    assertThat(r[1]).contains("Skipped 2 of 5 images").contains("02_full, 03_half");
    JsonNode rank =
        new ObjectMapper().readTree(out.resolve("metrics.json").toFile()).get("ranking");
    assertThat(ids(rank.get("best"))).containsExactly("04_miss");
    assertThat(rank.get("worst")).isEmpty();
    assertThat(out.resolve("panels_worst.png")).doesNotExist();
    assertThat(Files.readString(out.resolve("report.html"))).contains("No worst panel");
  }

  @Test
  void badSavedMasksAreClearErrors() throws Exception {
    ImageIo.writeGrey8(pred.resolve("02_full.png"), S, S, columns(0, 4, 7));
    String[] r = eval(tmp.resolve("bad"));
    assertThat(r[0]).isEqualTo("2");
    assertThat(r[2])
        .contains(pred.resolve("02_full.png").toString())
        .contains("holds value 7")
        .contains("2 classes");
    ImageIo.writeGrey8(pred.resolve("02_full.png"), 4, 4, new int[16]);
    String[] size = eval(tmp.resolve("size"));
    assertThat(size[0]).isEqualTo("2");
    assertThat(size[2]).contains("02_full.png is 4x4").contains("8x8");
    // without classes.txt the classes come from the masks, numbered
    Files.delete(data.resolve("classes.txt"));
    ImageIo.writeGrey8(pred.resolve("02_full.png"), S, S, columns(0, 4, 1));
    Path out = tmp.resolve("numbered");
    String[] k = eval(out);
    assertThat(k[0]).as(k[2]).isEqualTo("0");
    assertThat(Files.readAllLines(out.resolve("per_image_iou.csv")).get(0))
        .isEqualTo("id,miou,class0,class1");
    assertThat(k[1]).contains("Ranked by class1 IoU: 3 of 5 images");
  }

  private static List<String> ids(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
