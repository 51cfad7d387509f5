package org.seg4j.augment;

import java.util.random.RandomGenerator;
import org.seg4j.data.Sample;

/**
 * Adds independent Gaussian noise to every image value, with a standard deviation drawn from {@code
 * std}, and clamps to [0, 1]. The mask is unchanged.
 */
record GaussianNoise(Range std) implements PairedTransform {
  @Override
  public Sample apply(Sample s, RandomGenerator rng) {
    double sigma = std.sample(rng);
    float[] src = s.image();
    float[] out = new float[src.length];
    for (int i = 0; i < src.length; i++) {
      out[i] = Photometric.clamp01((float) (src[i] + sigma * rng.nextGaussian()));
    }
    return Photometric.withImage(s, out);
  }
}
