package org.seg4j.augment;

import java.util.random.RandomGenerator;
import org.seg4j.data.Sample;

/**
 * Maps every image value v to clamp(alpha v + beta) with alpha = 1 + U(-contrast, contrast) and
 * beta = U(-brightness, brightness), as albumentations' RandomBrightnessContrast.
 */
record BrightnessContrast(double brightness, double contrast) implements PairedTransform {
  @Override
  public Sample apply(Sample s, RandomGenerator rng) {
    float alpha = (float) (1 + Range.symmetric(contrast).sample(rng));
    float beta = (float) Range.symmetric(brightness).sample(rng);
    float[] src = s.image();
    float[] out = new float[src.length];
    for (int i = 0; i < src.length; i++) {
      out[i] = Photometric.clamp01(alpha * src[i] + beta);
    }
    return Photometric.withImage(s, out);
  }
}
