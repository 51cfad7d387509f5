package org.seg4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 9 item 10: ids are names, not paths, and files stay inside the dataset. A list id that is a
 * path is refused by dataset check, train and eval naming the list file and line; a symbolic link
 * that leaves the dataset is refused unless --follow-links; a dangling link is reported as such.
 */
class ContainedPathsTest {
  @TempDir static Path dir;
  static Path runs;

  @BeforeAll
  static void trainAGoodRun() throws IOException {
    runs = dir.resolve("runs");
    TinyData.train(HostileCorpus.good(dir.resolve("good"), 16), runs, "good");
    // what a path id would reach: a file outside the dataset
    HostileCorpus.good(dir.resolve("outside"), 1);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"../../outside/images/synth_0000", "/etc/passwd", "sub\\x", ".."})
  void aListIdThatIsAPathIsRefusedByCheckTrainAndEval(String id) throws Exception {
    Path data = HostileCorpus.good(dir.resolve("ids-" + Math.abs(id.hashCode())), 16);
    Path list =
        HostileCorpus.list(data.resolve("lists/val.txt"), List.of("0001", "# comment", id, "0002"));
    CliRun check = CliRun.of(TinyData.checkListArgs(data, list));
    Hostile.oneLineError(check, list.toString(), "line 3", "'" + id + "'", "not a name");
    CliRun train = CliRun.of(TinyData.trainArgs(data, runs, "ids", "--set", "data.val=" + list));
    Hostile.oneLineError(train, list.toString(), "line 3", "'" + id + "'");
    CliRun eval =
        CliRun.of(
            TinyData.evalArgs(
                runs.resolve("good"), dir.resolve("eval-ids"), "--list", list.toString()));
    Hostile.oneLineError(eval, list.toString(), "line 3", "'" + id + "'");
    assertThat(runs.resolve("ids")).doesNotExist();
  }

  static Stream<Arguments> links() {
    return Stream.of(
        Arguments.of(
            "image-to-outside",
            (HostileCorpus.Mutation)
                d -> {
                  Path img = d.resolve("images/synth_0003.png");
                  Files.move(img, dir.resolve("outside/moved_" + d.getFileName() + ".png"));
                  Files.createSymbolicLink(
                      img, dir.resolve("outside/moved_" + d.getFileName() + ".png"));
                },
            "images/synth_0003.png",
            "outside the dataset folder",
            true),
        Arguments.of(
            "mask-folder-to-outside",
            (HostileCorpus.Mutation)
                d -> {
                  Path masks = d.resolve("masks");
                  Path away = dir.resolve("outside/masks_" + d.getFileName());
                  Files.move(masks, away);
                  Files.createSymbolicLink(masks, away);
                },
            "masks/synth_0000.png",
            "outside the dataset folder",
            true),
        Arguments.of(
            "dangling-image",
            HostileCorpus.danglingLink("images/synth_0003.png"),
            "images/synth_0003.png",
            "dangling link",
            false),
        Arguments.of(
            "dangling-mask",
            HostileCorpus.danglingLink("masks/synth_0003.png"),
            "masks/synth_0003.png",
            "dangling link",
            false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("links")
  void linksStayInsideTheDatasetUnlessFollowed(
      String name, HostileCorpus.Mutation link, String file, String problem, boolean followable)
      throws Exception {
    Path data = HostileCorpus.mutated(dir.resolve(name), link);
    CliRun check = CliRun.of("dataset", "check", "--data", data.toString());
    assertThat(check.code()).as(check.all()).isEqualTo(1);
    assertThat(check.out()).contains(file).contains(problem);
    Hostile.noStackTrace(check);

    CliRun train = CliRun.of(TinyData.trainArgs(data, runs, name));
    Hostile.oneLineError(train, data.resolve(file).toString(), problem);
    assertThat(runs.resolve(name)).doesNotExist();

    if (followable) {
      assertThat(train.err()).contains("--set data.follow_links=true");
      CliRun.ok("dataset", "check", "--data", data.toString(), "--follow-links");
      CliRun.ok(TinyData.trainArgs(data, runs, name, "--set", "data.follow_links=true"));
    } else {
      CliRun skip = CliRun.ok(TinyData.trainArgs(data, runs, name, "--skip-bad"));
      assertThat(skip.out()).contains("skipped (data.skip_bad): ").contains(file).contains(problem);
    }
  }

  @Test
  void aDanglingInstanceMaskIsNamedAsSuch() throws Exception {
    Path data = TinyData.perInstance(dir.resolve("instances"), 3, 16);
    HostileCorpus.danglingLink("1/masks/b.png").apply(data);
    CliRun check =
        CliRun.of("dataset", "check", "--data", data.toString(), "--format", "per-instance");
    assertThat(check.code()).as(check.all()).isEqualTo(1);
    assertThat(check.out()).contains("1/masks/b.png").contains("dangling link");
    CliRun.ok(
        "dataset", "check", "--data", data.toString(), "--format", "per-instance", "--skip-bad");
  }
}
