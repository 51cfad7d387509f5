package org.seg4j.augment;

import java.util.List;
import java.util.random.RandomGenerator;
import org.seg4j.data.Sample;
import org.seg4j.data.loader.Seeds;

/** A pipeline of paired transforms applied in order with one random stream per sample. */
public record Compose(List<PairedTransform> transforms) implements PairedTransform {
  /** Copies the list. */
  public Compose {
    transforms = List.copyOf(transforms);
  }

  /** Varargs convenience. */
  public static Compose of(PairedTransform... transforms) {
    return new Compose(List.of(transforms));
  }

  @Override
  public Sample apply(Sample sample, RandomGenerator rng) {
    Sample s = sample;
    for (PairedTransform t : transforms) {
      s = t.apply(s, rng);
    }
    return s;
  }

  /** Applies the pipeline with the stream for (seed, epoch, position), see {@link Seeds}. */
  public Sample apply(Sample sample, long seed, long epoch, long position) {
    return apply(sample, Seeds.forSample(seed, epoch, position));
  }
}
