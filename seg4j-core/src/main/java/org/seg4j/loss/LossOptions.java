package org.seg4j.loss;

/**
 * Parameters shared by the losses that {@link Losses#create} builds; immutable, change with the
 * {@code with...} methods. Defaults: no class weights, ignore index −100 (PyTorch's), pos_weight 1,
 * γ = 2, no α, Dice smoothing 1 averaged over all classes, Lovász per the reference (hinge per
 * image, softmax over the batch, present classes).
 */
public final class LossOptions {
  /** PyTorch's default ignore index, which never matches a class. */
  public static final int NO_IGNORE = -100;

  /** Focal γ when none is given (the run configuration's {@code loss.gamma} default). */
  public static final double DEFAULT_GAMMA = 2.0;

  /** Dice smoothing when none is given (the run configuration's {@code loss.smooth} default). */
  public static final double DEFAULT_SMOOTH = 1.0;

  private float[] classWeights;
  private int ignoreIndex = NO_IGNORE;
  private double posWeight = 1.0;
  private double gamma = DEFAULT_GAMMA;
  private float[] alpha;
  private double smooth = DEFAULT_SMOOTH;
  private DiceLoss.Averaging diceAveraging = DiceLoss.Averaging.ALL;
  private Boolean perImage;
  private boolean onlyPresent = true;

  /** Default options. */
  public static LossOptions defaults() {
    return new LossOptions();
  }

  private LossOptions copy() {
    LossOptions o = new LossOptions();
    o.classWeights = classWeights;
    o.ignoreIndex = ignoreIndex;
    o.posWeight = posWeight;
    o.gamma = gamma;
    o.alpha = alpha;
    o.smooth = smooth;
    o.diceAveraging = diceAveraging;
    o.perImage = perImage;
    o.onlyPresent = onlyPresent;
    return o;
  }

  /** Per-class weights for cross-entropy (null = none). */
  public LossOptions withClassWeights(float... weights) {
    LossOptions o = copy();
    o.classWeights = weights == null ? null : weights.clone();
    return o;
  }

  /** Target value whose pixels every loss skips. */
  public LossOptions withIgnoreIndex(int ignore) {
    LossOptions o = copy();
    o.ignoreIndex = ignore;
    return o;
  }

  /** BCE positive-class weight. */
  public LossOptions withPosWeight(double w) {
    LossOptions o = copy();
    o.posWeight = w;
    return o;
  }

  /** Focal γ. */
  public LossOptions withGamma(double g) {
    LossOptions o = copy();
    o.gamma = g;
    return o;
  }

  /** Focal α: one per class, or one (positive class) for a binary head; null = none. */
  public LossOptions withAlpha(float... a) {
    LossOptions o = copy();
    o.alpha = a == null ? null : a.clone();
    return o;
  }

  /** Dice smoothing. */
  public LossOptions withSmooth(double s) {
    LossOptions o = copy();
    o.smooth = s;
    return o;
  }

  /** Dice class averaging. */
  public LossOptions withDiceAveraging(DiceLoss.Averaging a) {
    LossOptions o = copy();
    o.diceAveraging = a;
    return o;
  }

  /** Lovász per image (true) or per batch (false); null = the reference default of each loss. */
  public LossOptions withPerImage(Boolean p) {
    LossOptions o = copy();
    o.perImage = p;
    return o;
  }

  /** Lovász-softmax over present classes only (true, the reference default) or all classes. */
  public LossOptions withOnlyPresent(boolean p) {
    LossOptions o = copy();
    o.onlyPresent = p;
    return o;
  }

  float[] classWeights() {
    return classWeights;
  }

  /** The ignore index. */
  public int ignoreIndex() {
    return ignoreIndex;
  }

  double posWeight() {
    return posWeight;
  }

  double gamma() {
    return gamma;
  }

  float[] alpha() {
    return alpha;
  }

  double smooth() {
    return smooth;
  }

  DiceLoss.Averaging diceAveraging() {
    return diceAveraging;
  }

  boolean perImage(boolean referenceDefault) {
    return perImage == null ? referenceDefault : perImage;
  }

  boolean onlyPresent() {
    return onlyPresent;
  }
}
