package org.seg4j.model.imports;

import java.util.List;
import java.util.Set;
import org.seg4j.model.ModelConfig;

/**
 * {@code --from bubbliiiing}: bubbliiiing/unet-pytorch's {@code Unet(backbone='vgg')} ({@code
 * vgg.features.N}, {@code up_concat{1..4}.conv{1,2}}, {@code final}), which seg4j's {@code
 * vgg16-unet} is name for name. Its resnet50 backbone has no seg4j twin.
 */
final class BubbliiiingFormat extends ImportFormat {
  BubbliiiingFormat() {
    super(
        "bubbliiiing",
        "bubbliiiing/unet-pytorch: Unet with the vgg backbone",
        List.of("vgg16-unet"),
        null);
  }

  @Override
  public String hint(Set<String> keys) {
    if (keys.stream().anyMatch(k -> k.startsWith("resnet."))) {
      return "the vgg backbone (this file is Unet(backbone='resnet50'), which seg4j does not have)";
    }
    return "model.arch=vgg16-unet";
  }

  @Override
  KeyMap names(ModelConfig config) {
    return KeyMap.IDENTITY;
  }
}
