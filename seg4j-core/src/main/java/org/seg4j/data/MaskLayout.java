package org.seg4j.data;

import java.util.List;

/** How the mask files of one sample combine into one class map. */
enum MaskLayout {
  /** One mask file holding class indices (VOC, image/mask folders). */
  SINGLE,
  /** One binary mask per class; file k marks class k + 1, 0 is background (nested-unet). */
  PER_CLASS,
  /** One binary mask per object; their union is class 1 (Data Science Bowl 2018). */
  PER_INSTANCE;

  /** Combines decoded masks (binary for the multi-file layouts) into one class map. */
  int[] combine(List<int[]> decoded) {
    if (this == SINGLE) {
      return decoded.get(0);
    }
    int[] out = new int[decoded.get(0).length];
    for (int k = 0; k < decoded.size(); k++) {
      int label = this == PER_CLASS ? k + 1 : 1;
      int[] m = decoded.get(k);
      for (int p = 0; p < out.length; p++) {
        if (m[p] != 0) {
          out[p] = label;
        }
      }
    }
    return out;
  }
}
