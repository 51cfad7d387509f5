/**
 * The deep-learning engine: picks the device and threads, keeps DJL offline, runs libtorch's op
 * profiler, and watches native and process memory. The lowest layer: uses no other seg4j package.
 */
package org.seg4j.engine;
