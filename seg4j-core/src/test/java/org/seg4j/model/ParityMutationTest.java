package org.seg4j.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.seg4j.engine.Engines;

/**
 * The model parity tests can fail (issue 13, item 2): each test here makes one deliberate bug that
 * a real one-line mistake would make (flip the input, feed zeros, swap align_corners, drop a skip
 * connection, run BN on running stats in training) and asserts that the golden comparison of {@link
 * GoldenModel} then FAILS, at every head. Nothing in main is changed: the bug is made on the input,
 * the config or the imported weights. Taking the wrong pruning head fails {@code
 * NestedUNetTest.prunedLevelsEqualTheirHeadAndNoOther}.
 */
class ParityMutationTest {
  private static NDManager manager;

  @BeforeAll
  static void engine() {
    manager = Engines.pytorch().newBaseManager();
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  /** Every head of {@code g} compared with the fixture's eval heads must fail. */
  private static void everyEvalHeadFails(GoldenModel g, NDManager m, NDArray input, String bug) {
    NDList out = g.model.forwardAll(new NDList(input), false);
    assertThat(out.size()).isEqualTo(g.heads("eval"));
    for (int i = 0; i < out.size(); i++) {
      NDArray got = out.get(i);
      String head = "eval." + i;
      NDArray want = g.array(m, head);
      assertThat(catchThrowable(() -> g.assertClose(head, got, want)))
          .as("%s with %s: eval.%d must differ from PyTorch", g.name, bug, i)
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("differ from PyTorch");
    }
  }

  @ParameterizedTest
  @CsvSource({
    "models, unet_default",
    "models, unet_options",
    "models, unet_upsample",
    "models, unet_dropout_blocks",
    "models, unet_valid",
    "models, nested_unet",
    "models, nested_unet_ds",
    "models, unet3plus",
    "models, unet3plus_ds",
    "vgg, fcn32s",
    "vgg, fcn16s",
    "vgg, fcn8s",
    "vgg, fcn8s_bn",
    "vgg, vgg16_unet",
    "vgg, vgg16_unet_bn",
    "vgg, vgg16_unet_nearest",
    "vgg, vgg16_unet_align_corners_false",
    "vgg, fcn32s_mindspore",
    "vgg, fcn16s_mindspore",
    "vgg, fcn8s_mindspore"
  })
  void aFlippedOrZeroInputFailsEveryHead(String dir, String fixture) throws IOException {
    try (NDManager m = manager.newSubManager()) {
      GoldenModel g = new GoldenModel(m, dir, fixture);
      everyEvalHeadFails(g, m, g.input.flip(3), "the input flipped left-right");
      everyEvalHeadFails(g, m, g.input.zerosLike(), "a zero input");
      // the two images of the batch swapped: the test would pass if outputs ignored the image
      everyEvalHeadFails(g, m, g.input.flip(0), "the batch's images swapped");
    }
  }

  @ParameterizedTest
  @CsvSource({"vgg16_unet, false", "vgg16_unet_align_corners_false, true"})
  void swappedAlignCornersFails(String fixture, String swapped) throws IOException {
    try (NDManager m = manager.newSubManager()) {
      GoldenModel g = new GoldenModel(m, "vgg", fixture);
      g.assertOutputs(m, "eval", g.model.forwardAll(new NDList(g.input), false));
      GoldenModel bad = new GoldenModel(m, "vgg", fixture, "align_corners", swapped);
      everyEvalHeadFails(bad, m, bad.input, "align_corners=" + swapped);
    }
  }

  @ParameterizedTest
  @CsvSource({
    // the weights that read the top skip (cat([skip, up]): the first input channels) set to 0
    "models, unet_default, up.3.0.weight, 2",
    "vgg, vgg16_unet, up_concat1.conv1.weight, 2",
    "models, nested_unet, conv0_4.conv1.weight, 1"
  })
  void aDroppedSkipConnectionFails(String dir, String fixture, String conv, int skipChannels)
      throws IOException {
    try (NDManager m = manager.newSubManager()) {
      GoldenModel g = new GoldenModel(m, dir, fixture);
      g.model.stateDict().get(conv).getArray().set(new NDIndex(":, 0:" + skipChannels), 0f);
      everyEvalHeadFails(g, m, g.input, "the skip into " + conv + " dropped");
    }
  }

  @ParameterizedTest
  @CsvSource({"models, unet_default", "vgg, fcn8s_bn", "vgg, vgg16_unet_bn"})
  void trainingModeOnRunningStatsFails(String dir, String fixture) throws IOException {
    // BN in training mode normalises with the batch's statistics; eval's running stats differ
    try (NDManager m = manager.newSubManager()) {
      GoldenModel g = new GoldenModel(m, dir, fixture);
      NDArray got = g.model.forwardAll(new NDList(g.input), false).get(0);
      NDArray want = g.array(m, "train.0");
      assertThatThrownBy(() -> g.assertClose("train.0", got, want))
          .isInstanceOf(AssertionError.class);
    }
  }
}
