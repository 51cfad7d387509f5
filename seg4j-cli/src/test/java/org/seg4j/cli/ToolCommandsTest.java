package org.seg4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seg4j.augment.AugmentConfig;
import org.seg4j.model.ModelConfig;
import org.seg4j.model.ModelOption;
import org.seg4j.model.ModelRegistry;

/**
 * The tool commands through the CLI, each on tiny sizes with its output checked: {@code models}
 * (every registered architecture with its parameter count), {@code demo} shortened to one epoch on
 * a few small images, and a successful {@code bench} whose JSON line is parsed.
 */
class ToolCommandsTest {
  @TempDir Path tmp;

  @Test
  void modelsListsEveryRegisteredArchitectureWithItsParameterCount() {
    CliRun r = CliRun.ok("models", "--base", "4", "--classes", "3", "--in-channels", "1");
    List<String> lines = r.out().lines().toList();
    assertThat(lines.get(0)).containsPattern("name\\s+base\\s+parameters\\s+description");
    assertThat(lines).hasSize(1 + ModelRegistry.entries().size());
    for (ModelRegistry.Entry e : ModelRegistry.entries().values()) {
      Matcher m =
          Pattern.compile("(?m)^" + Pattern.quote(e.name()) + "\\s+4\\s+([0-9,]+)\\s+(.+)$")
              .matcher(r.out());
      assertThat(m.find()).as("a row for %s in%n%s", e.name(), r.out()).isTrue();
      long params = e.factory().apply(ModelConfig.of(e.name(), 1, 3, 4)).parameterCount();
      assertThat(Long.parseLong(m.group(1).replace(",", ""))).as(e.name()).isEqualTo(params);
      assertThat(params).as(e.name()).isPositive();
      assertThat(m.group(2)).isEqualTo(e.description());
    }
  }

  @Test
  void modelsBuildsOneArchitectureWithItsOptionsAndListsThem() {
    CliRun r =
        CliRun.ok("models", "--arch", "unet", "--base", "4", "-O", "depth=3", "-O", "bn=false");
    long params =
        ModelRegistry.create(ModelConfig.of("unet", 1, 2, 4).with("depth", "3").with("bn", "false"))
            .parameterCount();
    assertThat(params)
        .isNotEqualTo(ModelRegistry.create(ModelConfig.of("unet", 1, 2, 4)).parameterCount());
    Matcher m = Pattern.compile("(?m)^unet\\s+4\\s+([0-9,]+)\\s").matcher(r.out());
    assertThat(m.find()).as(r.all()).isTrue();
    assertThat(Long.parseLong(m.group(1).replace(",", ""))).isEqualTo(params);
    assertThat(r.out().lines().filter(l -> l.matches("[a-z0-9-]+ +\\d+ +[\\d,]+  .*")))
        .as("one architecture")
        .hasSize(1);
    for (ModelOption o : ModelRegistry.entry("unet").options()) {
      assertThat(r.out())
          .containsPattern(
              "(?m)^  "
                  + Pattern.quote(o.name())
                  + " +"
                  + Pattern.quote(o.defaultValue())
                  + " +"
                  + Pattern.quote(o.allowed())
                  + " +"
                  + Pattern.quote(o.doc())
                  + "$");
    }
    String help = CliRun.ok("models", "--help").out().replaceAll("\\s+", " ");
    for (ModelRegistry.Entry e : ModelRegistry.entries().values()) {
      for (ModelOption o : e.options()) {
        assertThat(help).contains(o.name() + "=" + o.defaultValue() + " (" + o.allowed() + ")");
      }
    }
  }

  @Test
  void augmentHelpListsEveryTransformKeyFromItsDeclaration() {
    String help = CliRun.ok("augment", "--help").out().replaceAll("\\s+", " ");
    String type = null;
    int keys = 0;
    for (String row : AugmentConfig.transformTable().split("\n")) {
      String[] c = row.split("\\|", -1);
      if (c.length < 5 || row.startsWith("| type") || row.startsWith("|---")) {
        continue;
      }
      String doc = c[4].strip();
      if (!c[1].isBlank()) {
        type = c[1].strip().replace("`", "");
        assertThat(help).contains(" " + type + " " + doc);
      } else {
        String key = c[2].strip().replace("`", "");
        String def = c[3].strip();
        assertThat(help)
            .as("%s.%s", type, key)
            .contains(key + (def.isEmpty() ? "" : "=" + def) + " " + doc);
        keys++;
      }
    }
    assertThat(keys).isGreaterThan(20);
  }

