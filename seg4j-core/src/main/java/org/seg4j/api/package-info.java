/**
 * The public API for embedding applications, in one package: load a trained run or a TorchScript
 * model with {@link org.seg4j.api.Segmenter#builder}, predict images to a {@link
 * org.seg4j.api.Prediction} under {@link org.seg4j.api.PredictOptions}, train from Java with {@link
 * org.seg4j.api.Training}, and list what is registered with {@link org.seg4j.api.Registries}.
 *
 * <p>The top of the library: it may use every other package of {@code seg4j-core}; only the
 * command-line and server modules sit above it. Everything outside this package may change between
 * releases.
 */
package org.seg4j.api;
