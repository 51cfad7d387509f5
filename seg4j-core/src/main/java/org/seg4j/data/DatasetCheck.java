package org.seg4j.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.seg4j.io.RawImage;

/**
 * Opens every image and mask of a dataset once and reports what it found ({@link CheckReport}):
 * pairing, sizes, channels, mask values, class frequencies and weights, and each problem with its
 * file, value and fix. Training and evaluation run it on each split before they start (see
 * train.DataSetup#check), augment through {@link #verified}, so a bad mask never surfaces
 * mid-epoch.
 */
public final class DatasetCheck {
  /** The smallest image width and height a dataset may hold. */
  public static final int MIN_SIDE = 2;

  private final FileDataset ds;
  private final boolean requireMasks;
  private final SampleDecoder decoder;
  private final List<Problem> problems = new ArrayList<>();
  private final List<Problem> skipped;
  private final List<String> notes;
  private final Map<String, Integer> sizes = new TreeMap<>();
  private final Map<Integer, Integer> channels = new TreeMap<>();
  private final Map<Integer, Integer> depths = new TreeMap<>();
  private final Map<Path, String> maskValues = new LinkedHashMap<>();
  private final SortedSet<Integer> allValues = new TreeSet<>();
  private final int[] channelOf;
  private final boolean[] bad;
  private final ClassStats stats;
  private int alphaImages;
  private int labelled;

  private DatasetCheck(FileDataset ds, boolean requireMasks) {
    this.ds = ds;
    this.requireMasks = requireMasks;
    this.decoder = ds.decoder();
    this.skipped = new ArrayList<>(ds.badInputs().skipped());
    this.notes = new ArrayList<>(ds.notes());
    this.channelOf = new int[ds.size()];
    this.bad = new boolean[ds.size()];
    this.stats = new ClassStats(ds.numClasses());
  }

  /** Checks a dataset that must have masks (for training and evaluation). */
  public static CheckReport run(FileDataset ds) {
    return run(ds, true);
  }

  /** Checks a dataset; requireMasks false accepts unlabelled images (for prediction). */
  public static CheckReport run(FileDataset ds, boolean requireMasks) {
    return new DatasetCheck(ds, requireMasks).check();
  }

  /**
   * Checks a dataset and returns the usable part (without skipped files).
   *
   * @throws DatasetException with the report text as message when any problem remains
   */
  public static FileDataset verified(FileDataset ds) {
    CheckReport report = run(ds);
    if (!report.ok()) {
      throw new DatasetException(report.toText(), report.problems());
    }
    return report.usable();
  }

  private CheckReport check() {
    for (int i = 0; i < ds.size(); i++) {
      labelled += ds.maskPaths(i).isEmpty() ? 0 : 1;
    }
    for (int i = 0; i < ds.size(); i++) {
      try {
        checkEntry(i, ds.entry(i));
      } catch (DatasetException e) {
        problem(i, e.problems().get(0));
      }
    }
    checkChannels();
    if (requireMasks && labelled == 0) {
      problems.add(
          new Problem(
              ProblemKind.MISSING_MASK,
              ds.root(),
              "has no masks for its " + ds.size() + " images",
              "give the mask folder and data.mask_pattern=PATTERN"));
    }
    int classes = ds.numClasses();
    boolean inferred = false;
    ClassNames names = ds.classNames();
    if (classes == 0 && labelled > 0) {
      inferred = true;
      classes = inferClasses();
      names = ClassNames.numbered(classes);
    }
    List<Integer> usable = new ArrayList<>();
    for (int i = 0; i < ds.size(); i++) {
      if (!bad[i]) {
        usable.add(i);
      }
    }
    if (usable.isEmpty() && problems.isEmpty()) {
      problems.add(
          new Problem(
              ProblemKind.EMPTY_DATASET,
              ds.root(),
              "has no usable samples: all " + skipped.size() + " were skipped",
              "fix the files listed above"));
    }
    if (alphaImages > 0) {
      notes.add(alphaImages + " images have an alpha channel: it is dropped");
    }
    if (!ds.orphanMasks().isEmpty()) {
      notes.add(
          ds.orphanMasks().size()
              + " mask files have no image, e.g. "
              + Problem.display(ds.orphanMasks().get(0), ds.root())
              + ": they are not used");
    }
    checkForeground(classes);
    for (int c = 0; c < classes && labelled > 0 && problems.isEmpty(); c++) {
      if (c >= stats.pixels().length || stats.pixels()[c] == 0) {
        notes.add("class " + c + " (" + names.name(c) + ") has no pixels: its weight is 0");
      }
    }
    FileDataset usableDs = ds.subset(usable);
    if (inferred) {
      usableDs = usableDs.withClasses(classes, names);
    }
    return new CheckReport(
        ds.root(),
        ds.spec().format().key(),
        ds.codec().name(),
        classes,
        inferred,
        names,
        ds.ignoreIndex(),
        ds.size(),
        usable.size(),
        labelled,
        ds.orphanMasks().size(),
        sizes,
        channels,
        depths,
        maskValues,
        stats,
        List.copyOf(problems),
        List.copyOf(skipped),
        List.copyOf(notes),
        usableDs);
  }

