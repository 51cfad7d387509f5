package org.seg4j.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.seg4j.data.DatasetCheck;
import org.seg4j.data.DatasetFactory;
import org.seg4j.data.DatasetFormat;
import org.seg4j.data.DatasetSpec;
import org.seg4j.data.FileDataset;

/**
 * Opens a run's datasets from the {@code data} section of a {@link TrainConfig}: the format and
 * folders, the mask codec, and per split the ids to use ({@code null} for all, a range {@code
 * "0..24"} of numeric ids, an ids file, or a VOC split name). Every split is checked before use, so
 * a bad mask fails here, with its file named, and never mid-epoch.
 */
public final class DataSetup {
  private static final Pattern RANGE = Pattern.compile("(\\d+)\\s*\\.\\.\\s*(\\d+)");

  private DataSetup() {}

  /** The dataset spec of the whole data section (no split applied). */
  public static DatasetSpec spec(TrainConfig c) {
    String root = c.str("data.root");
    if (root == null) {
      throw new IllegalArgumentException(
          "config key 'data.root' is not set: give the dataset folder (--data DIR)");
    }
    Path r = Path.of(root);
    DatasetFormat format = DatasetFormat.parse(c.str("data.format"));
    DatasetSpec.Builder b =
        DatasetSpec.builder(format, r)
            .mask(c.str("data.mask"))
            .channels(c.integer("data.channels"))
            .convert(true)
            .classes(Recipe.dataClasses(c))
            .ignoreIndex(c.integer("data.ignore_index"))
            .skipBad(c.bool("data.skip_bad"));
    if (format != DatasetFormat.VOC) {
      b.imageDir(Path.of(c.str("data.images")))
          .maskDir(Path.of(c.str("data.masks")))
          .imagePattern(c.str("data.image_pattern"))
          .maskPattern(c.str("data.mask_pattern"));
    }
    if (c.str("data.classes_file") != null) {
      b.classesFile(Path.of(c.str("data.classes_file")));
    }
    return b.build();
  }

  /**
   * Opens and checks one split ({@code data.train}, {@code data.val} or {@code data.test}); null
   * when the split is not configured and {@code required} is false.
   */
  public static FileDataset open(TrainConfig c, String split, boolean required) {
    String sel = c.str("data." + split);
    if (sel == null && !required) {
      return null;
    }
    DatasetSpec spec = spec(c);
    FileDataset ds;
    Matcher m = sel == null ? null : RANGE.matcher(sel.trim());
    if (sel == null) {
      ds = DatasetFactory.open(spec);
    } else if (m.matches()) {
      ds =
          range(
              DatasetFactory.open(spec),
              Integer.parseInt(m.group(1)),
              Integer.parseInt(m.group(2)),
              split,
              sel);
    } else if (Files.isRegularFile(Path.of(sel))) {
      ds = DatasetFactory.open(spec.toBuilder().listFile(Path.of(sel)).build());
    } else if (spec.format() == DatasetFormat.VOC) {
      ds = DatasetFactory.open(spec.toBuilder().split(sel).build());
    } else {
      throw new IllegalArgumentException(
          "config key 'data."
              + split
              + "' = '"
              + sel
              + "' is neither a range like 0..24 nor an ids file that exists: give one of"
              + " those, or null for all images");
    }
    return DatasetCheck.verified(ds);
  }

  private static FileDataset range(FileDataset all, int lo, int hi, String split, String sel) {
    List<Integer> picked = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      String id = all.id(i);
      if (id.matches("\\d+")) {
        int v = Integer.parseInt(id);
        if (v >= lo && v <= hi) {
          ids.add(id);
        }
      }
    }
    ids.sort((a, b) -> Integer.compare(Integer.parseInt(a), Integer.parseInt(b)));
    for (String id : ids) {
      for (int i = 0; i < all.size(); i++) {
        if (all.id(i).equals(id)) {
          picked.add(i);
        }
      }
    }
    if (picked.isEmpty()) {
      throw new IllegalArgumentException(
          "config key 'data."
              + split
              + "' = '"
              + sel
              + "' selects no image: the ids in "
              + all.root()
              + " are not numbers in that range");
    }
    return all.subset(picked);
  }
}
