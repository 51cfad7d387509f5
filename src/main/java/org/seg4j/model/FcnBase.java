package org.seg4j.model;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.Set;
import org.seg4j.model.encoder.Vgg16;
import org.seg4j.model.encoder.VggBackbone;
import org.seg4j.nn.Activation;
import org.seg4j.nn.Conv2d;
import org.seg4j.nn.ConvTranspose2d;
import org.seg4j.nn.Dropout2d;
import org.seg4j.nn.Init;

/**
 * The part FCN-32s, -16s and -8s share: a VGG16 backbone registered as {@code features}
 * (torchvision indices, so ImageNet weights load directly), the convolutionised classifier {@code
 * fc6} (7×7, padding 3) and {@code fc7} (1×1) with ReLU and Dropout2d(0.5), and {@code score_fr}.
 *
 * <p>This is the clean "same size" FCN, not caffe's pad-100-and-crop form: every conv pads so the
 * maps keep their side, and each up-sampling is a transposed conv of kernel 2f, stride f, padding
 * f/2 (no bias, started at the bilinear kernel as FCN does), which scales a side by exactly f. The
 * logits therefore have the input's size for any side that is a multiple of 32. Options: {@code bn}
 * (vgg16_bn backbone, default false) and {@code fc_width} (default 64·base, i.e. 4096).
 */
public abstract class FcnBase extends SegModel implements VggBackbone {
  /** The options every FCN understands. */
  public static final Set<String> OPTIONS = Set.of("bn", "fc_width");

  private final Vgg16 vgg;
  private final Conv2d fc6;
  private final Activation relu6;
  private final Dropout2d drop6;
  private final Conv2d fc7;
  private final Activation relu7;
  private final Dropout2d drop7;
  private final Conv2d scoreFr;

  /** Builds the backbone and the stride-32 scores from the config's width and options. */
  protected FcnBase(ModelConfig config) {
    super(config);
    config.checkOptions(OPTIONS);
    int base = config.base();
    int fcWidth = config.intOption("fc_width", 64 * base);
    if (fcWidth < 1) {
      throw new IllegalArgumentException(
          "model option fc_width=" + fcWidth + " must be at least 1: e.g. fc_width=4096");
    }
    vgg = new Vgg16(config.inChannels(), base, config.boolOption("bn", false));
    child("features", vgg.features());
    fc6 = child("fc6", new Conv2d(vgg.channels(4), fcWidth, 7, 3));
    relu6 = child("relu6", Activation.relu());
    drop6 = child("drop6", new Dropout2d(0.5f));
    fc7 = child("fc7", new Conv2d(fcWidth, fcWidth, 1, 0));
    relu7 = child("relu7", Activation.relu());
    drop7 = child("drop7", new Dropout2d(0.5f));
    scoreFr = child("score_fr", new Conv2d(fcWidth, config.classes(), 1, 0));
  }

  @Override
  public Vgg16 encoder() {
    return vgg;
  }

  /** Five poolings: sides must be multiples of 32. */
  @Override
  public int sideMultiple() {
    return 32;
  }

  @Override
  public final NDArray forward(NDArray x, boolean training) {
    List<NDArray> pools = vgg.pooled(x, training);
    NDArray h =
        drop6.forward(relu6.forward(fc6.forward(pools.get(4), training), training), training);
    h = drop7.forward(relu7.forward(fc7.forward(h, training), training), training);
    return decode(scoreFr.forward(h, training), pools.get(3), pools.get(2), training);
  }

  /**
   * Up-samples the stride-32 scores to the input's size, fusing the pool4 (stride 16) and pool3
   * (stride 8) maps as the variant does.
   */
  protected abstract NDArray decode(
      NDArray scoreFr, NDArray pool4, NDArray pool3, boolean training);

  /** A 1×1 score layer on a backbone block's output ({@code score_pool4}, {@code score_pool3}). */
  protected Conv2d scoreLayer(int block) {
    return new Conv2d(vgg.channels(block), config().classes(), 1, 0);
  }

  /**
   * {@code ConvTranspose2d(classes, classes, 2f, stride=f, padding=f/2, bias=False)} started at the
   * bilinear kernel: scales a side by exactly {@code factor}.
   */
  protected ConvTranspose2d upscore(int factor) {
    int c = config().classes();
    ConvTranspose2d d = new ConvTranspose2d(c, c, 2 * factor, factor, factor / 2, 0, false);
    d.setInitializer(Init.bilinear(), "weight");
    return d;
  }
}
