/**
 * Learning-rate schedules over epochs as PyTorch's schedulers step them (constant, step,
 * multi-step, cosine, poly, plateau, warm-up). Part of the train layer: plain Java, uses no other
 * seg4j package.
 */
package org.seg4j.train.schedule;
