package org.seg4j.data;

import java.nio.file.Path;
import java.util.List;

/**
 * One sample's files: its id, image and mask files (empty for an unlabelled image).
 *
 * @param id the sample id
 * @param image the image file
 * @param masks the mask files, one for most formats, one per class or instance otherwise
 */
public record Entry(String id, Path image, List<Path> masks) {
  /** Copies the mask list. */
  public Entry {
    masks = List.copyOf(masks);
  }
}
