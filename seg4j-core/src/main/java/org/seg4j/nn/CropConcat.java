package org.seg4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;

/**
 * The valid-convolution U-Net's skip: centre-crop the encoder map to the decoder map's size and
 * concatenate on channels as {@code cat([crop(skip), up], 1)}. The crop offset is {@code (skipSide
 * − side) // 2}, as in the paper's implementations.
 */
public final class CropConcat {
  private CropConcat() {}

  /** Centre-crops {@code skip} to the spatial size of {@code like}. */
  public static NDArray centerCrop(NDArray skip, NDArray like) {
    long hs = skip.getShape().get(2);
    long ws = skip.getShape().get(3);
    long h = like.getShape().get(2);
    long w = like.getShape().get(3);
    if (h > hs || w > ws) {
      throw new IllegalArgumentException(
          "cannot crop a " + hs + "x" + ws + " skip map to a larger " + h + "x" + w);
    }
    if (h == hs && w == ws) {
      return skip;
    }
    long top = (hs - h) / 2;
    long left = (ws - w) / 2;
    return skip.get(new NDIndex(":, :, {}:{}, {}:{}", top, top + h, left, left + w));
  }

  /** {@code torch.cat([centerCrop(skip, up), up], 1)}. */
  public static NDArray apply(NDArray skip, NDArray up) {
    return NDArrays.concat(new NDList(centerCrop(skip, up), up), 1);
  }
}
