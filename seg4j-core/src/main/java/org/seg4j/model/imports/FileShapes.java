package org.seg4j.model.imports;

import java.util.Map;
import org.seg4j.io.SafeTensors.Tensor;

/**
 * What a state_dict's shapes say about its network, as every supported repository registers its
 * modules: the first 4-D tensor is the first conv ({@code [base, in_channels, k, k]}) and the last
 * 1×1 conv is the head ({@code [classes, c, 1, 1]}).
 *
 * @param firstConv the first conv's key, or null when the file has no 4-D tensor
 * @param inChannels its input channels, or 0
 * @param base its output channels, or 0
 * @param head the head's key, or null when there is no 1×1 conv (a classification backbone)
 * @param classes its output channels, or 0
 */
public record FileShapes(String firstConv, int inChannels, int base, String head, int classes) {
  /** Reads the shapes of a state_dict, in file order. */
  public static FileShapes of(Map<String, Tensor> tensors) {
    String first = null;
    String head = null;
    long[] firstShape = null;
    long[] headShape = null;
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      long[] s = e.getValue().shape();
      if (s.length != 4 || !e.getKey().endsWith("weight")) {
        continue;
      }
      if (first == null) {
        first = e.getKey();
        firstShape = s;
      }
      if (s[2] == 1 && s[3] == 1) {
        head = e.getKey();
        headShape = s;
      }
    }
    return new FileShapes(
        first,
        first == null ? 0 : (int) firstShape[1],
        first == null ? 0 : (int) firstShape[0],
        head,
        head == null ? 0 : (int) headShape[0]);
  }
}
