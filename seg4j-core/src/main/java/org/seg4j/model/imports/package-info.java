/**
 * {@code seg4j import}'s name maps: one small class per source repository ({@link ImportFormats})
 * renames a PyTorch state_dict's keys to a seg4j architecture's and checks every key and shape
 * ({@link KeyCheck}). Pure key and shape mapping; part of the model layer: uses model,
 * model.encoder, nn and io only.
 */
package org.seg4j.model.imports;
