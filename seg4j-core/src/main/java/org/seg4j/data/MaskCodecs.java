package org.seg4j.data;

import java.util.List;

/** Parses {@code --mask} values: index, binary255, threshold:N, palette, rgb. */
final class MaskCodecs {
  /** The accepted forms, for error messages. */
  public static final List<String> NAMES =
      List.of("index", "binary255", "threshold:N", "palette", "rgb");

  private MaskCodecs() {}

  /**
   * Makes the codec named by spec.
   *
   * @param classes the classes file, needed by rgb (may be null otherwise)
   * @param ignoreIndex where rgb maps void colours
   * @throws IllegalArgumentException naming the valid forms when spec is unknown
   */
  public static MaskCodec parse(String spec, ClassNames classes, int ignoreIndex) {
    String s = spec.strip();
    if (s.startsWith("threshold")) {
      String n = s.startsWith("threshold:") ? s.substring("threshold:".length()) : "";
      try {
        return new ThresholdCodec(Integer.parseInt(n.strip()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "data.mask=" + spec + ": write threshold:N with N in 1..255, e.g. threshold:128");
      }
    }
    return switch (s) {
      case "index" -> new IndexCodec();
      case "binary255" -> new Binary255Codec();
      case "palette" -> new PaletteCodec();
      case "rgb" -> {
        if (classes == null || !classes.hasColours()) {
          throw new IllegalArgumentException(
              "data.mask=rgb needs a classes file with one `name r g b` line per class"
                  + " (e.g. `background 0 0 0`)");
        }
        yield new RgbCodec(classes, ignoreIndex);
      }
      default ->
          throw new IllegalArgumentException(
              "unknown data.mask='" + spec + "': use one of " + String.join(", ", NAMES));
    };
  }
}
