package org.seg4j.augment;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;

/**
 * A YAML mapping being read for the augmentation config: typed getters with defaults, and errors
 * that name the place ({@code where}), the key and the value found.
 */
final class ConfigNode {
  final JsonNode node;
  final String where;

  ConfigNode(JsonNode node, String where) {
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException(where + ": expected a mapping of keys, got " + node);
    }
    this.node = node;
    this.where = where;
  }

  /** Fails on any key not in {@code valid}, listing the valid keys. */
  void checkKeys(Collection<String> valid) {
    Iterator<String> it = node.fieldNames();
    while (it.hasNext()) {
      String key = it.next();
      if (!valid.contains(key)) {
        throw error("unknown key '" + key + "'; valid keys: " + String.join(", ", valid));
      }
    }
  }

  boolean has(String key) {
    return node.hasNonNull(key);
  }

  double number(String key, double def) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return def;
    }
    if (!v.isNumber()) {
      throw error("'" + key + "' must be a number, got " + v);
    }
    return v.asDouble();
  }

  int integer(String key, int def) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return def;
    }
    if (!v.canConvertToInt() || !v.isIntegralNumber()) {
      throw error("'" + key + "' must be a whole number, got " + v);
    }
    return v.asInt();
  }

  boolean bool(String key, boolean def) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return def;
    }
    if (!v.isBoolean()) {
      throw error("'" + key + "' must be true or false, got " + v);
    }
    return v.asBoolean();
  }

  String text(String key, String def) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return def;
    }
    if (!v.isTextual()) {
      throw error("'" + key + "' must be a string, got " + v);
    }
    return v.asText();
  }

  /** A number list, or a single number as a one-element list. */
  float[] numbers(String key) {
    JsonNode v = node.get(key);
    List<Float> out = new ArrayList<>();
    if (v != null && v.isNumber()) {
      out.add(v.floatValue());
    } else if (v != null && v.isArray()) {
      for (JsonNode e : v) {
        if (!e.isNumber()) {
          throw error("'" + key + "' must hold numbers, got " + v);
        }
        out.add(e.floatValue());
      }
    } else {
      throw error("'" + key + "' must be a number or a list of numbers, got " + v);
    }
    float[] a = new float[out.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = out.get(i);
    }
    return a;
  }

  /**
   * A range given as [lo, hi] or as one number r, read as [-r, r] when {@code symmetric} and as [r,
   * r] otherwise.
   */
  Range range(String key, Range def, boolean symmetric) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return def;
    }
    try {
      if (v.isNumber()) {
        return symmetric ? Range.symmetric(v.asDouble()) : new Range(v.asDouble(), v.asDouble());
      }
      if (v.isArray() && v.size() == 2 && v.get(0).isNumber() && v.get(1).isNumber()) {
        return new Range(v.get(0).asDouble(), v.get(1).asDouble());
      }
    } catch (IllegalArgumentException e) {
      throw error("'" + key + "': " + e.getMessage());
    }
    throw error("'" + key + "' must be a number or [lo, hi], got " + v);
  }

  IllegalArgumentException error(String message) {
    return new IllegalArgumentException(where + ": " + message);
  }
}
