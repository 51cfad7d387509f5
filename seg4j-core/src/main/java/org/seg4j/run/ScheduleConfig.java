package org.seg4j.run;

/**
 * The {@code schedule} section of a run configuration; each component is the key of the same name
 * in snake case, documented (with its default) in {@code defaults.yml}.
 */
public record ScheduleConfig(
    String name,
    int stepSize,
    double gamma,
    int[] milestones,
    double minLr,
    double power,
    int patience,
    double factor,
    double threshold,
    int cooldown,
    int warmupEpochs,
    double warmupStart) {}
