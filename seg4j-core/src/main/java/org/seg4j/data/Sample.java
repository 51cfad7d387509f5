package org.seg4j.data;

/**
 * One decoded training pair: an image as float CHW planes scaled to [0, 1] (8-bit by 255, 16-bit by
 * 65535) and a mask of class indices per pixel (row-major, {@code ignoreIndex} for void). The mask
 * is null for unlabelled images. Shared by datasets, augmentation and the loader.
 */
public record Sample(String id, int channels, int height, int width, float[] image, int[] mask) {
  /** Checks that the arrays fit the declared sizes. */
  public Sample {
    if (image.length != channels * height * width) {
      throw new IllegalArgumentException(
          id + ": image holds " + image.length + " values, expected " + channels * height * width);
    }
    if (mask != null && mask.length != height * width) {
      throw new IllegalArgumentException(
          id + ": mask holds " + mask.length + " values, expected " + height * width);
    }
  }

  /** The image value at channel c, row y, column x. */
  public float pixel(int c, int y, int x) {
    return image[(c * height + y) * width + x];
  }

  /** The class index at row y, column x. */
  public int label(int y, int x) {
    return mask[y * width + x];
  }
}
