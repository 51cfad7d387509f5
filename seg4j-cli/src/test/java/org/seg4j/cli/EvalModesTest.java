package org.seg4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seg4j.data.SyntheticShapes;
import org.seg4j.run.TrainConfig;
import org.seg4j.train.TinyRuns;

/**
 * {@code seg4j eval} on a tiny U-Net++ with deep supervision trained on 48² images resized to 32²:
 * prune levels (one row per level with IoU and img/s in text, JSON and HTML) and the input resize
 * (the run's own by default, said so; {@code --resize none}; a letterbox), scored at 48².
 */
class EvalModesTest {
  @TempDir static Path data;
  @TempDir static Path runs;
  @TempDir Path tmp;
  static Path deep;
  static Path plain;

  @BeforeAll
  static void trainTinyNestedUNets() throws Exception {
    new SyntheticShapes(48, false, 7).write(data, 24);
    TrainConfig ds =
        TinyRuns.config(data, "0..17", "18..23", 3)
            .set("train.batch", "6")
            .set("model.arch", "nested-unet")
            .set("model.options", "{deep_supervision: true}")
            .set("augment", "[{type: resize, size: 32}]");
    deep = runs.resolve("deep");
    TinyRuns.train(ds, deep);
    TrainConfig one =
        TinyRuns.config(data, "0..3", "4..5", 1)
            .set("model.arch", "nested-unet")
            .set("model.options", "{}");
    plain = runs.resolve("plain");
    TinyRuns.train(one, plain);
  }

  private static String[] eval(Path run, Path out, String... extra) {
    List<String> args = new ArrayList<>(List.of("--device", "cpu"));
    args.addAll(List.of(extra));
    return CliTest.run(TinyData.evalArgs(run, out, args.toArray(String[]::new)));
  }

  private static JsonNode json(Path out) throws Exception {
    return new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
  }

  @Test
  void everyPruneLevelGetsOneRowWithItsIoUAndSpeed() throws Exception {
    Path all = tmp.resolve("all");
    String[] r = eval(deep, all, "--prune-level", "all");
    assertThat(r[0]).as(r[2]).isEqualTo("0");
    JsonNode j = json(all);
    JsonNode levels = j.get("prune_levels");
    assertThat(levels).hasSize(4);
    for (int i = 0; i < 4; i++) {
      JsonNode l = levels.get(i);
      assertThat(l.get("level").asInt()).isEqualTo(i + 1);
      assertThat(l.get("mean_iou").isNumber()).as("level %d mIoU", i + 1).isTrue();
      assertThat(l.get("mean_iou").asDouble()).isBetween(0.0, 1.0);
      assertThat(l.get("class_iou")).hasSize(2);
      assertThat(l.get("images").asInt()).isEqualTo(6);
      assertThat(l.get("images_per_second").asDouble()).isPositive().isFinite();
    }
    // the rest of the report is the full network's
    assertThat(j.get("mean_iou").asDouble()).isEqualTo(levels.get(3).get("mean_iou").asDouble());
    assertThat(j.get("inference").asText()).contains("U-Net++ levels 1-4");

    // text: a header and one row per level, each with a finite mIoU and img/s
    String text = Files.readString(all.resolve("metrics.txt"));
    assertThat(r[1]).contains("U-Net++ prune levels, 6 images each");
    List<String> rows = new ArrayList<>();
    Matcher m =
        Pattern.compile("(?m)^([1-4])\\s+([01]\\.\\d{4})\\s.*\\s(\\d+\\.\\d{2})\\s+\\d+\\.\\d$")
            .matcher(text);
    while (m.find()) {
      rows.add(m.group(1));
      assertThat(Double.parseDouble(m.group(2)))
          .isEqualTo(levels.get(rows.size() - 1).get("mean_iou").asDouble(), within4());
    }
    assertThat(rows).containsExactly("1", "2", "3", "4");

    // HTML: the same table, one row per level
    String html = Files.readString(all.resolve("report.html"));
    int start = html.indexOf("<table class=\"levels\">");
    assertThat(start).isPositive();
    String table = html.substring(start, html.indexOf("</table>", start));
    assertThat(table.split("<tr><td class=\"name\">", -1)).hasSize(1 + 4);
    assertThat(table).contains("img/s").contains("disc IoU");

    // one level alone: one row, the same numbers as its row above (inference is deterministic)
    Path two = tmp.resolve("two");
    String[] r2 = eval(deep, two, "--prune-level", "2");
    assertThat(r2[0]).as(r2[2]).isEqualTo("0");
    JsonNode j2 = json(two);
    assertThat(j2.get("prune_levels")).hasSize(1);
    assertThat(j2.get("prune_levels").get(0).get("level").asInt()).isEqualTo(2);
    assertThat(j2.get("mean_iou").asDouble()).isEqualTo(levels.get(1).get("mean_iou").asDouble());
    assertThat(j2.get("confusion")).isNotEqualTo(null);
  }

