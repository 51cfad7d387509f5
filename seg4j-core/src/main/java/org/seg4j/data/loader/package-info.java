/**
 * The training data loader: worker threads that decode and augment samples ahead of the consumer,
 * seeded epoch plans that resume exactly, and batches as tensors. Part of the data layer: uses
 * data, io and engine only.
 */
package org.seg4j.data.loader;
