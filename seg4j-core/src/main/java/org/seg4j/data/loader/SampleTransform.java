package org.seg4j.data.loader;

import java.util.random.RandomGenerator;
import org.seg4j.data.Sample;

/**
 * A per-sample transform the loader applies on its worker threads; all randomness must come from
 * {@code rng} so that results depend only on the seed, never on thread timing.
 */
@FunctionalInterface
public interface SampleTransform {
  /** Returns the transformed sample (the input may be returned unchanged but is never modified). */
  Sample apply(Sample sample, RandomGenerator rng);
}
