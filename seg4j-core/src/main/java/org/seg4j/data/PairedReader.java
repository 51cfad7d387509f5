package org.seg4j.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The single-mask formats: an image folder and a mask folder whose files are paired by name
 * patterns. Masks named by no image are noted as orphans; images without a mask are refused when
 * the other images have one.
 */
abstract class PairedReader extends DatasetReader {
  private final String imageFolder;
  private final String maskFolder;
  private final String imagePattern;
  private final String maskPattern;
  private final boolean idsFromMasks;

  /**
   * @param imageFolder the image folder when none is given
   * @param maskFolder the mask folder when none is given
   * @param imagePattern the image name pattern when none is given
   * @param maskPattern the mask name pattern when none is given
   * @param idsFromMasks without a list, take the ids of the masks (when there are masks) instead of
   *     the images'
   */
  PairedReader(
      DatasetSpec spec,
      String imageFolder,
      String maskFolder,
      String imagePattern,
      String maskPattern,
      boolean idsFromMasks) {
    super(spec);
    this.imageFolder = imageFolder;
    this.maskFolder = maskFolder;
    this.imagePattern = imagePattern;
    this.maskPattern = maskPattern;
    this.idsFromMasks = idsFromMasks;
  }

  @Override
  final List<Entry> entries() {
    Path imageDir = dir(spec.imageDir(), imageFolder);
    Path maskDir = dir(spec.maskDir(), maskFolder);
    IdPattern imgPat = pattern(spec.imagePattern(), imagePattern);
    IdPattern maskPat = pattern(spec.maskPattern(), maskPattern);
    requireDir(imageDir, spec.imageDir() == null ? "images" : null);
    boolean haveMasks = Files.isDirectory(maskDir);
    if (!haveMasks && spec.maskDir() != null) {
      throw config(maskDir, "is not a folder", "check the mask folder option");
    }
    List<String> listed = listIds();
    List<String> ids;
    if (listed != null) {
      ids = listed;
    } else if (idsFromMasks && haveMasks) {
      ids = scan(maskDir, maskPat);
    } else {
      ids = scan(imageDir, imgPat);
    }
    List<Entry> entries = new ArrayList<>();
    List<Path> missing = new ArrayList<>();
    for (String id : ids) {
      Path image = imgPat.resolve(imageDir, id);
      if (!Files.isRegularFile(image)) {
        absent(id, image, listed != null);
        continue;
      }
      Path mask = haveMasks ? maskPat.resolve(maskDir, id) : null;
      if (mask != null && !Files.isRegularFile(mask)) {
        missing.add(mask);
        mask = null;
      }
      entries.add(new Entry(id, image, mask == null ? List.of() : List.of(mask)));
    }
    if (haveMasks && missing.size() == entries.size() && !entries.isEmpty()) {
      notes.add(
          maskDir.getFileName()
              + "/ holds no masks named "
              + maskPat
              + " (files there: "
              + sample(maskDir)
              + ")");
      return empty(entries, imageDir, imgPat);
    }
    entries = dropMissingMasks(entries, missing);
    if (haveMasks && listed == null) {
      Set<String> known = new HashSet<>(ids);
      for (String id : scan(maskDir, maskPat)) {
        if (!known.contains(id)) {
          orphans.add(maskPat.resolve(maskDir, id));
        }
      }
    }
    return empty(entries, imageDir, imgPat);
  }

  private List<Entry> dropMissingMasks(List<Entry> entries, List<Path> missing) {
    if (missing.isEmpty()) {
      return entries;
    }
    Set<Path> gone = new HashSet<>(missing);
    List<Entry> kept = new ArrayList<>();
    int m = 0;
    for (Entry e : entries) {
      if (e.masks().isEmpty() && m < missing.size() && gone.contains(missing.get(m))) {
        missingMask(missing.get(m++), e.image());
      } else {
        kept.add(e);
      }
    }
    return kept;
  }
}
