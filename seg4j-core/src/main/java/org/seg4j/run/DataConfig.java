package org.seg4j.run;

/**
 * The {@code data} section of a run configuration; each component is the key of the same name in
 * snake case, documented (with its default) in {@code defaults.yml}.
 */
public record DataConfig(
    String format,
    String root,
    String images,
    String masks,
    String imagePattern,
    String maskPattern,
    String mask,
    String classesFile,
    int channels,
    int ignoreIndex,
    String train,
    String val,
    String test,
    boolean skipBad,
    boolean convert,
    boolean followLinks,
    int samplesPerEpoch,
    boolean dropLast,
    int workers,
    boolean cache,
    int prefetch) {}
