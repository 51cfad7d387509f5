package org.seg4j.model.imports;

import java.util.List;
import java.util.Set;
import org.seg4j.model.ModelConfig;

/**
 * {@code --from milesial}: milesial/Pytorch-UNet's {@code UNet} ({@code inc.double_conv.N}, {@code
 * down{1..4}.maxpool_conv.1.double_conv.N}, {@code up{1..4}.up}, {@code
 * up{1..4}.conv.double_conv.N}, {@code outc.conv}). With {@code bilinear=False} it is seg4j's
 * {@code unet} with default options; with {@code bilinear=True}, {@code unet -O up=upsample -O
 * halve=true}. Its 3×3 convs have no bias and each feeds a BatchNorm: their bias is imported as 0,
 * which keeps the model exact.
 */
final class MilesialFormat extends ImportFormat {
  private static final KeyMap NAMES =
      new KeyMap()
          .rule("inc.double_conv.{n}.{leaf}", "down.0.{n}.{leaf}")
          .rule("down{i}.maxpool_conv.1.double_conv.{n}.{leaf}", "down.{i}.{n}.{leaf}")
          .rule("up{i}.up.{leaf}", "upc.{i-1}.{leaf}")
          .rule("up{i}.conv.double_conv.{n}.{leaf}", "up.{i-1}.{n}.{leaf}")
          .rule("outc.conv.{leaf}", "head.{leaf}");

  MilesialFormat() {
    super(
        "milesial",
        "milesial/Pytorch-UNet: UNet, bilinear or transposed-conv up-steps",
        List.of("unet"),
        null);
  }

  @Override
  public String hint(Set<String> keys) {
    return keys.contains("up1.up.weight")
        ? "model.arch=unet"
        : "model.arch=unet -O up=upsample -O halve=true";
  }

  @Override
  KeyMap names(ModelConfig config) {
    return NAMES;
  }

  @Override
  boolean zeroBias() {
    return true;
  }
}
