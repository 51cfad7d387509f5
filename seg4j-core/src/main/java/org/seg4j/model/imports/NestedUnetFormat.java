package org.seg4j.model.imports;

import java.util.List;
import java.util.Set;
import org.seg4j.model.ModelConfig;

/**
 * {@code --from nested-unet}: 4uiiurz1/pytorch-nested-unet's {@code archs.py}. Its {@code
 * NestedUNet} (with or without {@code deep_supervision}) is seg4j's {@code nested-unet} name for
 * name; its plain {@code UNet} ({@code conv{i}_0} down, {@code conv{4-j}_{j}} up, VGG blocks {@code
 * conv1, bn1, conv2, bn2}, {@code final}) is {@code unet -O up=upsample}.
 */
final class NestedUnetFormat extends ImportFormat {
  private static final String[][] BLOCK = {
    {"conv1", "0"}, {"bn1", "1"}, {"conv2", "3"}, {"bn2", "4"}
  };
  private static final KeyMap PLAIN_UNET = plainUnet();

  NestedUnetFormat() {
    super(
        "nested-unet",
        "4uiiurz1/pytorch-nested-unet: NestedUNet (deep_supervision or not) and its plain UNet",
        List.of("nested-unet", "unet"),
        "imagenet");
  }

  private static KeyMap plainUnet() {
    KeyMap m = new KeyMap();
    for (String[] b : BLOCK) {
      m.rule("conv{i}_0." + b[0] + ".{leaf}", "down.{i}." + b[1] + ".{leaf}");
      for (int j = 1; j <= 4; j++) {
        m.rule(
            "conv" + (4 - j) + "_" + j + "." + b[0] + ".{leaf}",
            "up." + (j - 1) + "." + b[1] + ".{leaf}");
      }
    }
    return m.rule("final.{leaf}", "head.{leaf}");
  }

  @Override
  public String hint(Set<String> keys) {
    if (keys.contains("conv0_1.conv1.weight")) {
      return "model.arch=nested-unet"
          + (keys.contains("final1.weight") ? " -O deep_supervision=true" : "");
    }
    return keys.contains("conv0_4.conv1.weight") ? "model.arch=unet -O up=upsample" : null;
  }

  @Override
  KeyMap names(ModelConfig config) {
    return config.arch().equals("unet") ? PLAIN_UNET : KeyMap.IDENTITY;
  }
}
