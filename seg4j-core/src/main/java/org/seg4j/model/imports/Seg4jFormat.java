package org.seg4j.model.imports;

import java.util.List;
import java.util.Set;
import org.seg4j.model.ModelConfig;

/** {@code --from seg4j}: a state_dict with seg4j's own names, for any architecture. */
final class Seg4jFormat extends ImportFormat {
  Seg4jFormat() {
    super("seg4j", "seg4j's own names (.pth or safetensors), any architecture", List.of(), null);
  }

  @Override
  public String hint(Set<String> keys) {
    return null;
  }

  @Override
  KeyMap names(ModelConfig config) {
    return KeyMap.IDENTITY;
  }
}
