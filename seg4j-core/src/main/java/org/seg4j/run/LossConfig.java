package org.seg4j.run;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The {@code loss} section of a run configuration; each component is the key of the same name in
 * snake case, documented (with its default) in {@code defaults.yml}. {@code classWeights} is a list
 * of numbers, {@code "auto"} or null.
 */
public record LossConfig(
    String name,
    JsonNode classWeights,
    JsonNode posWeight,
    double gamma,
    double[] alpha,
    double smooth,
    double diceWeight,
    boolean borderWeights,
    double w0,
    double sigma,
    int borderClass,
    double[] deepSupervisionWeights) {}
