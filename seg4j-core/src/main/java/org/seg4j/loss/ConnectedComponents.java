package org.seg4j.loss;

/** Labels the connected components of a binary image (4- or 8-connectivity) by flood fill. */
final class ConnectedComponents {
  private ConnectedComponents() {}

  /**
   * Component labels.
   *
   * @param labels per pixel: 0 for background, 1..count for the components, in raster order of
   *     their first pixel
   * @param count number of components
   */
  public record Labels(int[] labels, int count) {}

  /**
   * @param foreground row-major H×W, true where the pixel belongs to some component
   * @param eightConnected also join diagonal neighbours
   */
  public static Labels label(boolean[] foreground, int height, int width, boolean eightConnected) {
    if (foreground.length != height * width) {
      throw new IllegalArgumentException(
          "image has " + foreground.length + " pixels, expected " + height + "x" + width);
    }
    int[] dy = eightConnected ? new int[] {-1, -1, -1, 0, 0, 1, 1, 1} : new int[] {-1, 1, 0, 0};
    int[] dx = eightConnected ? new int[] {-1, 0, 1, -1, 1, -1, 0, 1} : new int[] {0, 0, -1, 1};
    int[] labels = new int[foreground.length];
    int[] stack = new int[foreground.length];
    int count = 0;
    for (int start = 0; start < foreground.length; start++) {
      if (!foreground[start] || labels[start] != 0) {
        continue;
      }
      count++;
      int top = 0;
      stack[top++] = start;
      labels[start] = count;
      while (top > 0) {
        int p = stack[--top];
        int y = p / width;
        int x = p % width;
        for (int n = 0; n < dy.length; n++) {
          int yy = y + dy[n];
          int xx = x + dx[n];
          if (yy < 0 || yy >= height || xx < 0 || xx >= width) {
            continue;
          }
          int q = yy * width + xx;
          if (foreground[q] && labels[q] == 0) {
            labels[q] = count;
            stack[top++] = q;
          }
        }
      }
    }
    return new Labels(labels, count);
  }
}
