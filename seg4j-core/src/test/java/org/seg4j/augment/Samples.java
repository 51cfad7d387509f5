package org.seg4j.augment;

import java.util.SplittableRandom;
import org.seg4j.data.Sample;

/** Tiny synthetic samples for the augmentation tests. */
final class Samples {
  private Samples() {}

  /** Random image values with a mask of distinct labels per pixel (so any mix-up shows). */
  static Sample random(int c, int h, int w, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] img = new float[c * h * w];
    for (int i = 0; i < img.length; i++) {
      img[i] = (float) r.nextDouble();
    }
    int[] mask = new int[h * w];
    for (int i = 0; i < mask.length; i++) {
      mask[i] = i;
    }
    return new Sample("s" + seed, c, h, w, img, mask);
  }

  /**
   * A binary-looking image (values in [0.05, 0.45] or [0.55, 0.95]) whose mask is the threshold of
   * the image at 0.5.
   */
  static Sample thresholded(int c, int h, int w, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] img = new float[c * h * w];
    int[] mask = new int[h * w];
    for (int i = 0; i < h * w; i++) {
      boolean on = r.nextBoolean();
      mask[i] = on ? 1 : 0;
      for (int ch = 0; ch < c; ch++) {
        img[ch * h * w + i] = (float) ((on ? 0.55 : 0.05) + 0.4 * r.nextDouble());
      }
    }
    return new Sample("t" + seed, c, h, w, img, mask);
  }
}
