package org.seg4j.model.imports;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.seg4j.io.SafeTensors.Tensor;
import org.seg4j.io.WeightsFileException;
import org.seg4j.io.Words;
import org.seg4j.model.ModelConfig;
import org.seg4j.model.SegModel;
import org.seg4j.nn.StateDicts;

/**
 * Where a {@code .pth} comes from ({@code seg4j import --from NAME}): which seg4j architectures its
 * networks are, how its keys map onto theirs, and the input normalisation its repository trains
 * with. {@link #load} checks every key and shape before anything changes.
 */
public abstract class ImportFormat {
  private final String name;
  private final String doc;
  private final List<String> archs;
  private final String normalize;

  /**
   * @param name the {@code --from} value
   * @param doc what it reads, one line
   * @param archs the architectures it maps onto (empty: any)
   * @param normalize the normalisation preset its repository trains with, or null for none
   */
  ImportFormat(String name, String doc, List<String> archs, String normalize) {
    this.name = name;
    this.doc = doc;
    this.archs = List.copyOf(archs);
    this.normalize = normalize;
  }

  /** The {@code --from} value. */
  public String name() {
    return name;
  }

  /** What it reads, one line. */
  public String doc() {
    return doc;
  }

  /** The architectures it maps onto; empty for any. */
  public List<String> archs() {
    return archs;
  }

  /** The normalisation preset its repository trains with ({@code imagenet}), or null for none. */
  public String normalize() {
    return normalize;
  }

  /** The {@code --arch ... -O ...} that a file with these keys needs, or null when unknown. */
  public abstract String hint(Set<String> keys);

  /** The key map for {@code config}'s architecture and options. */
  abstract KeyMap names(ModelConfig config);

  /** Whether a conv bias the file lacks is filled with zeros (bias-free convs followed by BN). */
  boolean zeroBias() {
    return false;
  }

  /** Fails naming the architectures this format maps onto when {@code arch} is not one. */
  public void checkArch(String arch, Set<String> keys) {
    if (!archs.isEmpty() && !archs.contains(arch)) {
      String hint = hint(keys);
      throw new IllegalArgumentException(
          "from="
              + name
              + " maps onto the architecture "
              + Words.either(archs)
              + ", not model.arch="
              + arch
              + (hint == null ? "" : ": this file needs " + hint));
    }
  }

  /**
   * Loads the file's tensors into the initialised model, strictly, and returns notes on what was
   * done beyond a one-to-one copy (empty when nothing).
   */
  public List<String> load(SegModel model, Map<String, Tensor> tensors, Path file)
      throws WeightsFileException {
    ModelConfig c = model.config();
    checkArch(c.arch(), tensors.keySet());
    KeyCheck.Mapped m =
        KeyCheck.map(
            model,
            tensors,
            names(c),
            zeroBias(),
            file.toString(),
            describe(c),
            hint(tensors.keySet()));
    StateDicts.load(model, m.tensors(), file.toString(), UnaryOperator.identity(), true);
    List<String> notes = new ArrayList<>();
    if (m.zeroBiases() > 0) {
      notes.add(
          m.zeroBiases()
              + " conv biases set to 0: "
              + name
              + "'s convs have bias=False and each feeds a BatchNorm, so the model is exact");
    }
    return notes;
  }

  /** {@code from=F model.arch=A -O k=v ...}. */
  String describe(ModelConfig c) {
    StringBuilder sb =
        new StringBuilder("from=").append(name).append(" model.arch=").append(c.arch());
    c.options().forEach((k, v) -> sb.append(" -O ").append(k).append('=').append(v));
    return sb.toString();
  }
}