  private static org.assertj.core.data.Offset<Double> within4() {
    return org.assertj.core.api.Assertions.within(0.00005);
  }

  @Test
  void aModelWithoutDeepSupervisionRefusesPruneLevels() {
    for (String level : List.of("1", "all")) {
      String[] r = eval(plain, tmp.resolve("p" + level), "--prune-level", level);
      assertThat(r[0]).isEqualTo("2");
      assertThat(r[2])
          .contains("--prune-level " + level)
          .contains("without deep supervision")
          .contains("deep_supervision: true")
          .doesNotContain("Exception");
      assertThat(tmp.resolve("p" + level)).doesNotExist();
    }
  }

  @Test
  void theRunsResizeIsUsedByDefaultSaidAndCanBeTurnedOff() throws Exception {
    Path dflt = tmp.resolve("default");
    String[] r = eval(deep, dflt);
    assertThat(r[0]).as(r[2]).isEqualTo("0");
    assertThat(r[1])
        .contains("Input resize: resize 32x32 (bilinear), as the run's augment resize step trained")
        .contains("--resize none turns it off");
    JsonNode j = json(dflt);
    assertThat(j.get("inference").asText()).contains("resize 32x32");
    // scored at the original size
    assertThat(j.get("pixels").asLong()).isEqualTo(6L * 48 * 48);
    assertThat(Files.readString(dflt.resolve("report.html")))
        .contains("Input resize: resize 32x32");

    Path none = tmp.resolve("none");
    String[] n = eval(deep, none, "--resize", "none");
    assertThat(n[0]).as(n[2]).isEqualTo("0");
    assertThat(n[1]).doesNotContain("Input resize");
    assertThat(json(none).get("inference").asText()).doesNotContain("resize");
    assertThat(json(none).get("pixels").asLong()).isEqualTo(6L * 48 * 48);

    Path box = tmp.resolve("box");
    String[] b = eval(deep, box, "--resize", "32x24", "--letterbox");
    assertThat(b[0]).as(b[2]).isEqualTo("0");
    assertThat(b[1]).contains("Input resize: letterbox 32x24 (pad grey 128, bilinear)");
    assertThat(json(box).get("pixels").asLong()).isEqualTo(6L * 48 * 48);
    assertThat(json(box).get("mean_iou").asDouble()).isBetween(0.0, 1.0);
  }

  @Test
  void letterboxWithoutASizeIsAClearError() {
    String[] r = eval(plain, tmp.resolve("lb"), "--letterbox");
    assertThat(r[0]).isEqualTo("2");
    assertThat(r[2]).contains("--letterbox needs a size").contains("--resize");
    String[] bad = eval(plain, tmp.resolve("bad"), "--resize", "big");
    assertThat(bad[0]).isEqualTo("2");
    assertThat(bad[2]).contains("--resize big").contains("HxW");
  }
}
