package org.seg4j.run;

/**
 * The {@code train} section of a run configuration; each component is the key of the same name in
 * snake case, documented (with its default) in {@code defaults.yml}.
 */
public record TrainingConfig(
    int epochs,
    int batch,
    int valEvery,
    int saveEvery,
    double clipGrad,
    int freezeEpochs,
    Integer freezeBatch,
    Double freezeLr,
    int earlyStop,
    double maxMinutes,
    boolean progress,
    boolean profile) {}
