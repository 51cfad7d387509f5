package org.seg4j.train;

import ai.djl.nn.Parameter;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.MathContext;
import org.seg4j.model.SegModel;
import org.seg4j.model.encoder.VggBackbone;
import org.seg4j.run.TrainConfig;
import org.seg4j.run.TrainingConfig;

/**
 * Freeze-then-release training as bubbliiiing's unet-pytorch does it (seed 004): for the first
 * {@code train.freeze_epochs} epochs the encoder's weights are frozen and the loader uses {@code
 * train.freeze_batch}, the optimiser {@code train.freeze_lr}; then the encoder is released and
 * {@code train.batch} and {@code optimizer.lr} apply.
 *
 * <p>The schedule runs over the whole run, as in bubbliiiing's current train.py, which keeps one
 * optimiser and one learning-rate function over all epochs and, at the release, rebuilds that
 * function on the new base rate: here the rate of a frozen epoch is the schedule's value times
 * {@code freeze_lr / optimizer.lr} (a constant schedule gives freeze_lr itself; cosine and poly
 * keep their place in the whole run). The optimiser carries on across the release (Adam counts the
 * encoder's steps from its first update, as torch does). Everything here is a function of the
 * epoch, so a run resumed on either side of the release repeats an uninterrupted one exactly.
 */
final class FreezePhases {
  private final int frozenEpochs;
  private final int batch;
  private final int frozenBatch;
  private final double lr;
  private final double frozenLr;
  private int announced = -1;

  private FreezePhases(int frozenEpochs, int batch, int frozenBatch, double lr, double frozenLr) {
    this.frozenEpochs = frozenEpochs;
    this.batch = batch;
    this.frozenBatch = frozenBatch;
    this.lr = lr;
    this.frozenLr = frozenLr;
  }

  /**
   * Reads and checks the freeze keys; {@code model} may be uninitialised (only its kind is read).
   */
  private static IllegalArgumentException unfrozen(String key, Object value) {
    return new IllegalArgumentException(
        "config key '"
            + key
            + "' = "
            + value
            + " applies while the encoder is frozen, but train.freeze_epochs is 0: set"
            + " train.freeze_epochs too (e.g. train.freeze_epochs=5), or drop "
            + key);
  }

  static FreezePhases of(TrainConfig cfg, SegModel model) {
    TrainingConfig t = cfg.training();
    int n = t.freezeEpochs();
    if (n < 0) {
      throw new IllegalArgumentException(
          "config key 'train.freeze_epochs' must be >= 0 (0 = never frozen), got " + n);
    }
    boolean hasBatch = t.freezeBatch() != null;
    boolean hasLr = t.freezeLr() != null;
    if (n == 0) {
      if (hasBatch) {
        throw unfrozen("train.freeze_batch", t.freezeBatch());
      }
      if (hasLr) {
        throw unfrozen("train.freeze_lr", t.freezeLr());
      }
    }
    if (n > 0 && !(model instanceof VggBackbone)) {
      throw new IllegalArgumentException(
          "config key 'train.freeze_epochs' = "
              + n
              + " freezes the encoder, but model.arch '"
              + model.config().arch()
              + "' has no separate encoder (fcn32s, fcn16s, fcn8s and vgg16-unet have a VGG16"
              + " one): set train.freeze_epochs: 0 or use one of those");
    }
    int batch = t.batch();
    int frozenBatch = hasBatch ? t.freezeBatch() : batch;
    double lr = cfg.optimizer().lr();
    double frozenLr = lr;
    if (hasLr) {
      frozenLr = t.freezeLr();
      if (!(frozenLr > 0) || Double.isInfinite(frozenLr)) {
        throw new IllegalArgumentException(
            "config key 'train.freeze_lr' must be a positive number, got "
                + frozenLr
                + ": e.g. train.freeze_lr: 1.0e-4 (or null for optimizer.lr)");
      }
      if (!(lr > 0)) {
        throw new IllegalArgumentException(
            "config key 'train.freeze_lr' scales the schedule by freeze_lr / optimizer.lr, but"
                + " optimizer.lr is "
                + lr
                + ": give optimizer.lr > 0");
      }
    }
    return new FreezePhases(n, batch, frozenBatch, lr, frozenLr);
  }

  /** Whether the encoder is frozen in the 0-based {@code epoch}. */
  boolean frozen(int epoch) {
    return epoch < frozenEpochs;
  }

  /** The batch size of the 0-based {@code epoch}. */
  int batch(int epoch) {
    return frozen(epoch) ? frozenBatch : batch;
  }

  /** The factor on the schedule's rate in the 0-based {@code epoch}. */
  double lrScale(int epoch) {
    return frozen(epoch) ? frozenLr / lr : 1.0;
  }

  /**
   * Freezes or releases the encoder for the 0-based {@code epoch} and prints one line at the start
   * of each phase (and for the phase a resumed run starts in).
   */
  void enter(int epoch, int epochs, SegModel model, PrintStream out) {
    if (frozenEpochs == 0) {
      return;
    }
    boolean f = frozen(epoch);
    if (model instanceof VggBackbone) {
      for (Parameter p : ((VggBackbone) model).encoder().stateDict().values()) {
        if (p.getType() == Parameter.Type.WEIGHT || p.getType() == Parameter.Type.BIAS) {
          p.freeze(f);
        }
      }
    }
    int phase = f ? 0 : 1;
    if (announced == phase) {
      return;
    }
    announced = phase;
    if (f) {
      int last = Math.min(frozenEpochs, epochs);
      out.printf(
          "%s: encoder frozen (batch %d, lr %s)%n",
          epochs(epoch + 1, last), frozenBatch, number(frozenLr));
    } else {
      out.printf(
          "%s: encoder released after %d frozen epoch%s (batch %d, lr %s)%n",
          epochs(epoch + 1, epochs), frozenEpochs, frozenEpochs == 1 ? "" : "s", batch, number(lr));
    }
  }

  private static String epochs(int first, int last) {
    return first == last ? "epoch " + first : "epochs " + first + "-" + last;
  }

  private static String number(double v) {
    return new BigDecimal(v, new MathContext(3)).stripTrailingZeros().toPlainString();
  }
}
