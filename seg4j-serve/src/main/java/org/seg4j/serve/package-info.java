/**
 * {@code seg4j serve}: an HTTP service over the public {@link org.seg4j.api.Segmenter} API. Jetty
 * 12's core server answers the segment, model, health and metrics endpoints and the web page;
 * concurrent requests for a model are batched by its worker behind a bounded queue.
 */
package org.seg4j.serve;
