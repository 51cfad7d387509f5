package org.seg4j.run;

import java.util.Map;

/**
 * The {@code model} section of a run configuration; each component is the key of the same name in
 * snake case, documented (with its default) in {@code defaults.yml}. {@link
 * TrainConfig#modelConfig()} turns it into the model's own {@code ModelConfig}.
 */
public record ModelSpec(
    String arch,
    int base,
    int classes,
    double threshold,
    Map<String, String> options,
    String encoderWeights,
    String initFrom,
    boolean initPartial) {}
