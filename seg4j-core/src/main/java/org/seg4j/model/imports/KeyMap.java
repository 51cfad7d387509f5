package org.seg4j.model.imports;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A source repository's key names against seg4j's for one architecture: an ordered list of rules
 * {@code theirs -> ours} (the first that matches wins); a key no rule matches keeps its name.
 */
final class KeyMap {
  /** seg4j's own names. */
  static final KeyMap IDENTITY = new KeyMap();

  private final List<KeyTemplate[]> rules = new ArrayList<>();

  /** Adds a rule; both templates have the same placeholders. */
  KeyMap rule(String theirs, String ours) {
    rules.add(new KeyTemplate[] {new KeyTemplate(theirs), new KeyTemplate(ours)});
    return this;
  }

  /** seg4j's name for a key of the file. */
  String ours(String theirs) {
    return apply(theirs, 0);
  }

  /** The file's name for a key of the seg4j model (for error messages). */
  String theirs(String ours) {
    return apply(ours, 1);
  }

  private String apply(String key, int from) {
    for (KeyTemplate[] r : rules) {
      Map<String, String> vars = r[from].match(key);
      if (vars != null) {
        return r[1 - from].render(vars);
      }
    }
    return key;
  }
}
