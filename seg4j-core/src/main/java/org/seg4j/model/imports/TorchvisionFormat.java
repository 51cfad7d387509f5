package org.seg4j.model.imports;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.seg4j.io.SafeTensors.Tensor;
import org.seg4j.io.WeightsFileException;
import org.seg4j.model.ModelConfig;
import org.seg4j.model.SegModel;
import org.seg4j.model.encoder.EncoderWeights;

/**
 * {@code --from torchvision}: a torchvision {@code vgg16} or {@code vgg16_bn} classification
 * state_dict as the VGG16 encoder of {@code fcn8s/16s/32s} or {@code vgg16-unet}, loaded by {@link
 * EncoderWeights} (its checks, its names); {@code classifier.*} is ignored and the decoder keeps
 * its fresh initialisation.
 */
final class TorchvisionFormat extends ImportFormat {
  TorchvisionFormat() {
    super(
        "torchvision",
        "a torchvision vgg16 / vgg16_bn state_dict as the encoder; the decoder stays untrained",
        List.of("fcn8s", "fcn16s", "fcn32s", "vgg16-unet"),
        "imagenet");
  }

  @Override
  public String hint(Set<String> keys) {
    return "model.arch=fcn8s (or fcn16s, fcn32s, vgg16-unet)"
        + (keys.contains("features.1.running_mean") ? " -O bn=true" : "");
  }

  @Override
  KeyMap names(ModelConfig config) {
    return KeyMap.IDENTITY;
  }

  @Override
  public List<String> load(SegModel model, Map<String, Tensor> tensors, Path file)
      throws WeightsFileException {
    checkArch(model.config().arch(), tensors.keySet());
    int before = model.stateDict().size();
    EncoderWeights.load(model, tensors, file.toString());
    long encoder = tensors.keySet().stream().filter(k -> k.startsWith("features.")).count();
    return List.of(
        "only the VGG16 encoder comes from the file ("
            + encoder
            + " tensors); the decoder and head ("
            + (before - encoder)
            + " tensors) are freshly initialised, untrained: train the"
            + " run before using it: a training with model.init_from=RUN (this run) starts from it");
  }
}
