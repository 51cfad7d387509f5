package org.seg4j.metric;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;

/**
 * A streaming K×K confusion matrix over a whole evaluation set: rows are the true class, columns
 * the predicted class. Pixels whose truth equals the ignore index are skipped. Batches are counted
 * on the engine ({@code truth·K + pred}, then {@code unique} with counts); matrices from several
 * workers can be {@link #merge merged}. Thread-safe.
 */
public final class ConfusionMatrix {
  private final int numClasses;
  private final int ignoreIndex;
  private final long[][] counts;

  /**
   * @param numClasses number of classes K
   * @param ignoreIndex truth value whose pixels are not counted
   */
  public ConfusionMatrix(int numClasses, int ignoreIndex) {
    if (numClasses < 1) {
      throw new IllegalArgumentException("need at least one class, got " + numClasses);
    }
    this.numClasses = numClasses;
    this.ignoreIndex = ignoreIndex;
    this.counts = new long[numClasses][numClasses];
  }

  /**
   * Counts one batch.
   *
   * @param pred class indices (N,H,W) or logits/probabilities (N,K,H,W), arg-maxed over axis 1
   * @param target class indices (N,H,W), possibly holding the ignore index
   */
  public void add(NDArray pred, NDArray target) {
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDArray p = pred;
      if (p.getShape().dimension() == target.getShape().dimension() + 1) {
        p = p.argMax(1);
      }
      if (!p.getShape().equals(target.getShape())) {
        throw new IllegalArgumentException(
            "prediction " + pred.getShape() + " does not match target " + target.getShape());
      }
      NDArray t = target.toType(DataType.INT64, false).reshape(-1);
      p = p.toType(DataType.INT64, false).reshape(-1);
      NDArray valid = t.neq(ignoreIndex);
      check(t.booleanMask(valid), "truth");
      check(p, "prediction");
      NDArray codes = t.mul(numClasses).add(p).booleanMask(valid);
      if (codes.getShape().get(0) == 0) {
        return;
      }
      NDList unique = codes.unique(null, true, false, true);
      long[] values = unique.get(0).toLongArray();
      long[] n = unique.get(unique.size() - 1).toLongArray();
      synchronized (counts) {
        for (int i = 0; i < values.length; i++) {
          counts[(int) (values[i] / numClasses)][(int) (values[i] % numClasses)] += n[i];
        }
      }
    }
  }

  private void check(NDArray classes, String what) {
    if (classes.getShape().get(0) == 0) {
      return;
    }
    long min = classes.min().getLong();
    long max = classes.max().getLong();
    if (min < 0 || max >= numClasses) {
      long bad = min < 0 ? min : max;
      throw new IllegalArgumentException(
          what
              + " holds class "
              + bad
              + " but there are "
              + numClasses
              + " classes (0.."
              + (numClasses - 1)
              + ")"
              + (what.equals("truth")
                  ? "; set the ignore index to "
                      + bad
                      + " if it marks void pixels, or remap the masks"
                  : "; does the model's class count match?"));
    }
  }

  /** Counts one image or batch given as flat class-index arrays of equal length. */
  public void add(int[] pred, int[] target) {
    if (pred.length != target.length) {
      throw new IllegalArgumentException(
          "prediction has " + pred.length + " pixels but target has " + target.length);
    }
    long[][] local = new long[numClasses][numClasses];
    for (int i = 0; i < pred.length; i++) {
      int t = target[i];
      if (t == ignoreIndex) {
        continue;
      }
      int p = pred[i];
      if (t < 0 || t >= numClasses || p < 0 || p >= numClasses) {
        throw new IllegalArgumentException(
            "pixel "
                + i
                + " has truth "
                + t
                + " and prediction "
                + p
                + " but there are "
                + numClasses
                + " classes; remap the mask or set the ignore index");
      }
      local[t][p]++;
    }
    addCounts(local);
  }

  /** Adds another matrix's counts (same K) into this one. */
  public void merge(ConfusionMatrix other) {
    if (other.numClasses != numClasses) {
      throw new IllegalArgumentException(
          "cannot merge a "
              + other.numClasses
              + "-class matrix into a "
              + numClasses
              + "-class one");
    }
    addCounts(other.counts());
  }

  private void addCounts(long[][] add) {
    synchronized (counts) {
      for (int t = 0; t < numClasses; t++) {
        for (int p = 0; p < numClasses; p++) {
          counts[t][p] += add[t][p];
        }
      }
    }
  }

  /** A copy of the counts, {@code [truth][prediction]}. */
  public long[][] counts() {
    synchronized (counts) {
      long[][] copy = new long[numClasses][];
      for (int t = 0; t < numClasses; t++) {
        copy[t] = counts[t].clone();
      }
      return copy;
    }
  }

  /** Number of pixels with truth t predicted as p. */
  public long get(int t, int p) {
    synchronized (counts) {
      return counts[t][p];
    }
  }

  /** Total counted pixels. */
  public long total() {
    long s = 0;
    for (long[] row : counts()) {
      for (long v : row) {
        s += v;
      }
    }
    return s;
  }

  /** Number of classes K. */
  public int numClasses() {
    return numClasses;
  }

  /** The ignore index. */
  public int ignoreIndex() {
    return ignoreIndex;
  }

  /** Clears all counts. */
  public void reset() {
    synchronized (counts) {
      for (long[] row : counts) {
        java.util.Arrays.fill(row, 0);
      }
    }
  }
}
