package org.seg4j.augment;

import java.util.random.RandomGenerator;
import org.seg4j.data.Sample;

/**
 * Jitters colour in HSV space: hue shifted by U(-hue, hue) turns, saturation and value scaled by 1
 * + U(-saturation, saturation) and 1 + U(-value, value). A 1-channel image only gets the value
 * scaling (it has no hue or saturation); other channel counts are rejected.
 */
record HsvJitter(double hue, double saturation, double value) implements PairedTransform {
  @Override
  public Sample apply(Sample s, RandomGenerator rng) {
    float dh = (float) Range.symmetric(hue).sample(rng);
    float ks = (float) (1 + Range.symmetric(saturation).sample(rng));
    float kv = (float) (1 + Range.symmetric(value).sample(rng));
    float[] src = s.image();
    float[] out = new float[src.length];
    if (s.channels() == 1) {
      for (int i = 0; i < src.length; i++) {
        out[i] = Photometric.clamp01(src[i] * kv);
      }
      return Photometric.withImage(s, out);
    }
    if (s.channels() != 3) {
      throw new IllegalArgumentException(
          s.id() + ": hsv jitter needs a 1- or 3-channel image, got " + s.channels() + " channels");
    }
    int plane = s.height() * s.width();
    float[] hsv = new float[3];
    for (int i = 0; i < plane; i++) {
      toHsv(src[i], src[plane + i], src[2 * plane + i], hsv);
      float h = hsv[0] + dh;
      h -= (float) Math.floor(h);
      toRgb(h, Photometric.clamp01(hsv[1] * ks), Photometric.clamp01(hsv[2] * kv), out, i, plane);
    }
    return Photometric.withImage(s, out);
  }

  private static void toHsv(float r, float g, float b, float[] hsv) {
    float max = Math.max(r, Math.max(g, b));
    float min = Math.min(r, Math.min(g, b));
    float d = max - min;
    float h = 0;
    if (d > 0) {
      if (max == r) {
        h = (g - b) / d;
      } else if (max == g) {
        h = 2 + (b - r) / d;
      } else {
        h = 4 + (r - g) / d;
      }
      h /= 6;
      if (h < 0) {
        h += 1;
      }
    }
    hsv[0] = h;
    hsv[1] = max > 0 ? d / max : 0;
    hsv[2] = max;
  }

  private static void toRgb(float h, float sat, float v, float[] out, int i, int plane) {
    float h6 = h * 6;
    int sector = Math.min(5, (int) h6);
    float f = h6 - sector;
    float p = v * (1 - sat);
    float q = v * (1 - sat * f);
    float t = v * (1 - sat * (1 - f));
    float r;
    float g;
    float b;
    switch (sector) {
      case 0 -> {
        r = v;
        g = t;
        b = p;
      }
      case 1 -> {
        r = q;
        g = v;
        b = p;
      }
      case 2 -> {
        r = p;
        g = v;
        b = t;
      }
      case 3 -> {
        r = p;
        g = q;
        b = v;
      }
      case 4 -> {
        r = t;
        g = p;
        b = v;
      }
      default -> {
        r = v;
        g = p;
        b = q;
      }
    }
    out[i] = r;
    out[plane + i] = g;
    out[2 * plane + i] = b;
  }
}
