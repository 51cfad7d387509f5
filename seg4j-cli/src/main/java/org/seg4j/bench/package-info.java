/**
 * Benchmarks behind {@code seg4j bench}, {@code seg4j bench-loader} and {@code seg4j bench-serve}:
 * training and inference throughput of a model, data-loader throughput, and the throughput, latency
 * and memory of a running server under concurrent clients (over HTTP, with the JDK's client),
 * printed as figures and a JSON line. Kept out of the library's production packages; uses
 * seg4j-core only.
 */
package org.seg4j.bench;
