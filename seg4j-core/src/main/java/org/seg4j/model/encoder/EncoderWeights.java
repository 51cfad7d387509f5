package org.seg4j.model.encoder;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.seg4j.io.SafeTensors.Tensor;
import org.seg4j.io.WeightsFileException;
import org.seg4j.io.WeightsFiles;
import org.seg4j.model.SegModel;
import org.seg4j.nn.StateDicts;

/**
 * {@code --encoder-weights FILE}: initialises a model's VGG16 encoder from a torchvision {@code
 * vgg16} or {@code vgg16_bn} state_dict saved as safetensors or by torch.save ({@link
 * WeightsFiles}; {@code features.N.weight}, {@code features.N.bias}, batch-norm statistics; {@code
 * classifier.*} is ignored). Every features key and shape is checked before anything changes; the
 * rest of the model is untouched.
 */
public final class EncoderWeights {
  private static final String FEATURES = "features.";
  private static final String CLASSIFIER = "classifier.";

  private EncoderWeights() {}

  /** Reads the file and loads its features into the model's encoder. */
  public static void load(SegModel model, Path file) throws IOException {
    Vgg16 vgg = encoderOf(model);
    load(vgg, WeightsFiles.read(file).tensors(), "model.encoder_weights=" + file, model);
  }

  /** Loads torchvision-layout tensors into the model's encoder; {@code source} names them. */
  public static void load(SegModel model, Map<String, Tensor> tensors, String source)
      throws WeightsFileException {
    load(encoderOf(model), tensors, source, model);
  }

  private static Vgg16 encoderOf(SegModel model) {
    if (!(model instanceof VggBackbone)) {
      throw new IllegalArgumentException(
          "model.encoder_weights initialises a VGG16 encoder, but "
              + model.config().arch()
              + " has none: use it with fcn32s, fcn16s, fcn8s or vgg16-unet, or drop"
              + " model.encoder_weights");
    }
    Vgg16 vgg = ((VggBackbone) model).encoder();
    if (!vgg.features().get(0).isInitialized()) {
      throw new IllegalStateException(
          "initialise the model (init) before loading encoder weights into it");
    }
    return vgg;
  }

  private static void load(Vgg16 vgg, Map<String, Tensor> tensors, String source, SegModel model)
      throws WeightsFileException {
    if (tensors.keySet().stream().noneMatch(k -> k.startsWith(FEATURES))) {
      throw new WeightsFileException(
          source
              + " has no features.N keys (it starts with "
              + String.join(", ", tensors.keySet().stream().limit(3).toList())
              + "): save torchvision's vgg16().state_dict() or vgg16_bn().state_dict()");
    }
    boolean fileBn = tensors.containsKey("features.1.running_mean");
    if (fileBn != vgg.batchNorm()) {
      throw new WeightsFileException(
          source
              + " is a "
              + (fileBn ? "vgg16_bn" : "vgg16")
              + " state_dict but "
              + model.config().arch()
              + " was built "
              + (vgg.batchNorm() ? "with" : "without")
              + " batch norm: set the model option bn="
              + fileBn);
    }
    if (tensors.containsKey("features.0.bias") && !vgg.bias()) {
      throw new WeightsFileException(
          source
              + " has conv biases (features.0.bias) but "
              + model.config().arch()
              + " was built with bias=false: drop that model option to load them");
    }
    try {
      StateDicts.load(vgg, tensors, source, k -> k.startsWith(CLASSIFIER) ? null : k, true);
    } catch (WeightsFileException e) {
      String msg = e.getMessage();
      int hint = msg.indexOf("\nCheck that");
      throw new WeightsFileException(
          (hint < 0 ? msg : msg.substring(0, hint))
              + "\nAn ImageNet VGG16 needs in_channels=3 and model.base=64 (this model has "
              + model.config().inChannels()
              + " and "
              + model.config().base()
              + "); the file must be a torchvision vgg16/vgg16_bn state_dict.");
    }
  }
}
