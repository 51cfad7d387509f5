package org.seg4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.seg4j.io.SafeTensors;

/**
 * Issue 9 item 8: bad values are refused when the config is loaded, before a run folder exists,
 * naming the key and the allowed range (or the list file and line); values YAML reads otherwise
 * than written are refused or noted showing how they were read; a run whose loss grows a
 * millionfold or whose weights pass 1e6 stops like a NaN, keeping the last finite checkpoint.
 */
class BadValuesTest {
  @TempDir static Path dir;
  static Path data;
  static Path runs;

  @BeforeAll
  static void data() throws Exception {
    data = HostileCorpus.good(dir.resolve("data"), 16);
    runs = dir.resolve("runs");
  }

  /** A case of {@link #aBadValueIsRefusedNamingKeyAndRange}: one flag, and the words named. */
  static Arguments refused(String flag, String value, String... named) {
    return Arguments.of(List.of(flag, value), List.of(named));
  }

  static Stream<Arguments> badValues() {
    return Stream.of(
        refused("--lr", "0", "optimizer.lr", "> 0"),
        refused("--lr", "-0.01", "optimizer.lr", "> 0"),
        refused("--threads", "-1", "'threads'", ">= 0"),
        refused("--batch", "0", "train.batch", ">= 1"),
        refused("--set", "optimizer.lr=.inf", "optimizer.lr", "infinite"),
        refused("--set", "optimizer.lr=.nan", "optimizer.lr", "not a number"),
        refused("--set", "optimizer.lr=NaN", "optimizer.lr", "NaN"),
        refused("--set", "train.clip_grad=-1", "train.clip_grad", ">= 0"),
        refused("--set", "schedule.factor=2", "schedule.factor", "(0, 1]"),
        refused("--set", "optimizer.betas=[0.9, 1.5]", "betas[1]", "[0"),
        refused("--set", "data.workers=-2", "data.workers", ">= 0"),
        refused(
            "--set",
            "model.classes=yes",
            "model.classes",
            "reads yes as the boolean true",
            "whole number"),
        refused("--set", "train.epochs=2.5", "train.epochs", "whole number"),
        refused(
            "--set", "data.skip_bad=maybe", "data.skip_bad", "the text 'maybe'", "true or false"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badValues")
  void aBadValueIsRefusedNamingKeyAndRange(List<String> flags, List<String> named) {
    String name = "bad" + Math.abs(flags.hashCode());
    CliRun r = CliRun.of(TinyData.trainArgs(data, runs, name, flags.toArray(String[]::new)));
    Hostile.oneLineError(r, named.toArray(String[]::new));
    assertThat(runs.resolve(name)).doesNotExist();
  }

  @Test
  void anInfiniteNumberInAConfigFileNamesTheFileAndLine() throws Exception {
    Path cfg = Files.writeString(dir.resolve("inf.yml"), "optimizer:\n  lr: .inf\n");
    CliRun r = CliRun.of(TinyData.trainArgs(data, runs, "inf", "--config", cfg.toString()));
    Hostile.oneLineError(r, cfg.toString(), "line 2", ".inf", "finite");
    Path neg = Files.writeString(dir.resolve("neg.yml"), "optimizer:\n  weight_decay: -4\n");
    CliRun n = CliRun.of(TinyData.trainArgs(data, runs, "neg", "--config", neg.toString()));
    Hostile.oneLineError(n, "'optimizer.weight_decay' = -4", neg.toString(), ">= 0");
  }

  @Test
  void aValueYamlReadsOtherwiseIsNotedShowingHowItWasRead() {
    CliRun r =
        CliRun.ok(
            TinyData.trainArgs(
                data,
                runs,
                "noted",
                "--set",
                "data.skip_bad=yes",
                "--set",
                "train.val_every=01",
                "--set",
                "optimizer.lr=1e-3"));
    assertThat(r.out())
        .contains("note: --set data.skip_bad=yes: YAML reads yes as the boolean true")
        .doesNotContain("optimizer.lr=1e-3:");
  }

  static Stream<Arguments> badLists() {
    return Stream.of(
        Arguments.of(
            "duplicate", List.of("0012", "0013", "0012"), List.of("'0012' twice", "lines 1 and 3")),
        Arguments.of("empty", List.of("# nothing here", ""), List.of("is empty")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badLists")
  void aBadListFileIsRefusedNamingFileAndLines(String name, List<String> lines, List<String> named)
      throws Exception {
    Path list = HostileCorpus.list(dir.resolve("lists/" + name + ".txt"), lines);
    List<String> want = new ArrayList<>(named);
    want.add(name.equals("empty") ? "list file " + list : list.toString());
    CliRun train = CliRun.of(TinyData.trainArgs(data, runs, name, "--set", "data.val=" + list));
    Hostile.oneLineError(train, want.toArray(String[]::new));
    CliRun check = CliRun.of(TinyData.checkListArgs(data, list));
    Hostile.oneLineError(check, want.toArray(String[]::new));
  }

  @Test
  void aByteOrderMarkInAListFileIsDropped() throws Exception {
    Path list = dir.resolve("lists/bom.txt");
    Files.createDirectories(list.getParent());
    Files.write(list, "\uFEFF0012\n0013\n0014\n".getBytes(StandardCharsets.UTF_8));
    CliRun r = CliRun.ok(TinyData.trainArgs(data, runs, "bom", "--set", "data.val=" + list));
    assertThat(r.out()).contains("validating on 3");
  }

  @Test
  void weightsPastAMillionStopTheRunAndKeepTheLastFiniteCheckpoint() throws Exception {
    // epoch 1 trains at lr 1e-3, epoch 2 at 1e-3 * 1e9: the weights explode in its first step
    CliRun r =
        CliRun.of(
            TinyData.trainArgs(
                data,
                runs,
                "explode",
                "--epochs",
                "2",
                "--schedule",
                "multistep",
                "--set",
                "schedule.milestones=[1]",
                "--set",
                "schedule.gamma=1e9"));
    Path last = runs.resolve("explode/checkpoints/last.safetensors");
    Hostile.oneLineError(r, "a weight reached", "epoch 2", last.toString());
    assertThat(r.out()).contains("epoch 1:");
    for (Map.Entry<String, SafeTensors.Tensor> t : SafeTensors.read(last).tensors().entrySet()) {
      for (float v : t.getValue().toFloats()) {
        assertThat(Math.abs(v)).as(t.getKey()).isLessThan(1e6f);
      }
    }
  }

  @Test
  void aLossThatGrowsAMillionfoldStopsTheRun() {
    CliRun r = CliRun.of(TinyData.trainArgs(data, runs, "grow", "--lr", "30", "--epochs", "3"));
    Hostile.oneLineError(r, "the loss grew to", "times its first value", "optimizer.lr");
    assertThat(runs.resolve("grow/checkpoints/last.safetensors")).doesNotExist();
  }
}
