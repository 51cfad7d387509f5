package org.seg4j.augment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.IntUnaryOperator;
import java.util.random.RandomGenerator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.seg4j.data.DatasetFormat;
import org.seg4j.data.Entry;
import org.seg4j.data.FileDataset;
import org.seg4j.data.IdPattern;
import org.seg4j.data.Ids;
import org.seg4j.data.Sample;
import org.seg4j.data.Splits;
import org.seg4j.data.loader.Seeds;
import org.seg4j.io.AtomicFiles;
import org.seg4j.io.ImageIo;
import org.seg4j.io.Provenance;
import org.seg4j.io.RawImage;

/**
 * Writes augmented copies of training samples beside the originals, in the dataset's own layout and
 * names, and appends their ids to the training list (what {@code seg4j augment --into} runs), like
 * the cropland seed's offline flips that then train on originals and copies together.
 *
 * <p>Copy k of sample {@code id} is {@code id_aug<k>}, drawn from the random stream (seed, k, hash
 * of id), so it does not depend on the order of the list. Files are written atomically; the train
 * list is rewritten atomically once, with the new ids appended (also after a failure, for the
 * copies already written). Masks are written in the encoding the dataset's codec reads back: class
 * indices (or palette indices, as PNG with the source mask's palette), or 0/255 for {@code
 * binary255} and {@code threshold:N}.
 */
public final class MergeAugment {
  /** The suffix before the copy number. */
  public static final String SUFFIX = "_aug";

  private static final Pattern COPY = Pattern.compile("(.+)" + SUFFIX + "(\\d+)");

  private MergeAugment() {}

  /**
   * What was done.
   *
   * @param written ids whose files were written (and are now in the train list)
   * @param appended the ids appended to the train list, in order (written ones that were not there)
   * @param skipped ids already present (files and list entry), left as they were
   * @param copiesNotAugmented source ids that are themselves copies ({@code X_aug<k>} of a listed
   *     X), not augmented again
   * @param trainList the list the ids were appended to
   * @param notes remarks for the user, e.g. that images were written as JPEG
   */
  public record Result(
      List<String> written,
      List<String> appended,
      List<String> skipped,
      List<String> copiesNotAugmented,
      Path trainList,
      List<String> notes) {}

  /** The id of copy k of an id. */
  public static String copyId(String id, int k) {
    return id + SUFFIX + k;
  }

  /** The random stream of copy k of an id: independent of the id's position in any list. */
  public static RandomGenerator stream(long seed, int k, String id) {
    return Seeds.forSample(seed, k, id.hashCode());
  }

