package org.seg4j.data;

import java.nio.file.Path;
import java.util.List;
import org.seg4j.data.loader.SampleSource;

/**
 * A set of (image, mask, id) samples, decoded lazily on {@link #get(int)}. Implementations are
 * thread-safe: the loader calls {@code get} from worker threads.
 */
public interface SegmentationDataset extends SampleSource {
  /** Number of samples. */
  @Override
  int size();

  /** The id of sample i. */
  @Override
  String id(int i);

  /**
   * Decodes sample i.
   *
   * @throws DatasetException naming the file when it cannot be read or its mask does not fit
   */
  @Override
  Sample get(int i);

  /** The image file of sample i, for messages. */
  Path imagePath(int i);

  /** The mask files of sample i (empty when unlabelled), for messages. */
  List<Path> maskPaths(int i);

  /** Number of classes, or 0 when not declared. */
  int numClasses();

  /** The ignore (void) index found in masks, or -1 for none. */
  int ignoreIndex();

  /** The class names (numbered when none were given). */
  ClassNames classNames();
}
