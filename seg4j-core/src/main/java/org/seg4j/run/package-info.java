/**
 * A training run on disk: its folder, lock and {@code log.csv}, and its configuration ({@code
 * TrainConfig} with its built-in defaults and allowed ranges). Uses the packages below it (engine
 * to metric); today io, augment and model.
 */
package org.seg4j.run;
