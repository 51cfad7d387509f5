package org.seg4j.infer;

import java.util.Locale;
import org.seg4j.augment.Interpolation;
import org.seg4j.augment.Letterbox;
import org.seg4j.augment.Resize;
import org.seg4j.data.Sample;
import org.seg4j.run.InferenceSpec;

/**
 * Inference-time input resize: each image is resized to {@code height x width} before the model
 * sees it, stretched, or letterboxed (aspect kept, the rest padded with {@code pad}, grey 128 as
 * bubbliiiing's {@code resize_image} does), and the prediction is mapped back to the image's own
 * size: the padding is cut off and the probabilities of the image's area are resized back with the
 * inverse of the same scale (bilinear), then arg-max or the sigmoid threshold, so masks and metrics
 * are at the original size. {@link LoadedModel#setInputResize} applies it to every prediction.
 *
 * @param height the model's input height
 * @param width the model's input width
 * @param letterbox keep the aspect ratio and pad (else stretch)
 * @param pad the padding value in raw [0, 1] image units, before normalisation
 * @param interpolation how the image is resampled
 */
public record InputResize(
    int height, int width, boolean letterbox, float pad, Interpolation interpolation) {
  /** bubbliiiing's letterbox grey, (128, 128, 128), in [0, 1] units. */
  public static final float GREY = 128f / 255f;

  /** Checks the size and the padding value. */
  public InputResize {
    if (height <= 0 || width <= 0) {
      throw new IllegalArgumentException(
          "resize=" + height + "x" + width + ": both sides must be positive, e.g. 256 or 512x256");
    }
    if (!(pad >= 0 && pad <= 1)) {
      throw new IllegalArgumentException("letterbox padding " + pad + " must be in [0, 1]");
    }
    if (interpolation == null) {
      throw new IllegalArgumentException("input resize needs an interpolation");
    }
  }

  /**
   * Parses a {@code --resize} value: {@code H} (square) or {@code HxW}; {@code none} gives null.
   * Letterboxed sizes pad with {@link #GREY}; the image is resampled bilinearly.
   *
   * @throws IllegalArgumentException naming the value and the accepted forms
   */
  public static InputResize parse(String value, boolean letterbox) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    if (v.equals("none")) {
      return null;
    }
    if (!v.matches("\\d{1,5}(x\\d{1,5})?")) {
      throw new IllegalArgumentException(
          "resize="
              + value
              + " is not a size: give H (a square, e.g. 256), HxW (e.g. 512x256) or none");
    }
    String[] hw = v.split("x");
    int h = Integer.parseInt(hw[0]);
    int w = hw.length == 2 ? Integer.parseInt(hw[1]) : h;
    return new InputResize(h, w, letterbox, GREY, Interpolation.BILINEAR);
  }

  /**
   * The resize a model trained with ({@link InferenceSpec#resize()}; {@code keep_aspect: true} is a
   * letterbox, padded as training padded: 0 before normalisation), or null when it had none.
   */
  public static InputResize trainedAt(InferenceSpec spec) {
    Resize r = spec.resize();
    return r == null
        ? null
        : new InputResize(r.height(), r.width(), r.keepAspect(), 0f, r.interpolation());
  }

  /** The same size letterboxed (aspect kept) with grey 128 padding. */
  public InputResize letterboxed() {
    return new InputResize(height, width, true, letterbox ? pad : GREY, interpolation);
  }

  /** The map of an {@code srcH x srcW} image into the model's input. */
  public Letterbox plan(int srcH, int srcW) {
    return Letterbox.of(srcH, srcW, height, width, letterbox);
  }

  /** Whether {@code plan} leaves the image as it is. */
  static boolean identity(Letterbox plan) {
    return plan.srcH() == plan.dstH()
        && plan.srcW() == plan.dstW()
        && plan.innerH() == plan.dstH()
        && plan.innerW() == plan.dstW();
  }

  /** The image of {@code s} resized by {@code plan} (its mask dropped), padding filled. */
  public Sample apply(Sample s, Letterbox plan) {
    Sample image = new Sample(s.id(), s.channels(), s.height(), s.width(), s.image(), null);
    if (identity(plan)) {
      return image;
    }
    Sample r = plan.apply(image, interpolation, -1);
    if (pad != 0f) {
      float[] px = r.image();
      int h = plan.dstH();
      int w = plan.dstW();
      for (int c = 0; c < r.channels(); c++) {
        for (int y = 0; y < h; y++) {
          boolean rowInside = y >= plan.padTop() && y < plan.padTop() + plan.innerH();
          for (int x = 0; x < w; x++) {
            if (!rowInside || x < plan.padLeft() || x >= plan.padLeft() + plan.innerW()) {
              px[(c * h + y) * w + x] = pad;
            }
          }
        }
      }
    }
    return r;
  }

  /**
   * Maps a prediction of the resized image back to the original size: the probabilities of the
   * image's area (the padding cut off first, so it is never read) are resized to the original size
   * (bilinear, as bubbliiiing resizes its cropped {@code pr}), then the class per pixel is taken.
   *
   * @param p the prediction at {@code plan}'s output size
   * @param plan the map used by {@link #apply}
   * @param sigmoid whether the model has a single sigmoid logit (foreground above {@code
   *     threshold}); else the arg-max
   * @param threshold the foreground threshold of a sigmoid head
   */
  public PredictionMaps restore(
      PredictionMaps p, Letterbox plan, boolean sigmoid, double threshold) {
    if (identity(plan)) {
      return p;
    }
    int k = p.classes();
    int ih = plan.innerH();
    int iw = plan.innerW();
    float[] inner = p.probabilities();
    if (ih != plan.dstH() || iw != plan.dstW()) {
      inner = new float[k * ih * iw];
      for (int c = 0; c < k; c++) {
        for (int y = 0; y < ih; y++) {
          System.arraycopy(
              p.probabilities(),
              (c * plan.dstH() + plan.padTop() + y) * plan.dstW() + plan.padLeft(),
              inner,
              (c * ih + y) * iw,
              iw);
        }
      }
    }
    int h = plan.srcH();
    int w = plan.srcW();
    float[] probs = Letterbox.of(h, w, ih, iw, false).invertProbabilities(inner, k);
    int[] mask;
    if (sigmoid) {
      int n = h * w;
      mask = new int[n];
      for (int i = 0; i < n; i++) {
        mask[i] = probs[n + i] > threshold ? 1 : 0;
      }
    } else {
      mask = PredictionMaps.argmax(probs, k, h, w);
    }
    return new PredictionMaps(k, h, w, probs, mask);
  }

  /**
   * In words, e.g. {@code letterbox 256x256 (pad grey 128, bilinear)} or {@code resize 256x256}.
   */
  public String describe() {
    String interp = interpolation.name().toLowerCase(Locale.ROOT);
    if (!letterbox) {
      return String.format(Locale.ROOT, "resize %dx%d (%s)", height, width, interp);
    }
    String padding =
        pad == GREY ? "pad grey 128" : String.format(Locale.ROOT, "pad %d", Math.round(pad * 255));
    return String.format(Locale.ROOT, "letterbox %dx%d (%s, %s)", height, width, padding, interp);
  }
}
