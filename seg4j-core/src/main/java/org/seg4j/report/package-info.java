/**
 * Reports of a run and an evaluation: the eval report (scores, per-image IoU, panels, charts, one
 * HTML file), the training curves from {@code log.csv} and the augmentation preview. The top of the
 * library: uses any package below it (today data, io, metric, run and infer); never the CLI.
 */
package org.seg4j.report;
