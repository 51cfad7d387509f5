package org.seg4j.augment;

/**
 * An inverse mapping from output pixel (x, y) to source position {@code (sx, sy) = (a x + b y + c,
 * d x + e y + f)}, with pixel centres at integer coordinates.
 */
record Affine(double a, double b, double c, double d, double e, double f) {
  /** The identity map. */
  public static final Affine IDENTITY = new Affine(1, 0, 0, 0, 1, 0);

  /** Output pixel (x, y) reads source pixel (x - dx, y - dy): the content moves by (dx, dy). */
  public static Affine translation(double dx, double dy) {
    return new Affine(1, 0, -dx, 0, 1, -dy);
  }

  /**
   * Rotates the content by {@code degrees} (counter-clockwise on screen) and scales it by {@code
   * scale} about the centre of a {@code height x width} image, keeping the size.
   */
  public static Affine rotateScale(int height, int width, double degrees, double scale) {
    double t = Math.toRadians(degrees);
    double cos = Math.cos(t) / scale;
    double sin = Math.sin(t) / scale;
    double cx = (width - 1) / 2.0;
    double cy = (height - 1) / 2.0;
    // source = R(-t) / scale * (out - centre) + centre; y points down on screen.
    return new Affine(cos, -sin, cx - cos * cx + sin * cy, sin, cos, cy - sin * cx - cos * cy);
  }

  /** Source x of output pixel (x, y). */
  public double sourceX(double x, double y) {
    return a * x + b * y + c;
  }

  /** Source y of output pixel (x, y). */
  public double sourceY(double x, double y) {
    return d * x + e * y + f;
  }

  /** True when every coefficient is a whole number, so the map is an exact index permutation. */
  public boolean isIntegral() {
    return whole(a) && whole(b) && whole(c) && whole(d) && whole(e) && whole(f);
  }

  private static boolean whole(double v) {
    return v == Math.rint(v);
  }
}
