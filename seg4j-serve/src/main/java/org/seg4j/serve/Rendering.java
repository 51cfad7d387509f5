package org.seg4j.serve;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.seg4j.api.Prediction;
import org.seg4j.data.ImageFiles;
import org.seg4j.infer.Outputs;
import org.seg4j.infer.PredictionMaps;
import org.seg4j.io.ImageIo;
import org.seg4j.io.Provenance;
import org.seg4j.io.RawImage;

/**
 * Turns a prediction into the answer a segment request asked for, with {@code seg4j predict}'s own
 * makers ({@link Outputs}) and PNG writer, so the pixels are predict's: the class-index mask, the
 * viewable mask, the overlay, the probability maps (a zip of one PNG per class, or one class), or
 * the JSON summary with per-class COCO RLE.
 */
final class Rendering {
  private Rendering() {}

  /** A response body and its media type. */
  record Body(byte[] bytes, String contentType) {}

  /**
   * Renders {@code result} of {@code image} for model {@code model} as {@code query} asks.
   *
   * @param classNames the model's class names, index = class
   * @param startNanos when the request arrived ({@link System#nanoTime}), for the total time
   */
  static Body render(
      SegmentQuery query,
      String model,
      List<String> classNames,
      BufferedImage image,
      int inChannels,
      Job.Result result,
      long startNanos) {
    Prediction p = result.prediction();
    PredictionMaps maps =
        new PredictionMaps(p.classes(), p.height(), p.width(), p.probabilities(), p.mask());
    return switch (query.output()) {
      case MASK -> png(Outputs.indexMask(maps));
      case VIEW -> png(Outputs.viewableMask(maps));
      case OVERLAY ->
          png(
              Outputs.overlay(
                  ImageFiles.ofBoth(image, "upload", inChannels).display(),
                  p.mask(),
                  p.classes(),
                  query.alpha()));
      case PROB ->
          query.classRef() != null
              ? png(
                  Outputs.probability(maps, SegmentQuery.classIndex(query.classRef(), classNames)))
              : zip(maps, classNames);
      case JSON ->
          new Body(Json.bytes(json(model, classNames, p, result, startNanos)), "application/json");
    };
  }

  /** An image as PNG bytes, as predict writes it. */
  static byte[] pngBytes(RawImage image) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIo.writePng(image, out, Provenance.PREDICTION);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static Body png(RawImage image) {
    return new Body(pngBytes(image), "image/png");
  }

  private static Body zip(PredictionMaps maps, List<String> names) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      for (int k = 0; k < maps.classes(); k++) {
        zip.putNextEntry(new ZipEntry("prob_" + Outputs.fileSafe(names.get(k)) + ".png"));
        zip.write(pngBytes(Outputs.probability(maps, k)));
        zip.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Body(out.toByteArray(), "application/zip");
  }

  private static ObjectNode json(
      String model, List<String> names, Prediction p, Job.Result result, long startNanos) {
    ObjectNode n = Json.object();
    n.put("model", model);
    n.put("width", p.width());
    n.put("height", p.height());
    ArrayNode classes = n.putArray("classes");
    names.forEach(classes::add);
    long[] counts = Outputs.pixelCounts(p.mask(), p.classes());
    int pixels = p.width() * p.height();
    ArrayNode c = n.putArray("counts");
    ArrayNode f = n.putArray("fractions");
    for (long count : counts) {
      c.add(count);
      f.add(pixels == 0 ? 0.0 : count / (double) pixels);
    }
    n.put("mean_confidence", meanConfidence(p));
    ObjectNode timing = n.putObject("timing_ms");
    timing.put("queue", round(result.queueMs()));
    timing.put("predict", round(result.predictMs()));
    timing.put("total", round((System.nanoTime() - startNanos) / 1e6));
    n.put("batch_size", result.batchSize());
    ArrayNode rle = n.putArray("rle");
    for (int k = 0; k < p.classes(); k++) {
      ObjectNode r = rle.addObject();
      r.put("class", k);
      r.put("name", names.get(k));
      r.putArray("size").add(p.height()).add(p.width());
      ArrayNode runs = r.putArray("counts");
      Rle.encode(p.mask(), p.height(), p.width(), k).forEach(runs::add);
    }
    return n;
  }

  /** The mean over pixels of the probability of the class each pixel was given. */
  static double meanConfidence(Prediction p) {
    int n = p.width() * p.height();
    if (n == 0) {
      return 0;
    }
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += p.probabilities()[p.mask()[i] * n + i];
    }
    return sum / n;
  }

  private static double round(double ms) {
    return Math.round(ms * 100) / 100.0;
  }
}
