package org.seg4j.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The allowed range of every numeric key of a {@link TrainConfig}, checked once all files and flags
 * are in: a value outside it (a zero or negative lr, negative threads, an infinite or NaN number)
 * is refused naming the key, the value, where it came from and the range, before anything starts.
 */
final class ConfigRanges {
  /** A range: whole numbers only or not, bounds (inclusive unless open), null allowed or not. */
  private record Range(
      boolean whole, double lo, boolean loOpen, double hi, boolean hiOpen, boolean nullable) {
    boolean contains(double v) {
      return (loOpen ? v > lo : v >= lo) && (hiOpen ? v < hi : v <= hi);
    }

    String describe() {
      String kind = whole ? "a whole number" : "a number";
      String text;
      if (hi == Double.POSITIVE_INFINITY) {
        text = kind + (loOpen ? " > " : " >= ") + fmt(lo);
      } else if (lo == Double.NEGATIVE_INFINITY) {
        text = kind + (hiOpen ? " < " : " <= ") + fmt(hi);
      } else {
        text =
            kind + " in " + (loOpen ? "(" : "[") + fmt(lo) + ", " + fmt(hi) + (hiOpen ? ")" : "]");
      }
      return text + (nullable ? ", or null" : "");
    }

    private static String fmt(double d) {
      return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
  }

  private static final double INF = Double.POSITIVE_INFINITY;
  private static final Map<String, Range> SCALARS = new LinkedHashMap<>();
  private static final Map<String, Range> LISTS = new LinkedHashMap<>();

  static {
    whole("threads", 0, INF);
    whole("seed", Double.NEGATIVE_INFINITY, INF);
    whole("data.channels", 1, 3);
    whole("data.ignore_index", -1, INF);
    whole("data.samples_per_epoch", 0, INF);
    whole("data.workers", 0, INF);
    whole("data.prefetch", 1, INF);
    whole("model.base", 1, INF);
    whole("model.classes", 1, INF);
    SCALARS.put("model.threshold", new Range(false, 0, false, 1, false, false));
    atLeast("loss.gamma", 0, false);
    atLeast("loss.smooth", 0, false);
    atLeast("loss.dice_weight", 0, false);
    atLeast("loss.w0", 0, false);
    SCALARS.put("loss.sigma", new Range(false, 0, true, INF, false, false));
    whole("loss.border_class", 0, INF);
    SCALARS.put("optimizer.lr", new Range(false, 0, true, INF, false, false));
    atLeast("optimizer.weight_decay", 0, false);
    SCALARS.put("optimizer.eps", new Range(false, 0, true, INF, false, false));
    SCALARS.put("optimizer.momentum", new Range(false, 0, false, 1, true, false));
    whole("schedule.step_size", 1, INF);
    SCALARS.put("schedule.gamma", new Range(false, 0, true, INF, false, false));
    atLeast("schedule.min_lr", 0, false);
    atLeast("schedule.power", 0, false);
    whole("schedule.patience", 0, INF);
    SCALARS.put("schedule.factor", new Range(false, 0, true, 1, false, false));
    atLeast("schedule.threshold", 0, false);
    whole("schedule.cooldown", 0, INF);
    whole("schedule.warmup_epochs", 0, INF);
    SCALARS.put("schedule.warmup_start", new Range(false, 0, false, 1, false, false));
    whole("train.epochs", 1, INF);
    whole("train.batch", 1, INF);
    whole("train.val_every", 1, INF);
    whole("train.save_every", 0, INF);
    atLeast("train.clip_grad", 0, false);
    whole("train.freeze_epochs", 0, INF);
    SCALARS.put("train.freeze_batch", new Range(true, 1, false, INF, false, true));
    SCALARS.put("train.freeze_lr", new Range(false, 0, true, INF, false, true));
    whole("train.early_stop", 0, INF);
    atLeast("train.max_minutes", 0, false);
    LISTS.put("optimizer.betas", new Range(false, 0, false, 1, true, false));
    LISTS.put("schedule.milestones", new Range(true, 1, false, INF, false, false));
    LISTS.put("loss.alpha", new Range(false, 0, false, INF, false, true));
    LISTS.put("loss.class_weights", new Range(false, 0, false, INF, false, true));
    LISTS.put("loss.deep_supervision_weights", new Range(false, 0, false, INF, false, true));
  }

  private ConfigRanges() {}

  /** Whether {@code key} takes whole numbers only (false for keys without a range). */
  static boolean isWhole(String key) {
    Range r = SCALARS.get(key);
    return r != null && r.whole();
  }

  private static void whole(String key, double lo, double hi) {
    SCALARS.put(key, new Range(true, lo, false, hi, false, false));
  }

  private static void atLeast(String key, double lo, boolean nullable) {
    SCALARS.put(key, new Range(false, lo, false, INF, false, nullable));
  }

  /**
   * Checks every numeric key of {@code c} (and {@code loss.pos_weight}: null, auto or > 0).
   *
   * @throws IllegalArgumentException naming the first key out of range, its value and the range
   */
  static void check(TrainConfig c) {
    for (Map.Entry<String, Range> e : SCALARS.entrySet()) {
      scalar(c, e.getKey(), c.at(e.getKey()), e.getValue());
    }
    JsonNode pos = c.at("loss.pos_weight");
    if (!(pos.isTextual() && pos.asText().equals("auto"))) {
      scalar(c, "loss.pos_weight", pos, new Range(false, 0, true, INF, false, true), "auto, or ");
    }
    for (Map.Entry<String, Range> e : LISTS.entrySet()) {
      String key = e.getKey();
      JsonNode n = c.at(key);
      if (n.isNull() || n.isMissingNode() || (n.isTextual() && n.asText().equals("auto"))) {
        continue;
      }
      if (!n.isArray()) {
        throw refusal(c, key, n, "a list of " + e.getValue().describe() + " values");
      }
      for (int i = 0; i < n.size(); i++) {
        Range item = e.getValue();
        scalar(
            c,
            key + "[" + i + "]",
            n.get(i),
            new Range(item.whole, item.lo, item.loOpen, item.hi, item.hiOpen, false));
      }
    }
  }

  private static void scalar(TrainConfig c, String key, JsonNode n, Range r) {
    scalar(c, key, n, r, "");
  }

  private static void scalar(TrainConfig c, String key, JsonNode n, Range r, String also) {
    if (n.isMissingNode() || n.isNull()) {
      if (r.nullable() || n.isMissingNode()) {
        return;
      }
      throw refusal(c, key, n, also + r.describe());
    }
    double v;
    if (n.isNumber()) {
      v = n.asDouble();
    } else if (n.isTextual()) {
      try {
        v = Double.parseDouble(n.asText().strip());
      } catch (NumberFormatException e) {
        throw refusal(c, key, n, also + r.describe());
      }
    } else {
      throw refusal(c, key, n, also + r.describe());
    }
    boolean whole = !r.whole() || (v == Math.rint(v) && !(n.isNumber() && !n.isIntegralNumber()));
    if (!Double.isFinite(v) || !whole || !r.contains(v)) {
      throw refusal(c, key, n, also + r.describe());
    }
  }

  private static IllegalArgumentException refusal(
      TrainConfig c, String key, JsonNode n, String allowed) {
    String base = key.contains("[") ? key.substring(0, key.indexOf('[')) : key;
    Path file = c.source(base);
    String got = n.isTextual() ? "'" + n.asText() + "'" : n.toString();
    return new IllegalArgumentException(
        "config key '"
            + key
            + "' = "
            + got
            + (file == null ? "" : " (in " + file + ")")
            + " is out of range: it must be "
            + allowed
            + (n.isTextual() && isNonFinite(n.asText()) ? " (infinite and NaN are refused)" : ""));
  }

  private static boolean isNonFinite(String s) {
    try {
      return !Double.isFinite(Double.parseDouble(s.strip()));
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