  private void checkEntry(int i, Entry e) {
    RawImage image = SampleDecoder.readImage(e.image());
    if (image.width() < MIN_SIDE || image.height() < MIN_SIDE) {
      throw new DatasetException(
          new Problem(
              ProblemKind.TOO_SMALL,
              e.image(),
              "is " + image.width() + "x" + image.height() + " pixels: too small to segment",
              "images need at least "
                  + MIN_SIDE
                  + " pixels each way; replace or remove it, or pass data.skip_bad=true to skip"
                  + " it"));
    }
    sizes.merge(image.width() + "x" + image.height(), 1, Integer::sum);
    channelOf[i] = SampleDecoder.sourceChannels(image);
    channels.merge(channelOf[i], 1, Integer::sum);
    depths.merge(image.isPalette() ? 8 : image.bitDepth(), 1, Integer::sum);
    if (image.alpha()) {
      alphaImages++;
    }
    decoder.planes(image, e.image());
    if (e.masks().isEmpty()) {
      return;
    }
    List<RawImage> raws = decoder.readMasks(e, image);
    for (int k = 0; k < raws.size(); k++) {
      maskValues.put(e.masks().get(k), describeValues(raws.get(k)));
    }
    int[] labels = decoder.decodeMasks(e, raws);
    stats.add(labels, ds.ignoreIndex());
  }

  private String describeValues(RawImage raw) {
    try {
      SortedSet<Integer> v = MaskPixels.distinct(MaskPixels.single(raw));
      allValues.addAll(v);
      return MaskPixels.format(v);
    } catch (MaskCodecException e) {
      return "colours " + MaskPixels.colours(raw);
    }
  }

  private void checkChannels() {
    boolean declaredOnly = ds.channels() != 0 && !ds.spec().convert(); // CHANNELS names those
    if (ds.spec().mixedChannels() || channels.size() < 2 || declaredOnly) {
      return;
    }
    int majority = 0;
    int best = -1;
    for (Map.Entry<Integer, Integer> c : channels.entrySet()) {
      if (c.getValue() > best) {
        best = c.getValue();
        majority = c.getKey();
      }
    }
    int total = channels.values().stream().mapToInt(Integer::intValue).sum();
    for (int i = 0; i < ds.size(); i++) {
      if (channelOf[i] != 0 && channelOf[i] != majority && !bad[i]) {
        problem(
            i,
            new Problem(
                ProblemKind.MIXED_CHANNELS,
                ds.imagePath(i),
                "has "
                    + channelOf[i]
                    + " channels but "
                    + best
                    + " of "
                    + total
                    + " images have "
                    + majority,
                "declare data.channels="
                    + majority
                    + " data.convert=true (or data.channels="
                    + channelOf[i]
                    + " data.convert=true) to convert, or pass data.skip_bad=true"));
      }
    }
  }

  /**
   * Refuses masks that hold only background and the ignore index, e.g. 0/255 masks read with {@code
   * --mask index} while 255 is ignored: nothing of any other class would be learned or measured.
   */
  private void checkForeground(int classes) {
    long[] px = stats.pixels();
    boolean foreground = false;
    for (int c = 1; c < px.length; c++) {
      foreground |= px[c] > 0;
    }
    if (foreground || classes < 2 || stats.ignored() == 0 || px[0] == 0 || !problems.isEmpty()) {
      return;
    }
    int ignore = ds.ignoreIndex();
    problems.add(
        new Problem(
            ProblemKind.MASK_VALUES,
            ds.maskPaths(firstLabelled()).get(0),
            "and every other mask hold only class 0 and the ignore index "
                + ignore
                + ", so no pixel is of class 1"
                + (classes > 2 ? ".." + (classes - 1) : "")
                + " and nothing but background would be learned or measured",
            ignore == 255
                ? "if 255 marks the foreground (0/255 masks), use data.mask=binary255; if it marks"
                    + " void, these masks have nothing but background to learn from"
                : "if " + ignore + " marks a class, set data.ignore_index=N to another value"));
  }

  private int inferClasses() {
    boolean blackWhite =
        ds.codec() instanceof IndexCodec
            && allValues.size() == 2
            && allValues.first() == 0
            && allValues.last() >= 255;
    if (blackWhite) {
      Path first = ds.maskPaths(firstLabelled()).get(0);
      problems.add(
          new Problem(
              ProblemKind.MASK_VALUES,
              first,
              "and every other mask hold values "
                  + MaskPixels.format(allValues)
                  + " and no class count is declared",
              "use data.mask=binary255 (2 classes)"));
      return 2;
    }
    int seen = Math.max(stats.classesSeen(), 1);
    notes.add(
        "no class count declared (model.classes=N or classes.txt): values 0.."
            + (seen - 1)
            + " found, so "
            + seen
            + " classes assumed");
    return seen;
  }

  private int firstLabelled() {
    for (int i = 0; i < ds.size(); i++) {
      if (!ds.maskPaths(i).isEmpty()) {
        return i;
      }
    }
    return 0;
  }

  private void problem(int i, Problem p) {
    bad[i] = true;
    if (ds.badInputs().skipBad() && p.kind().perFile()) {
      skipped.add(p);
    } else {
      problems.add(p);
    }
  }
}
