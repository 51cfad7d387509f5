/**
 * PredictionMaps with a trained model: the {@code LoadedModel} API, tiling, test-time augmentation,
 * input resizing, TorchScript models and saved predictions. Uses the packages below it (engine to
 * run); never train or report.
 */
package org.seg4j.infer;
