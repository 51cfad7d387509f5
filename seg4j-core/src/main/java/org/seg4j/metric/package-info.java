/**
 * Scores of predictions against truth: the streaming confusion matrix, per-class and per-image IoU,
 * Dice, precision and recall, and their table. Plain Java arrays: uses no other seg4j package
 * though it may use any below it (engine to loss).
 */
package org.seg4j.metric;
