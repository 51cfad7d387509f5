package org.seg4j.data;

/** Image and mask folders paired by a name pattern: images/{id}.* with masks/{id}.*. */
final class FolderReader extends PairedReader {
  FolderReader(DatasetSpec spec) {
    super(spec, "images", "masks", "{id}.*", "{id}.*", false);
  }
}
