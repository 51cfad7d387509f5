/**
 * ONNX out: traces one forward pass of a seg4j model ({@link org.seg4j.nn.ForwardTracer}) and
 * writes it as a standard ONNX graph, with the run's class names and normalisation in the model's
 * metadata. One small class per op family emits the nodes.
 */
package org.seg4j.export;
