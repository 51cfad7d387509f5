package org.seg4j.augment;

import java.util.random.RandomGenerator;
import org.seg4j.data.Sample;

/** Blurs every image channel with a Gaussian whose sigma (pixels) is drawn from {@code sigma}. */
record GaussianBlur(Range sigma) implements PairedTransform {
  /** Checks sigma > 0. */
  public GaussianBlur {
    if (!(sigma.lo() > 0)) {
      throw new IllegalArgumentException("blur sigma must be > 0, got " + sigma);
    }
  }

  @Override
  public Sample apply(Sample s, RandomGenerator rng) {
    double sg = sigma.sample(rng);
    float[] out = s.image().clone();
    int plane = s.height() * s.width();
    for (int c = 0; c < s.channels(); c++) {
      Filters.gaussianBlur(out, c * plane, s.height(), s.width(), sg);
    }
    return Photometric.withImage(s, out);
  }
}
