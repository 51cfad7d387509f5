package org.seg4j.data;

/**
 * Pascal VOC: JPEGImages/{id}.jpg with SegmentationClass/{id}.png; without a list, only the images
 * that have a mask are samples.
 */
final class VocReader extends PairedReader {
  VocReader(DatasetSpec spec) {
    super(spec, "JPEGImages", "SegmentationClass", "{id}.jpg", "{id}.png", true);
  }
}