  @Test
  void modelsRefusesAnUnknownOptionWithTheValidOnes() {
    CliRun r = CliRun.of("models", "--arch", "vgg16-unet", "-O", "depth=3");
    Hostile.oneLineError(r, "'depth' is not known for vgg16-unet", "[align_corners, bn, up]");
    CliRun noArch = CliRun.of("models", "-O", "depth=3");
    Hostile.oneLineError(noArch, "-O needs --arch", "seg4j models --arch unet -O depth=3");
    CliRun badValue = CliRun.of("models", "--arch", "unet", "-O", "depth=9");
    Hostile.oneLineError(badValue, "depth=9", "1 to 6");
  }

  @Test
  void aShortenedDemoTrainsEvaluatesAndPredicts() throws Exception {
    assertThat(CliRun.ok("demo", "--help").out().replaceAll("\\s+", " "))
        .contains("--epochs 1 --images 8 --size 16 is a check that takes seconds");
    Path out = tmp.resolve("demo");
    CliRun r =
        CliRun.ok(
            "demo",
            "--out",
            out.toString(),
            "--binary",
            "--images",
            "8",
            "--size",
            "16",
            "--epochs",
            "1",
            "--threads",
            "2");
    assertThat(r.out())
        .contains("demo: 8 synthetic 16x16 images (2 classes: background, disc)")
        .containsPattern("demo done in 1 epochs: best validation mIoU [01]\\.\\d{4}");
    assertThat(out.resolve("run/checkpoints/best.safetensors")).isNotEmptyFile();
    assertThat(Files.readAllLines(out.resolve("run/log.csv"))).hasSize(2);
    JsonNode m = new ObjectMapper().readTree(out.resolve("report/metrics.json").toFile());
    assertThat(m.get("images").asInt()).as("images 6 and 7 validate").isEqualTo(2);
    try (var s = Files.list(out.resolve("predictions"))) {
      assertThat(s.map(p -> p.getFileName().toString()).sorted().toList())
          .containsExactly(
              "synth_0006_overlay.png",
              "synth_0006_view.png",
              "synth_0007_overlay.png",
              "synth_0007_view.png");
    }
  }

  @Test
  void benchEndsWithAJsonLineOfItsFigures() throws Exception {
    CliRun r =
        CliRun.ok(
            "bench",
            "--arch",
            "unet",
            "--base",
            "4",
            "--size",
            "16",
            "--batch",
            "2",
            "--steps",
            "2",
            "--warmup",
            "1",
            "--rss-every",
            "1",
            "--threads",
            "2",
            "--device",
            "cpu");
    List<String> lines = r.out().strip().lines().toList();
    JsonNode j = new ObjectMapper().readTree(lines.get(lines.size() - 1));
    assertThat(j.get("arch").asText()).isEqualTo("unet");
    assertThat(j.get("impl").asText()).startsWith("seg4j djl ").contains(" libtorch ");
    assertThat(j.get("params").asLong())
        .isEqualTo(ModelRegistry.create(ModelConfig.of("unet", 1, 2, 4)).parameterCount());
    for (String f :
        List.of(
            "train_img_per_s", "infer_img_per_s", "peak_rss_mb", "rss_first_mb", "rss_last_mb")) {
      assertThat(j.get(f)).as(f).isNotNull();
      assertThat(j.get(f).isNumber()).as(f).isTrue();
      assertThat(j.get(f).asDouble()).as(f).isPositive().isFinite();
    }
    assertThat(j.get("peak_rss_mb").asDouble())
        .isGreaterThanOrEqualTo(j.get("rss_first_mb").asDouble());
  }
}
