package org.seg4j.model.imports;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code --from} formats by name; an unknown name lists the valid ones. */
public final class ImportFormats {
  private static final Map<String, ImportFormat> FORMATS = new LinkedHashMap<>();

  static {
    for (ImportFormat f :
        new ImportFormat[] {
          new Seg4jFormat(),
          new TorchvisionFormat(),
          new NestedUnetFormat(),
          new BubbliiiingFormat(),
          new MilesialFormat()
        }) {
      FORMATS.put(f.name(), f);
    }
  }

  private ImportFormats() {}

  /** All formats, in the order {@code seg4j import --help} lists them. */
  public static Map<String, ImportFormat> all() {
    return Collections.unmodifiableMap(FORMATS);
  }

  /** The format named {@code name}. */
  public static ImportFormat of(String name) {
    ImportFormat f = FORMATS.get(name);
    if (f == null) {
      throw new IllegalArgumentException(
          "from=" + name + " is not a known format: use " + String.join(", ", FORMATS.keySet()));
    }
    return f;
  }
}
