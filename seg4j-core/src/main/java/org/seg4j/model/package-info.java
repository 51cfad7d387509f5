/**
 * The segmentation architectures (U-Net family, FCN, VGG U-Net), their registry and config, and the
 * seg4j checkpoint format. Uses the packages below it (engine, io, data, augment, nn) and its
 * subpackage {@code model.encoder}; today io and nn.
 */
package org.seg4j.model;
