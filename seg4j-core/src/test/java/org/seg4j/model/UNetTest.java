package org.seg4j.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.seg4j.engine.Offline;
import org.seg4j.nn.StateDicts;

class UNetTest {
  private static NDManager manager;

  @BeforeAll
  static void setUp() {
    Offline.ensure();
    manager = NDManager.newBaseManager();
  }

  @AfterAll
  static void tearDown() {
    manager.close();
  }

  private static UNet build(int cin, int base, Map<String, String> options) {
    UNet m = new UNet(new ModelConfig("unet", cin, 2, base, options));
    m.init(manager, cin, 32);
    return m;
  }

  @Test
  void defaultMatchesIsbiReferenceAfterWeightImport() throws Exception {
    try (NDManager m = manager.newSubManager()) {
      GoldenModel g = new GoldenModel(m, "unet_default");
      g.assertParity(m);
    }
  }

  @Test
  void optionsMatchPyTorchTwin() throws Exception {
    try (NDManager m = manager.newSubManager()) {
      GoldenModel g = new GoldenModel(m, "unet_options");
      g.assertParity(m);
    }
  }

  @Test
  void upsampleMatches4uiiurz1sUNetTwin() throws Exception {
    try (NDManager m = manager.newSubManager()) {
      new GoldenModel(m, "unet_upsample").assertParity(m);
    }
  }

  @Test
  void blockDropoutMatchesSeed002sUNetTwinInEval() throws Exception {
    try (NDManager m = manager.newSubManager()) {
      new GoldenModel(m, "unet_dropout_blocks").assertParity(m);
    }
  }

  @Test
  void upsampleHas4uiiurz1sParameterCountAndNoUpConvs() {
    UNet net = new UNet(new ModelConfig("unet", 3, 1, 32, Map.of("up", "upsample")));
    assertThat(net.parameterCount()).isEqualTo(7_852_545L);
    assertThat(net.stateDict().keySet())
        .contains("down.4.3.weight", "up.0.0.weight", "up.3.4.running_var", "head.weight")
        .noneMatch(k -> k.startsWith("upc."));
    // decoder block 0 takes the skip (256) plus the full bottleneck (512)
    assertThat(net.stateDict().get("up.0.0.weight").getShape())
        .isEqualTo(new Shape(256, 768, 3, 3));
  }

  @Test
  void blockDropoutSitsAfterEveryBatchNormAsSeed002() {
    UNet net =
        build(
            1,
            2,
            Map.of("dropout", "0.3", "dropout_at", "blocks", "act", "leaky", "padding", "reflect"));
    assertThat(net.stateDict())
        .containsKeys(
            "down.0.0.weight",
            "down.0.1.running_mean",
            "down.0.4.weight",
            "down.0.5.running_var",
            "up.3.4.weight",
            "up.3.5.bias",
            "upc.0.weight")
        .doesNotContainKeys("down.0.3.weight", "down.0.2.weight");
    assertThat(
            build(1, 2, Map.of("dropout", "0.2", "dropout_at", "blocks", "bn", "false"))
                .stateDict())
        .containsKeys("down.0.0.weight", "down.0.3.weight")
        .doesNotContainKey("down.0.2.weight");
  }

  @Test
  void blockDropoutActsOnlyInTraining() throws Exception {
    try (NDManager m = manager.newSubManager()) {
      UNet plain = build(1, 4, Map.of("depth", "2"));
      UNet dropped = build(1, 4, Map.of("depth", "2", "dropout", "0.5", "dropout_at", "blocks"));
      // conv/BN 0,1,3,4 without block dropout are 0,1,4,5 with it
      Pattern bnOrConv = Pattern.compile("^(down|up)\\.(\\d+)\\.([34])\\.");
      UnaryOperator<String> shift =
          k -> {
            Matcher mm = bnOrConv.matcher(k);
            return mm.find()
                ? mm.replaceFirst("$1.$2." + (Integer.parseInt(mm.group(3)) + 1) + ".")
                : k;
          };
      StateDicts.load(dropped, StateDicts.export(plain), "plain", shift, true);
      NDArray x = m.randomUniform(0f, 1f, new Shape(2, 1, 16, 16));
      assertThat(dropped.forward(x, false).contentEquals(plain.forward(x, false))).isTrue();
      // BN uses batch statistics in training: the only difference left is the dropout
      NDArray diff = dropped.forward(x, true).sub(plain.forward(x, true)).abs().max();
      assertThat(diff.getFloat()).isGreaterThan(1e-3f);
    }
  }

