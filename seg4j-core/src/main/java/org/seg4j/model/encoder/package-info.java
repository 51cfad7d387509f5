/**
 * Pretrained encoders: the VGG16 backbone in torchvision's layout and the loading of its ImageNet
 * weights. Part of the model layer: uses model, nn and io only.
 */
package org.seg4j.model.encoder;
