/**
 * PyTorch-compatible building blocks on DJL: convolutions, batch norm, pooling, up-sampling and the
 * containers, with PyTorch parameter names so that state_dicts load one to one. Uses engine, io,
 * data and augment only (today io alone).
 */
package org.seg4j.nn;
