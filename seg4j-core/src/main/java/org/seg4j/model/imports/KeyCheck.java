package org.seg4j.model.imports;

import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.seg4j.io.SafeTensors.Tensor;
import org.seg4j.io.WeightsFileException;
import org.seg4j.model.SegModel;

/**
 * Renames a file's tensors with a {@link KeyMap} and checks them against a built model: every
 * missing, unexpected and wrong-shape key is listed in one error, in the file's names, each
 * unexpected key with the nearest expected one (edit distance).
 */
final class KeyCheck {
  private KeyCheck() {}

  /**
   * The file's tensors under the model's names, all checked.
   *
   * @param zeroBias fill a conv bias the file lacks with zeros (convs built with {@code bias=False}
   *     and followed by batch norm, where a zero bias changes nothing)
   * @param what the import as given ({@code from=F model.arch=A -O k=v}), for the error
   * @param hint the {@code --arch}/{@code -O} the file's keys suggest, or null
   * @return the renamed tensors and the count of biases filled
   */
  static Mapped map(
      SegModel model,
      Map<String, Tensor> file,
      KeyMap names,
      boolean zeroBias,
      String source,
      String what,
      String hint)
      throws WeightsFileException {
    Map<String, Parameter> params = model.stateDict();
    Map<String, Long> extra = model.extraState();
    Map<String, Tensor> mapped = new LinkedHashMap<>();
    List<String> unexpected = new ArrayList<>();
    List<String> wrongShape = new ArrayList<>();
    for (Map.Entry<String, Tensor> e : file.entrySet()) {
      String ours = names.ours(e.getKey());
      Tensor t = e.getValue();
      Parameter p = params.get(ours);
      if (extra.containsKey(ours)) {
        mapped.put(ours, t);
      } else if (p == null) {
        unexpected.add(e.getKey());
      } else if (!Arrays.equals(p.getShape().getShape(), t.shape())) {
        wrongShape.add(
            e.getKey()
                + " is "
                + Arrays.toString(t.shape())
                + " in the file, the model needs "
                + Arrays.toString(p.getShape().getShape()));
        mapped.put(ours, t);
      } else {
        mapped.put(ours, t);
      }
    }
    int filled = 0;
    List<String> missing = new ArrayList<>();
    for (Map.Entry<String, Parameter> e : params.entrySet()) {
      String k = e.getKey();
      if (mapped.containsKey(k)) {
        continue;
      }
      String weight = k.endsWith(".bias") ? k.substring(0, k.length() - 4) + "weight" : null;
      long[] shape = e.getValue().getShape().getShape();
      if (zeroBias && weight != null && mapped.containsKey(weight)) {
        mapped.put(k, Tensor.ofFloats(shape, new float[(int) shape[0]]));
        filled++;
      } else {
        missing.add(names.theirs(k));
      }
    }
    if (missing.isEmpty() && unexpected.isEmpty() && wrongShape.isEmpty()) {
      return new Mapped(mapped, filled);
    }
    List<String> expected = new ArrayList<>();
    (missing.isEmpty() ? params.keySet().stream().map(names::theirs).toList() : missing)
        .forEach(expected::add);
    StringBuilder sb = new StringBuilder(source).append(" does not fit ").append(what);
    sb.append(
        String.format(
            Locale.ROOT,
            ": %d missing, %d unexpected, %d wrong-shape key(s) (the file's names); ",
            missing.size(),
            unexpected.size(),
            wrongShape.size()));
    sb.append(
        hint == null || what.endsWith(hint)
            ? "check that the file was saved by that network with these options"
            : "its keys look like " + hint);
    missing.forEach(k -> sb.append("\n  missing: ").append(k));
    for (String k : unexpected) {
      sb.append("\n  unexpected: ").append(k);
      String near = nearest(k, expected);
      if (near != null) {
        sb.append(" (nearest expected: ").append(near).append(')');
      }
    }
    wrongShape.forEach(k -> sb.append("\n  wrong shape: ").append(k));
    throw new WeightsFileException(sb.toString());
  }

  /** The renamed tensors and how many conv biases were filled with zeros. */
  record Mapped(Map<String, Tensor> tensors, int zeroBiases) {}

  /** The candidate with the smallest edit distance to {@code key}, or null when there is none. */
  static String nearest(String key, List<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      int d = distance(key, c);
      if (d < bestDistance) {
        best = c;
        bestDistance = d;
      }
    }
    return best;
  }

  /** Levenshtein distance. */
  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j], cur[j - 1]) + 1);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
