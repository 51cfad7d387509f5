package org.seg4j.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Binds a section of a {@link TrainConfig} to a record, once: each record component reads the key
 * of the same name in snake case ({@code ignoreIndex} ← {@code data.ignore_index}), so a key is
 * spelt in {@code defaults.yml} and nowhere else. A value of the wrong type fails naming the key,
 * as {@link TrainConfig}'s typed getters do. Boxed types ({@code Integer}, {@code Double}) and
 * reference types take null.
 */
final class ConfigBinder {
  private ConfigBinder() {}

  /** The record {@code type} bound from section {@code section} of {@code c}. */
  static <R extends Record> R bind(TrainConfig c, String section, Class<R> type) {
    RecordComponent[] parts = type.getRecordComponents();
    Object[] values = new Object[parts.length];
    Class<?>[] types = new Class<?>[parts.length];
    for (int i = 0; i < parts.length; i++) {
      types[i] = parts[i].getType();
      values[i] = value(c, section + "." + key(parts[i].getName()), parts[i]);
    }
    try {
      Constructor<R> make = type.getDeclaredConstructor(types);
      return make.newInstance(values);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException("cannot bind config section " + section, e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot bind config section " + section, e);
    }
  }

  /**
   * The snake-case config key of a record component: {@code samplesPerEpoch} → samples_per_epoch.
   */
  static String key(String component) {
    StringBuilder sb = new StringBuilder();
    for (char ch : component.toCharArray()) {
      if (Character.isUpperCase(ch)) {
        sb.append('_').append(Character.toLowerCase(ch));
      } else {
        sb.append(ch);
      }
    }
    return sb.toString();
  }

  private static Object value(TrainConfig c, String key, RecordComponent part) {
    Class<?> t = part.getType();
    JsonNode n = c.at(key);
    boolean absent = n.isNull() || n.isMissingNode();
    if (t == int.class) {
      return c.integer(key);
    }
    if (t == double.class) {
      return c.number(key);
    }
    if (t == boolean.class) {
      return c.bool(key);
    }
    if (t == String.class) {
      return c.str(key);
    }
    if (t == Integer.class) {
      return absent ? null : c.integer(key);
    }
    if (t == Double.class) {
      return absent ? null : c.number(key);
    }
    if (t == double[].class) {
      return c.numbers(key);
    }
    if (t == int[].class) {
      double[] d = c.numbers(key);
      return d == null ? null : Arrays.stream(d).mapToInt(x -> wholeNumber(key, x)).toArray();
    }
    if (t == JsonNode.class) {
      return n;
    }
    if (t == Map.class && isStringMap(part.getGenericType())) {
      Map<String, String> m = new LinkedHashMap<>();
      if (!absent) {
        if (!n.isObject()) {
          throw new IllegalArgumentException(
              "config key '" + key + "' must be a mapping, got " + n + ": e.g. " + key + ": {}");
        }
        n.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
      }
      return Collections.unmodifiableMap(m);
    }
    throw new IllegalStateException("no binding for " + t + " (config key " + key + ")");
  }

  private static int wholeNumber(String key, double x) {
    if (x != Math.rint(x)) {
      throw new IllegalArgumentException(
          "config key '" + key + "' must be a list of whole numbers, got " + x);
    }
    return (int) x;
  }

  private static boolean isStringMap(Type g) {
    return g instanceof ParameterizedType p
        && Arrays.stream(p.getActualTypeArguments()).allMatch(a -> a == String.class);
  }
}