  /**
   * Augments every sample of {@code sources} (opened from the dataset to extend, with the ids to
   * augment) {@code copies} times and adds the copies to the dataset.
   *
   * @param trainList the list of training ids the new ids are appended to; it must exist
   * @param overwrite rewrite copies that already exist instead of skipping them
   * @throws IllegalArgumentException naming the file or id and the fix, before anything is written
   *     when the layout cannot take copies
   */
  public static Result run(
      FileDataset sources,
      PairedTransform transform,
      int copies,
      long seed,
      Path trainList,
      boolean overwrite) {
    if (copies < 1) {
      throw new IllegalArgumentException("copies=" + copies + " must be >= 1");
    }
    DatasetFormat format = sources.spec().format();
    if (format == DatasetFormat.PER_INSTANCE) {
      throw new IllegalArgumentException(
          "data.format=per-instance: augmenting into the dataset (into=true) cannot rebuild one"
              + " mask per object; write copies to another folder with out=DIR instead");
    }
    String codec = sources.codec().name();
    if (codec.equals("rgb")) {
      throw new IllegalArgumentException(
          "data.mask=rgb: augmenting into the dataset (into=true) writes index, palette or 0/255"
              + " masks only; use out=DIR"
              + " or a dataset with index/palette masks");
    }
    List<String> notes = new ArrayList<>();
    IdPattern imagePattern =
        new IdPattern(
            orDefault(
                sources.spec().imagePattern(),
                format == DatasetFormat.VOC ? "{id}.jpg" : "{id}.*"));
    IdPattern maskPattern =
        new IdPattern(
            orDefault(
                sources.spec().maskPattern(), format == DatasetFormat.VOC ? "{id}.png" : "{id}.*"));
    String imageExt = extension(imagePattern);
    String maskExt = extension(maskPattern);
    if (maskExt.equals("jpg") || maskExt.equals("jpeg")) {
      throw new IllegalArgumentException(
          "data.mask_pattern="
              + maskPattern
              + ": masks must be lossless, JPEG would change class values; rename the masks to"
              + " PNG, or write copies elsewhere with out=DIR");
    }
    if (imageExt.equals("jpg") || imageExt.equals("jpeg")) {
      notes.add(
          "images written as JPEG (quality 0.9) to match the image pattern "
              + imagePattern
              + "; masks are lossless");
    }
    Path root = sources.root();
    List<String> listed = Ids.readList(trainList);
    Set<String> inTrain = new HashSet<>(listed);
    Set<String> held = new HashSet<>();
    for (String split : List.of("val", "test")) {
      Path other = Splits.findList(root, split);
      if (other != null && !sameFile(other, trainList)) {
        held.addAll(Ids.readList(other));
      }
    }
    Set<String> sourceIds = new HashSet<>();
    for (int i = 0; i < sources.size(); i++) {
      sourceIds.add(sources.id(i));
    }
    List<String> written = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    List<String> notAgain = new ArrayList<>();
    List<String> appended;
    try {
      for (int i = 0; i < sources.size(); i++) {
        Entry e = sources.entry(i);
        String id = e.id();
        Matcher m = COPY.matcher(id);
        if (m.matches() && (inTrain.contains(m.group(1)) || sourceIds.contains(m.group(1)))) {
          notAgain.add(id);
          continue;
        }
        if (e.masks().isEmpty()) {
          throw new IllegalArgumentException(
              e.image()
                  + " has no mask: augmenting into the dataset (into=true) copies labelled training"
                  + " samples only; check data.masks=DIR and data.mask_pattern=PATTERN");
        }
        Sample original = null;
        for (int k = 0; k < copies; k++) {
          String nid = copyId(id, k);
          if (held.contains(nid)) {
            throw new IllegalArgumentException(
                "id "
                    + nid
                    + " is in a val/test list of "
                    + root
                    + ": copies must not leak into validation; remove it from that list");
          }
          Path image = target(imagePattern, e.image().getParent(), nid);
          List<Path> masks = new ArrayList<>();
          for (Path mp : e.masks()) {
            masks.add(target(maskPattern, mp.getParent(), nid));
          }
          boolean filesThere = Files.isRegularFile(image) && masks.stream().allMatch(Files::exists);
          boolean anyThere = Files.exists(image) || masks.stream().anyMatch(Files::exists);
          if (!overwrite && filesThere && inTrain.contains(nid)) {
            skipped.add(nid);
            continue;
          }
          if (!overwrite && anyThere && !inTrain.contains(nid)) {
            throw new IllegalArgumentException(
                (Files.exists(image) ? image : masks.get(0))
                    + " exists but "
                    + nid
                    + " is not in "
                    + trainList
                    + ": pass overwrite=true to rewrite it and list it, or remove the file");
          }
          if (original == null) {
            original = sources.get(i);
          }
          Sample s = transform.apply(original, stream(seed, k, id));
          checkLabels(s, nid, sources);
          RawImage img = OfflineAugment.imageOf(s);
          write(img, image);
          if (format == DatasetFormat.PER_CLASS) {
            for (int c = 0; c < masks.size(); c++) {
              int label = c + 1;
              write(encode(s.mask(), v -> v == label ? 1 : 0, s, codec, null), masks.get(c));
            }
          } else {
            int[] palette = paletteOf(e.masks().get(0));
            write(encode(s.mask(), v -> v, s, codec, palette), masks.get(0));
          }
          written.add(nid);
        }
      }
    } finally {
      appended = appendIds(trainList, listed, written);
    }
    return new Result(
        List.copyOf(written),
        appended,
        List.copyOf(skipped),
        List.copyOf(notAgain),
        trainList,
        notes);
  }

