package org.seg4j.augment;

import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.seg4j.data.Sample;

/**
 * Per-channel {@code (v - mean) / std}; one value applies to every channel. {@link #IMAGENET} is
 * the preset for ImageNet-pretrained (VGG) encoders.
 */
public record Normalize(float[] mean, float[] std) implements PairedTransform {
  /** ImageNet RGB statistics, as torchvision's pretrained models expect. */
  public static final Normalize IMAGENET =
      new Normalize(new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f});

  /** Checks the lengths and that std is positive. */
  public Normalize {
    if (mean.length == 0 || mean.length != std.length) {
      throw new IllegalArgumentException(
          "normalize: mean "
              + Arrays.toString(mean)
              + " and std "
              + Arrays.toString(std)
              + " must have the same non-zero length");
    }
    for (float v : std) {
      if (!(v > 0)) {
        throw new IllegalArgumentException(
            "normalize: std must be > 0, got " + Arrays.toString(std));
      }
    }
    mean = mean.clone();
    std = std.clone();
  }

  @Override
  public Sample apply(Sample s, RandomGenerator rng) {
    if (mean.length != 1 && mean.length != s.channels()) {
      throw new IllegalArgumentException(
          s.id()
              + ": normalize has "
              + mean.length
              + " mean/std values but the image has "
              + s.channels()
              + " channels; give one value per channel (e.g. mean: [0.5], std: [0.5]"
              + " for grey) or convert the images to RGB");
    }
    int plane = s.height() * s.width();
    float[] src = s.image();
    float[] out = new float[src.length];
    for (int c = 0; c < s.channels(); c++) {
      float m = mean[mean.length == 1 ? 0 : c];
      float inv = 1f / std[std.length == 1 ? 0 : c];
      for (int i = c * plane; i < (c + 1) * plane; i++) {
        out[i] = (src[i] - m) * inv;
      }
    }
    return Photometric.withImage(s, out);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Normalize n && Arrays.equals(mean, n.mean) && Arrays.equals(std, n.std);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
  }

  @Override
  public String toString() {
    return "Normalize[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
  }
}
