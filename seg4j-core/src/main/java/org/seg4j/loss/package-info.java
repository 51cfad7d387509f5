/**
 * Segmentation losses equal to their PyTorch twins (cross-entropy, BCE, Dice, focal, Lovász, their
 * weighted sums and deep supervision) and the U-Net border weight map. Uses the packages below it
 * (engine to model); today nn only.
 */
package org.seg4j.loss;
