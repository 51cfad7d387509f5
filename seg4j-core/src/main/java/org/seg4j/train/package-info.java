/**
 * Training: the loop, validation, the recipe that builds a run's parts from its config, warm
 * starts, freeze phases, resuming and the state saved for it. Uses every package below it (engine
 * to infer) and its subpackages {@code train.optim} and {@code train.schedule}; never report.
 */
package org.seg4j.train;
