package org.seg4j.augment;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.seg4j.data.Sample;

/**
 * The overlap-tile context of a valid-convolution U-Net (Ronneberger et al., Fig. 2): the image is
 * extended by {@code margin} pixels on every side by mirroring, the mask by the same margin of void
 * (ignore index). A crop of side {@code s + 2·margin} taken afterwards then sees the real
 * neighbourhood of its centre {@code s × s} window wherever there is one, and the mirror image
 * beyond the image border, exactly as the paper's tiles do; the loss scores only the centre, where
 * the mask is always real.
 */
public record ContextPad(int margin, int ignoreIndex) implements PairedTransform {
  /** Checks the margin. */
  public ContextPad {
    if (margin < 0) {
      throw new IllegalArgumentException("context margin must be >= 0, got " + margin);
    }
  }

  @Override
  public Sample apply(Sample s, RandomGenerator rng) {
    if (margin == 0) {
      return s;
    }
    int h = s.height() + 2 * margin;
    int w = s.width() + 2 * margin;
    float[] img = new float[s.channels() * h * w];
    int[] mask = new int[h * w];
    int[] xs = new int[w];
    for (int x = 0; x < w; x++) {
      xs[x] = mirror(x - margin, s.width());
    }
    for (int y = 0; y < h; y++) {
      int sy = mirror(y - margin, s.height());
      for (int c = 0; c < s.channels(); c++) {
        int src = (c * s.height() + sy) * s.width();
        int dst = (c * h + y) * w;
        for (int x = 0; x < w; x++) {
          img[dst + x] = s.image()[src + xs[x]];
        }
      }
      boolean inside = y >= margin && y < margin + s.height();
      for (int x = 0; x < w; x++) {
        boolean in = inside && x >= margin && x < margin + s.width();
        mask[y * w + x] = in ? s.mask()[(y - margin) * s.width() + x - margin] : ignoreIndex;
      }
    }
    return new Sample(s.id(), s.channels(), h, w, img, mask);
  }

  /** Mirror index without repeating the edge (numpy 'reflect'), repeated for long pads. */
  public static int mirror(int i, int n) {
    if (n == 1) {
      return 0;
    }
    int period = 2 * (n - 1);
    int m = Math.floorMod(i, period);
    return m < n ? m : period - m;
  }

  /**
   * The training pipeline of a valid-convolution model: mirror context first, then {@code pipeline}
   * with every random crop widened by {@code 2·margin}, so a crop of {@code size} names the output
   * (label) window and the network sees {@code size + 2·margin}.
   */
  public static PairedTransform around(PairedTransform pipeline, int margin, int ignoreIndex) {
    List<PairedTransform> steps = new ArrayList<>();
    steps.add(new ContextPad(margin, ignoreIndex));
    steps.add(widen(pipeline, margin));
    return new Compose(steps);
  }

  private static PairedTransform widen(PairedTransform t, int margin) {
    if (t instanceof RandomCrop c) {
      return new RandomCrop(c.height() + 2 * margin, c.width() + 2 * margin, c.ignoreIndex());
    }
    if (t instanceof RandomApply a) {
      return new RandomApply(widen(a.transform(), margin), a.p());
    }
    if (t instanceof Compose c) {
      List<PairedTransform> out = new ArrayList<>();
      for (PairedTransform x : c.transforms()) {
        out.add(widen(x, margin));
      }
      return new Compose(out);
    }
    return t;
  }
}
