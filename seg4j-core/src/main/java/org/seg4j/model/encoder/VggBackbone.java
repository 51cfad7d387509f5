package org.seg4j.model.encoder;

/** A model built on a {@link Vgg16} encoder, which {@code --encoder-weights} can initialise. */
public interface VggBackbone {
  /** The model's VGG16 encoder (its {@code features} are the ones registered in the model). */
  Vgg16 encoder();
}