  private static String orDefault(String v, String fallback) {
    return v != null ? v : fallback;
  }

  private static boolean sameFile(Path a, Path b) {
    return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
  }

  /** The extension new files get: png for a {@code .*} pattern, else the pattern's own. */
  private static String extension(IdPattern pattern) {
    String n = pattern.toString().toLowerCase(Locale.ROOT);
    return n.endsWith(".*") ? "png" : n.substring(n.lastIndexOf('.') + 1);
  }

  /** The file of a new id: for a {@code .*} pattern an existing file of any extension, else PNG. */
  private static Path target(IdPattern pattern, Path dir, String id) {
    return pattern.resolve(dir, id);
  }

  /** Labels must be classes or the dataset's ignore index, else the copy would not open. */
  private static void checkLabels(Sample s, String nid, FileDataset ds) {
    for (int v : s.mask()) {
      if ((v < 0 || v >= ds.numClasses()) && v != ds.ignoreIndex()) {
        throw new IllegalArgumentException(
            nid
                + ": the pipeline leaves mask value "
                + v
                + " (its fill for pixels moved in from outside) but the dataset has "
                + ds.numClasses()
                + " classes and "
                + (ds.ignoreIndex() < 0 ? "no ignore index" : "ignore index " + ds.ignoreIndex())
                + ": use transforms that keep every pixel (flips, rot90, crops), or open the"
                + " dataset with data.ignore_index="
                + v);
      }
    }
  }

  private static int[] paletteOf(Path mask) {
    try {
      RawImage r = ImageIo.read(mask);
      return r.isPalette() ? r.palette() : null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + mask + ": " + e.getMessage(), e);
    }
  }

  /** Labels (mapped by {@code select}) as the pixels the codec reads back. */
  private static RawImage encode(
      int[] labels, IntUnaryOperator select, Sample s, String codec, int[] palette) {
    boolean white = codec.equals("binary255") || codec.startsWith("threshold");
    int[] px = new int[labels.length];
    for (int p = 0; p < px.length; p++) {
      int v = select.applyAsInt(labels[p]);
      if (white && v != 0 && v != 1) {
        throw new IllegalArgumentException(
            s.id()
                + ": mask value "
                + v
                + " cannot be stored as data.mask="
                + codec
                + " (0/255 only); use transforms that keep every pixel (flips, rot90, crops)");
      }
      px[p] = white && v == 1 ? 255 : v;
      if (px[p] < 0 || px[p] > 255) {
        throw new IllegalArgumentException(
            s.id() + ": mask value " + v + " does not fit an 8-bit mask");
      }
    }
    if (palette != null && palette.length > 0) {
      int[] full = Arrays.copyOf(palette, 256);
      return RawImage.indexed(s.width(), s.height(), px, full);
    }
    return RawImage.grey8(s.width(), s.height(), px);
  }

  private static void write(RawImage img, Path file) {
    try {
      ImageIo.write(img, file, Provenance.AUGMENT);
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
  }

  /** Rewrites the list atomically with the ids not yet in it appended once, keeping its lines. */
  private static List<String> appendIds(Path list, List<String> listed, List<String> ids) {
    Set<String> add = new LinkedHashSet<>(ids);
    add.removeAll(new HashSet<>(listed));
    if (add.isEmpty()) {
      return List.of();
    }
    try {
      String text = Files.readString(list, StandardCharsets.UTF_8);
      StringBuilder sb = new StringBuilder(text);
      if (!text.isEmpty() && !text.endsWith("\n")) {
        sb.append('\n');
      }
      add.forEach(id -> sb.append(id).append('\n'));
      byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
      AtomicFiles.write(list, out -> out.write(bytes));
      return List.copyOf(add);
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
  }
}
