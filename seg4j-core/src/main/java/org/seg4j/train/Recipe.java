package org.seg4j.train;

import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.seg4j.augment.AugmentConfig;
import org.seg4j.augment.Compose;
import org.seg4j.augment.ContextPad;
import org.seg4j.augment.PairedTransform;
import org.seg4j.augment.RandomApply;
import org.seg4j.augment.RandomCrop;
import org.seg4j.data.loader.PixelWeights;
import org.seg4j.io.Words;
import org.seg4j.loss.BorderWeightMap;
import org.seg4j.loss.LossOptions;
import org.seg4j.loss.Losses;
import org.seg4j.loss.SegLoss;
import org.seg4j.model.SegModel;
import org.seg4j.run.LossConfig;
import org.seg4j.run.TrainConfig;
import org.seg4j.train.optim.Optimizer;
import org.seg4j.train.optim.Optimizers;
import org.seg4j.train.schedule.Schedules;
import org.seg4j.train.schedule.Warmup;

/**
 * Builds a run's parts from its {@link TrainConfig}: model config, loss, optimiser and schedule.
 * Each unknown name fails with the valid ones, naming the config key.
 */
final class Recipe {
  private Recipe() {}

  /** Loss terms that need a single sigmoid logit (model.classes: 1). */
  private static final Set<String> BINARY_TERMS = Set.of("bce", "lovasz");

  /** Loss terms that need K >= 2 softmax logits. */
  private static final Set<String> MULTI_TERMS = Set.of("ce", "lovasz-softmax");

  /**
   * The number of classes the masks hold: a single-logit (sigmoid) head trains on binary masks, so
   * its data has 2 classes (background 0, foreground 1); otherwise the model's class count.
   */
  public static int dataClasses(TrainConfig c) {
    int k = c.model().classes();
    return k == 1 ? 2 : k;
  }

  /**
   * Refuses a head and loss that do not fit together, before anything is written: binary losses
   * ({@code bce}, {@code lovasz}, {@code loss.pos_weight}) need {@code model.classes: 1}, softmax
   * losses ({@code ce}, {@code lovasz-softmax}) need 2 or more; {@code model.threshold} must lie in
   * (0, 1).
   */
  public static void checkHead(TrainConfig c) {
    int k = c.model().classes();
    String name = c.loss().name();
    for (String raw : (name == null ? "" : name).split("\\+")) {
      String term = raw.contains("*") ? raw.substring(raw.indexOf('*') + 1) : raw;
      term = term.trim().toLowerCase(Locale.ROOT);
      if (k == 1 && MULTI_TERMS.contains(term)) {
        throw new IllegalArgumentException(
            "config key 'loss.name' = '"
                + name
                + "' holds '"
                + term
                + "', a softmax loss for 2 or more classes, but model.classes is 1 (a single"
                + " sigmoid logit): use bce, bce+dice, dice, focal or lovasz, or set"
                + " model.classes: 2 for a softmax head");
      }
      if (k > 1 && BINARY_TERMS.contains(term)) {
        throw new IllegalArgumentException(
            "config key 'loss.name' = '"
                + name
                + "' holds '"
                + term
                + "', a binary loss on a single sigmoid logit, but model.classes is "
                + k
                + ": set model.classes=1 for a sigmoid head on a binary mask, or"
                + " use ce / ce+dice for a softmax head");
      }
    }
    if (k > 1 && !c.at("loss.pos_weight").isNull()) {
      throw new IllegalArgumentException(
          "config key 'loss.pos_weight' applies to bce on a single sigmoid logit, but"
              + " model.classes is "
              + k
              + ": use loss.class_weights for a softmax head, or set model.classes: 1");
    }
    double t = c.model().threshold();
    if (!(t > 0 && t < 1)) {
      throw new IllegalArgumentException(
          "config key 'model.threshold' = " + t + " must lie strictly between 0 and 1: e.g. 0.5");
    }
  }

  /** The loss from {@code loss.*}; {@code autoWeights} fills {@code class_weights: auto}. */
  public static SegLoss loss(TrainConfig c, double[] autoWeights, double autoPosWeight) {
    LossConfig loss = c.loss();
    LossOptions o =
        LossOptions.defaults()
            .withIgnoreIndex(c.data().ignoreIndex())
            .withGamma(loss.gamma())
            .withSmooth(loss.smooth());
    JsonNode cw = loss.classWeights();
    if (cw.isTextual() && cw.asText().equals("auto")) {
      o = o.withClassWeights(floats(autoWeights));
    } else if (!cw.isNull() && !cw.isMissingNode()) {
      double[] w = c.numbers("loss.class_weights");
      if (w.length != c.model().classes()) {
        throw new IllegalArgumentException(
            "config key 'loss.class_weights' has "
                + w.length
                + " values but model.classes is "
                + c.model().classes()
                + ": give one weight per class, or auto");
      }
      o = o.withClassWeights(floats(w));
    }
    JsonNode pw = loss.posWeight();
    if (pw.isTextual() && pw.asText().equals("auto")) {
      o = o.withPosWeight(autoPosWeight);
    } else if (!pw.isNull() && !pw.isMissingNode()) {
      o = o.withPosWeight(c.number("loss.pos_weight"));
    }
    if (loss.alpha() != null) {
      o = o.withAlpha(floats(loss.alpha()));
    }
    String name = loss.name();
    String spec = name;
    if (name.contains("+") && !name.contains("*")) {
      // "ce+dice" with loss.dice_weight: weight the Dice term
      String[] parts = name.split("\\+");
      List<String> terms = new ArrayList<>();
      for (String p : parts) {
        terms.add(p.trim().equals("dice") ? loss.diceWeight() + "*dice" : p.trim());
      }
      spec = String.join("+", terms);
    }
    try {
      return Losses.create(spec, o);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("config key 'loss.name': " + e.getMessage(), e);
    }
  }

