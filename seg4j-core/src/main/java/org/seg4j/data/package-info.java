/**
 * Datasets on disk: formats and folder layouts, mask codecs, class names, ids and splits, decoding
 * a sample, the dataset check and the built-in synthetic set. Uses io (and engine) only, plus its
 * own subpackage {@code data.loader}.
 */
package org.seg4j.data;
