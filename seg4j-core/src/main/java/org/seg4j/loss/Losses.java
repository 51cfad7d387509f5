package org.seg4j.loss;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Builds losses by name. A spec is one or more terms joined by {@code +}, each an optional weight
 * and {@code *} then a name: {@code "ce"}, {@code "ce+dice"}, {@code "0.5*bce+dice"}.
 */
public final class Losses {
  private static final Map<String, Function<LossOptions, SegLoss>> REGISTRY = new LinkedHashMap<>();

  static {
    REGISTRY.put("ce", o -> new CrossEntropyLoss(o.classWeights(), o.ignoreIndex()));
    REGISTRY.put("bce", o -> new BceWithLogitsLoss(o.posWeight(), o.ignoreIndex()));
    REGISTRY.put("focal", o -> new FocalLoss(o.gamma(), o.alpha(), o.ignoreIndex()));
    REGISTRY.put("dice", o -> new DiceLoss(o.smooth(), o.diceAveraging(), o.ignoreIndex()));
    REGISTRY.put("lovasz", o -> new LovaszHingeLoss(o.perImage(true), o.ignoreIndex()));
    REGISTRY.put(
        "lovasz-softmax",
        o -> new LovaszSoftmaxLoss(o.onlyPresent(), o.perImage(false), o.ignoreIndex()));
  }

  private Losses() {}

  /** The valid term names. */
  public static List<String> names() {
    return List.copyOf(REGISTRY.keySet());
  }

  /** Builds the loss for {@code spec} with default options. */
  public static SegLoss create(String spec) {
    return create(spec, LossOptions.defaults());
  }

  /**
   * Builds the loss for {@code spec}; a single term gives that loss, several a {@link
   * WeightedSumLoss}.
   *
   * @throws IllegalArgumentException on an unknown name or a bad weight, listing the valid names
   */
  public static SegLoss create(String spec, LossOptions options) {
    if (spec == null || spec.isBlank()) {
      throw new IllegalArgumentException("empty loss spec; " + help());
    }
    List<SegLoss> terms = new ArrayList<>();
    List<Double> weights = new ArrayList<>();
    for (String raw : spec.split("\\+")) {
      String term = raw.trim().toLowerCase(Locale.ROOT);
      double weight = 1.0;
      int star = term.indexOf('*');
      if (star >= 0) {
        String w = term.substring(0, star).trim();
        try {
          weight = Double.parseDouble(w);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(
              "bad weight '" + w + "' in loss spec '" + spec + "'; " + help(), e);
        }
        term = term.substring(star + 1).trim();
      }
      Function<LossOptions, SegLoss> maker = REGISTRY.get(term);
      if (maker == null) {
        throw new IllegalArgumentException(
            "unknown loss '" + term + "' in '" + spec + "'; " + help());
      }
      terms.add(maker.apply(options));
      weights.add(weight);
    }
    if (terms.size() == 1 && weights.get(0) == 1.0) {
      return terms.get(0);
    }
    return new WeightedSumLoss(terms, weights.stream().mapToDouble(Double::doubleValue).toArray());
  }

  private static String help() {
    return "valid losses: "
        + String.join(", ", REGISTRY.keySet())
        + " (combine with '+', weight a term with e.g. '0.5*dice')";
  }
}
