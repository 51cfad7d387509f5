/**
 * Paired image-and-mask transforms (geometric, photometric, resize and normalisation), the YAML
 * augmentation config that builds them, and the offline augmentation of a dataset. Uses data (with
 * data.loader), io and engine only.
 */
package org.seg4j.augment;
