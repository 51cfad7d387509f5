package org.seg4j.cli;

import java.util.List;
import org.seg4j.infer.InputResize;
import picocli.CommandLine.Option;

/**
 * {@code --resize} and {@code --letterbox}, shared by eval and predict: the input size the model
 * sees, by default the run's own augment resize step, with predictions mapped back to each image's
 * own size.
 */
final class ResizeOptions {
  @Option(
      names = "--resize",
      paramLabel = "H[xW]",
      description =
          "resize each image to H x W for the model; predictions are mapped back to the original"
              + " size (default: the run's augment resize step, if any; none turns it off)")
  String resize;

  @Option(
      names = "--letterbox",
      description =
          "resize keeping the aspect ratio, padding with grey 128 (as bubbliiiing's predict does)")
  boolean letterbox;

  /**
   * The input resize: {@code --resize}, else the resize the model trained at ({@code trained}, from
   * its checkpoint; null for none or a model without one); what was chosen is said in {@code
   * notes}; null for none.
   */
  InputResize choose(InputResize trained, List<String> notes) {
    if (resize != null) {
      InputResize r = InputResize.parse(resize, letterbox);
      if (r == null) {
        if (letterbox) {
          throw new IllegalArgumentException(
              "--letterbox with --resize none: drop one of them (none predicts at the image's own"
                  + " size)");
        }
        return null;
      }
      notes.add(
          "Input resize: "
              + r.describe()
              + "; predictions are mapped back to each image's own size.");
      return r;
    }
    if (trained == null) {
      if (letterbox) {
        throw new IllegalArgumentException(
            "--letterbox needs a size: give --resize H[xW] too (the model was trained without a"
                + " resize step)");
      }
      return null;
    }
    InputResize r = letterbox ? trained.letterboxed() : trained;
    notes.add(
        "Input resize: "
            + r.describe()
            + ", as the run's augment resize step trained"
            + "; predictions are mapped back to each image's own size"
            + " (--resize none turns it off).");
    return r;
  }
}