  /**
   * The U-Net paper's border weight map from {@code loss.border_weights}, {@code w0}, {@code sigma}
   * and {@code border_class} (the class whose connected components are the cells), or null when it
   * is off. The loader computes it from every augmented mask.
   */
  public static PixelWeights pixelWeights(TrainConfig c, SegLoss loss) {
    if (!c.loss().borderWeights()) {
      return null;
    }
    if (!loss.supportsWeightMap()) {
      throw new IllegalArgumentException(
          "config key 'loss.border_weights' needs a loss with a per-pixel form, but loss.name is '"
              + c.loss().name()
              + "': use ce, or a sum holding ce such as ce+dice");
    }
    int classes = c.model().classes();
    int cells = c.loss().borderClass();
    if (cells < 0 || cells >= classes) {
      throw new IllegalArgumentException(
          "config key 'loss.border_class' = "
              + cells
              + " is not a class of the model (0.."
              + (classes - 1)
              + "); it names the class whose connected regions are the cells, e.g. 1");
    }
    BorderWeightMap map;
    try {
      map =
          new BorderWeightMap(
              c.loss().w0(), c.loss().sigma(), cells, classes, c.data().ignoreIndex(), null);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "config keys 'loss.w0'/'loss.sigma': " + e.getMessage(), e);
    }
    return map::compute;
  }

  /** The optimiser from {@code optimizer.*}, looked up in {@link Optimizers}. */
  public static Optimizer optimizer(TrainConfig c, Map<String, Parameter> stateDict) {
    String name = c.optimizer().name().toLowerCase(Locale.ROOT);
    Optimizers.Factory f = Optimizers.get(name);
    if (f == null) {
      throw new IllegalArgumentException(
          "config key 'optimizer.name' = '"
              + name
              + "' is not known: use "
              + Words.either(Optimizers.names()));
    }
    return f.create(c, stateDict);
  }

  /**
   * The learning-rate schedule from {@code schedule.*}, looked up in {@link Schedules}, with
   * warm-up when configured.
   */
  public static Warmup schedule(TrainConfig c) {
    double base = c.optimizer().lr();
    int epochs = c.training().epochs();
    String name = c.schedule().name().toLowerCase(Locale.ROOT);
    Schedules.Entry e = Schedules.get(name);
    if (e == null) {
      throw new IllegalArgumentException(
          "config key 'schedule.name' = '"
              + name
              + "' is not known: use "
              + Words.either(Schedules.names()));
    }
    return Schedules.warmup(c, e.factory().create(c, base, epochs));
  }

  /**
   * The training transform for {@code model}: the augmentations and the normalisation, and for a
   * valid-convolution model ({@code unet-valid}) the paper's overlap-tile context first, with each
   * {@code random_crop} naming the output window ({@link ContextPad#around}).
   */
  public static PairedTransform trainPipeline(AugmentConfig aug, SegModel model) {
    int in = model.nearestSide(256);
    int margin = (in - model.outputSide(in)) / 2;
    if (margin == 0) {
      return aug.pipeline();
    }
    List<RandomCrop> crops = new ArrayList<>();
    collectCrops(aug.augment(), crops);
    String arch = model.config().arch();
    if (crops.isEmpty()) {
      throw new IllegalArgumentException(
          "config key 'augment': "
              + arch
              + " trains on tiles: add {type: random_crop, size: S}, where S is the output"
              + " window (e.g. "
              + model.outputSide(model.nearestSide(572))
              + " for an input of "
              + model.nearestSide(572)
              + "); seg4j adds "
              + margin
              + " pixels of mirrored context on each side");
    }
    for (RandomCrop c : crops) {
      for (int side : new int[] {c.height(), c.width()}) {
        if (!model.acceptsSide(side + 2 * margin)) {
          int near = model.nearestSide(side + 2 * margin);
          throw new IllegalArgumentException(
              "config key 'augment' random_crop size "
                  + side
                  + ": "
                  + arch
                  + " sees the crop plus "
                  + margin
                  + " pixels of context on each side ("
                  + (side + 2 * margin)
                  + "), which is not a valid input side; use size "
                  + model.outputSide(near)
                  + " (input "
                  + near
                  + ")");
        }
      }
    }
    List<PairedTransform> steps = new ArrayList<>();
    steps.add(ContextPad.around(aug.augment(), margin, aug.ignoreIndex()));
    if (aug.normalize() != null) {
      steps.add(aug.normalize());
    }
    return new Compose(steps);
  }

  private static void collectCrops(PairedTransform t, List<RandomCrop> out) {
    if (t instanceof RandomCrop c) {
      out.add(c);
    } else if (t instanceof RandomApply a) {
      collectCrops(a.transform(), out);
    } else if (t instanceof Compose c) {
      c.transforms().forEach(x -> collectCrops(x, out));
    }
  }

  private static float[] floats(double[] d) {
    float[] f = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      f[i] = (float) d[i];
    }
    return f;
  }
}
