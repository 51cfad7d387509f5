/**
 * Files in and out: images, videos, safetensors and .pth weights, atomic writes, output folders,
 * palettes and progress bars, with one-line errors that name the file. Uses no other seg4j package
 * (it sits just above engine, which it does not need).
 */
package org.seg4j.io;
