package org.seg4j.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Architectures by name, like smp's {@code create_model}: {@link #create} builds one from a {@link
 * ModelConfig}; an unknown name fails with the list of valid ones.
 */
public final class ModelRegistry {
  /** One registered architecture: its name, a one-line description and its factory. */
  public record Entry(String name, String description, Function<ModelConfig, SegModel> factory) {}

  private static final Map<String, Entry> ENTRIES = new LinkedHashMap<>();

  static {
    // architectures register here, one line each
    register("unet", "padded U-Net (isbi_unet.py layout) with options", UNet::new);
    register("unet-valid", "the 2015 paper's unpadded U-Net, 572 -> 388", UNetValid::new);
    register("nested-unet", "U-Net++ with deep supervision and pruning", NestedUNet::new);
    register("unet3plus", "U-Net 3+ with full-scale skip connections", UNet3Plus::new);
    register("fcn32s", "FCN-32s on VGG16 (options bn, bn_fc, bias, fc_*, up32)", Fcn32s::new);
    register("fcn16s", "FCN-16s on VGG16, pool4 skip (options bn, bn_fc, bias, fc_*)", Fcn16s::new);
    register("fcn8s", "FCN-8s on VGG16, pool4 + pool3 skips (options as fcn16s)", Fcn8s::new);
    register("vgg16-unet", "bubbliiiing VGG16 U-Net (options bn, up, align_corners)", VggUNet::new);
  }

  private ModelRegistry() {}

  private static void register(
      String name, String description, Function<ModelConfig, SegModel> factory) {
    ENTRIES.put(name, new Entry(name, description, factory));
  }

  /** All registered architectures in registration order. */
  public static Map<String, Entry> entries() {
    return Collections.unmodifiableMap(ENTRIES);
  }

  /** Builds the architecture named in the config. */
  public static SegModel create(ModelConfig config) {
    Entry e = ENTRIES.get(config.arch());
    if (e == null) {
      throw new IllegalArgumentException(
          "unknown architecture '"
              + config.arch()
              + "': valid names are "
              + String.join(", ", ENTRIES.keySet()));
    }
    return e.factory().apply(config);
  }
}
