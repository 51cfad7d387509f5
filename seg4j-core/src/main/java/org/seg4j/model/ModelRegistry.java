package org.seg4j.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Architectures by name, like smp's {@code create_model}: {@link #create} builds one from a {@link
 * ModelConfig}; an unknown name fails with the list of valid ones.
 */
public final class ModelRegistry {
  /** One registered architecture: its name, a one-line description, its options and factory. */
  public record Entry(
      String name,
      String description,
      List<ModelOption> options,
      Function<ModelConfig, SegModel> factory) {}

  private static final Map<String, Entry> ENTRIES = new LinkedHashMap<>();

  static {
    // architectures register here, one line each
    register("unet", "padded U-Net (isbi_unet.py layout)", UNet.OPTIONS, UNet::new);
    register(
        "unet-valid",
        "the 2015 paper's unpadded U-Net, 572 -> 388",
        UNetValid.OPTIONS,
        UNetValid::new);
    register(
        "nested-unet",
        "U-Net++ with deep supervision and pruning",
        NestedUNet.OPTIONS,
        NestedUNet::new);
    register(
        "unet3plus",
        "U-Net 3+ with full-scale skip connections",
        UNet3Plus.OPTIONS,
        UNet3Plus::new);
    register("fcn32s", "FCN-32s on VGG16", Fcn32s.OPTIONS, Fcn32s::new);
    register("fcn16s", "FCN-16s on VGG16, pool4 skip", FcnBase.OPTIONS, Fcn16s::new);
    register("fcn8s", "FCN-8s on VGG16, pool4 + pool3 skips", FcnBase.OPTIONS, Fcn8s::new);
    register("vgg16-unet", "bubbliiiing's VGG16 U-Net", VggUNet.OPTIONS, VggUNet::new);
  }

  private ModelRegistry() {}

  private static void register(
      String name,
      String description,
      List<ModelOption> options,
      Function<ModelConfig, SegModel> factory) {
    ENTRIES.put(name, new Entry(name, description, options, factory));
  }

  /** All registered architectures in registration order. */
  public static Map<String, Entry> entries() {
    return Collections.unmodifiableMap(ENTRIES);
  }

  /** Builds the architecture named in the config. */
  public static SegModel create(ModelConfig config) {
    return entry(config.arch()).factory().apply(config);
  }

  /** The architecture registered as {@code arch}; an unknown name lists the valid ones. */
  public static Entry entry(String arch) {
    Entry e = ENTRIES.get(arch);
    if (e == null) {
      throw new IllegalArgumentException(
          "unknown architecture '"
              + arch
              + "': valid names are "
              + String.join(", ", ENTRIES.keySet()));
    }
    return e;
  }

  /**
   * The options of every architecture as a Markdown table (architecture, option, default, values,
   * what); architectures with the same options share a row group. The README holds this table.
   */
  public static String optionTable() {
    StringBuilder sb = new StringBuilder();
    sb.append("| architecture | option | default | values | what |\n");
    sb.append("|---|---|---|---|---|\n");
    Map<List<ModelOption>, List<String>> groups = new LinkedHashMap<>();
    ENTRIES
        .values()
        .forEach(e -> groups.computeIfAbsent(e.options(), k -> new ArrayList<>()).add(e.name()));
    groups.forEach(
        (options, archs) -> {
          String names = "`" + String.join("`, `", archs) + "`";
          for (ModelOption o : options) {
            sb.append("| ")
                .append(names)
                .append(" | `")
                .append(o.name())
                .append("` | ")
                .append(o.defaultValue())
                .append(" | ")
                .append(o.allowed().replace("|", "\\|"))
                .append(" | ")
                .append(o.doc())
                .append(" |\n");
            names = "";
          }
        });
    return sb.toString();
  }
}
