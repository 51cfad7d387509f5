/**
 * Benchmarks behind {@code seg4j bench} and {@code seg4j bench-loader}: training and inference
 * throughput of a model, and data-loader throughput, printed as figures and a JSON line. Kept out
 * of the library's production packages; uses seg4j-core only.
 */
package org.seg4j.bench;
