/**
 * Optimisers that step exactly as PyTorch's (SGD, Adam, AdamW) and keep their state in named
 * tensors so that a resumed run goes on unchanged. Part of the train layer: uses io only today.
 */
package org.seg4j.train.optim;
