package org.seg4j.run;

/**
 * The {@code optimizer} section of a run configuration; each component is the key of the same name
 * in snake case, documented (with its default) in {@code defaults.yml}.
 */
public record OptimizerConfig(
    String name,
    double lr,
    double weightDecay,
    double[] betas,
    double eps,
    double momentum,
    boolean nesterov) {}
