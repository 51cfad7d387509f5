package org.seg4j.augment;

import java.util.random.RandomGenerator;
import org.seg4j.data.Sample;
import org.seg4j.data.loader.SampleTransform;

/**
 * A transform applied to image and mask together, so that they never drift apart. Implementations
 * are immutable and thread-safe; all randomness comes from {@code rng}.
 */
public interface PairedTransform extends SampleTransform {
  @Override
  Sample apply(Sample sample, RandomGenerator rng);
}
