package org.seg4j.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seg4j.data.Sample;
import org.seg4j.infer.Outputs;

/** The report's building blocks: panels, the training log reader and HTML escaping. */
class ReportPartsTest {
  @TempDir Path tmp;

  @Test
  void panelRowsAreScaledAndMasksDrawnInClassColours() throws Exception {
    int w = 8;
    int h = 4;
    float[] image = new float[w * h];
    int[] truth = new int[w * h];
    int[] pred = new int[w * h];
    for (int i = 0; i < w * h; i++) {
      image[i] = i / (float) (w * h);
      truth[i] = i % w < 4 ? 0 : 2;
      pred[i] = 1;
    }
    truth[0] = 255;
    Sample s = new Sample("a", 1, h, w, image, truth);
    Panels p = new Panels(64, List.of("bg", "one", "two"), 255);
    Path png =
        p.write(
            tmp.resolve("p.png"),
            "title",
            List.of(
                new Panels.Row(s, truth, pred, "a  IoU 0.5"), new Panels.Row(s, truth, pred, "b")));
    BufferedImage img = ImageIO.read(png.toFile());
    // each tile is 64 high and 128 wide (aspect kept); three tiles and four gaps
    assertThat(img.getWidth()).isEqualTo(3 * 128 + 4 * 8);
    BufferedImage one = p.draw("title", List.of(new Panels.Row(s, truth, pred, "a")));
    assertThat(img.getHeight() - one.getHeight()).isEqualTo(22 + 64 + 8);
    int[] colours = Outputs.colours(3);
    int top = one.getHeight() - 8 - 64;
    int truthX = 2 * 8 + 128;
    assertThat(one.getRGB(truthX + 120, top + 30) & 0xFFFFFF).isEqualTo(colours[2]);
    assertThat(one.getRGB(truthX + 40, top + 30) & 0xFFFFFF).isEqualTo(colours[0]);
    assertThat(one.getRGB(truthX + 2, top + 2) & 0xFFFFFF).isEqualTo(Panels.IGNORE_COLOUR);
    int predX = 3 * 8 + 2 * 128;
    assertThat(one.getRGB(predX + 60, top + 30) & 0xFFFFFF).isEqualTo(colours[1]);
  }

  @Test
  void trainingLogReadsColumnsAndNaNAndDrawsCharts() throws Exception {
    Path csv = tmp.resolve("log.csv");
    Files.writeString(
        csv,
        "epoch,lr,train_loss,val_loss,val_miou,iou_bg,iou_fg,seconds\n"
            + "1,0.01,1.5,NaN,NaN,NaN,NaN,2\n"
            + "2,0.01,1.0,0.9,0.5,0.8,0.2,2\n");
    TrainingLog log = TrainingLog.read(csv);
    assertThat(log.rows()).isEqualTo(2);
    assertThat(log.column("train_loss")).containsExactly(1.5, 1.0);
    assertThat(log.column("val_loss")[0]).isNaN();
    assertThat(log.iouColumns()).containsExactly("iou_bg", "iou_fg");
    assertThat(ImageIO.read(log.lossChart(tmp.resolve("l.png")).toFile())).isNotNull();
    assertThat(ImageIO.read(log.iouChart(tmp.resolve("i.png")).toFile())).isNotNull();
  }

  @Test
  void damagedLogLineIsAClearError() throws Exception {
    Path csv = tmp.resolve("log.csv");
    Files.writeString(csv, "epoch,train_loss\n1,0.5\n2\n");
    assertThatThrownBy(() -> TrainingLog.read(csv))
        .hasMessageContaining(csv.toString())
        .hasMessageContaining("line 3")
        .hasMessageContaining("damaged");
  }

  @Test
  void emptyLogDrawsNoChart() throws Exception {
    Path csv = tmp.resolve("log.csv");
    Files.writeString(csv, "");
    assertThat(TrainingLog.read(csv).lossChart(tmp.resolve("l.png"))).isNull();
  }

  @Test
  void htmlTextIsEscaped() {
    assertThat(HtmlReport.esc("<a & \"b\">")).isEqualTo("&lt;a &amp; &quot;b&quot;&gt;");
  }
}