  @Test
  void hasIsbiParameterNames() {
    UNet m = build(1, 2, Map.of());
    assertThat(m.stateDict())
        .containsKeys(
            "down.0.0.weight",
            "down.0.1.running_var",
            "down.4.3.weight",
            "down.4.4.bias",
            "upc.0.weight",
            "upc.3.bias",
            "up.3.4.weight",
            "head.weight",
            "head.bias");
    assertThat(build(1, 2, Map.of("bn", "false")).stateDict())
        .containsKeys("down.0.0.weight", "down.0.2.weight")
        .doesNotContainKey("down.0.1.weight");
  }

  @Test
  void outputShapeEqualsInputForEveryOption() {
    for (Map<String, String> o :
        List.<Map<String, String>>of(
            Map.of(),
            Map.of("depth", "2", "up", "bilinear", "padding", "reflect", "act", "leaky"),
            Map.of("depth", "3", "bn", "off", "dropout", "0.2"),
            Map.of("up", "upsample", "dropout", "0.1", "dropout_at", "blocks"),
            Map.of("depth", "2", "up", "upsample", "bn", "false"))) {
      try (NDManager m = manager.newSubManager()) {
        UNet net = build(3, 2, o);
        NDArray x = m.randomUniform(0f, 1f, new Shape(2, 3, 32, 48));
        assertThat(net.predictLogits(x).getShape()).as("%s", o).isEqualTo(new Shape(2, 2, 32, 48));
      }
    }
  }

  @Test
  void dropoutActsOnlyInTraining() throws Exception {
    try (NDManager m = manager.newSubManager()) {
      UNet plain = build(1, 4, Map.of("depth", "2"));
      UNet dropped = build(1, 4, Map.of("depth", "2", "dropout", "0.5"));
      StateDicts.load(dropped, StateDicts.export(plain), "plain", UnaryOperator.identity(), true);
      NDArray x = m.randomUniform(0f, 1f, new Shape(2, 1, 16, 16));
      assertThat(dropped.forward(x, false).contentEquals(plain.forward(x, false))).isTrue();
      NDArray diff = dropped.forward(x, true).sub(plain.forward(x, true)).abs().max();
      assertThat(diff.getFloat()).isGreaterThan(1e-3f);
    }
  }

  @Test
  void badInputNamesConstraintAndNearestValue() {
    UNet net = build(1, 2, Map.of());
    assertThatThrownBy(() -> net.checkInput(new Shape(1, 3, 32, 32)))
        .hasMessageContaining("1 input channel")
        .hasMessageContaining("input has 3");
    assertThatThrownBy(() -> net.checkInput(new Shape(1, 1, 30, 32)))
        .hasMessageContaining("multiples of 16")
        .hasMessageContaining("height is 30")
        .hasMessageContaining("nearest valid side is 32");
    UNet reflect = build(1, 2, Map.of("padding", "reflect", "depth", "2"));
    assertThat(reflect.minSide()).isEqualTo(8);
    assertThat(reflect.nearestSide(4)).isEqualTo(8);
  }

  @Test
  void badOptionsFailWithValidValues() {
    assertThatThrownBy(() -> build(1, 2, Map.of("upsample", "bilinear")))
        .hasMessageContaining("valid options are");
    assertThatThrownBy(() -> build(1, 2, Map.of("up", "nearest")))
        .hasMessageContaining("up=nearest")
        .hasMessageContaining("transpose, bilinear or upsample");
    assertThatThrownBy(() -> build(1, 2, Map.of("dropout_at", "decoder")))
        .hasMessageContaining("bottleneck or blocks");
    assertThatThrownBy(() -> build(1, 2, Map.of("dropout_at", "blocks")))
        .hasMessageContaining("dropout=0.3");
    assertThatThrownBy(() -> build(1, 2, Map.of("depth", "7"))).hasMessageContaining("1 to 6");
    assertThatThrownBy(() -> build(1, 2, Map.of("dropout", "1.5"))).hasMessageContaining("[0, 1)");
  }
}
