package org.seg4j.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A dataset of files on disk, as opened by {@link DatasetFactory}: a fixed list of entries decoded
 * lazily and thread-safely on {@link #get(int)}.
 */
public final class FileDataset implements SegmentationDataset {
  private final DatasetSpec spec;
  private final Path root;
  private final List<Entry> entries;
  private final SampleDecoder decoder;
  private final ClassNames names;
  private final BadInputReport badInputs;
  private final List<Path> orphanMasks;
  private final List<String> notes;

  FileDataset(
      DatasetSpec spec,
      Path root,
      List<Entry> entries,
      SampleDecoder decoder,
      ClassNames names,
      BadInputReport badInputs,
      List<Path> orphanMasks,
      List<String> notes) {
    this.spec = spec;
    this.root = root;
    this.entries = List.copyOf(entries);
    this.decoder = decoder;
    this.names = names;
    this.badInputs = badInputs;
    this.orphanMasks = List.copyOf(orphanMasks);
    this.notes = List.copyOf(notes);
  }

  @Override
  public int size() {
    return entries.size();
  }

  @Override
  public String id(int i) {
    return entries.get(i).id();
  }

  @Override
  public Sample get(int i) {
    return decoder.decode(entries.get(i));
  }

  @Override
  public Path imagePath(int i) {
    return entries.get(i).image();
  }

  @Override
  public List<Path> maskPaths(int i) {
    return entries.get(i).masks();
  }

  @Override
  public int numClasses() {
    return decoder.classes();
  }

  @Override
  public int ignoreIndex() {
    return decoder.ignore();
  }

  @Override
  public ClassNames classNames() {
    return names;
  }

  /** The spec this dataset was opened from. */
  public DatasetSpec spec() {
    return spec;
  }

  /** The dataset folder; files are shown relative to it. */
  public Path root() {
    return root;
  }

  /** Entry i: id and files. */
  public Entry entry(int i) {
    return entries.get(i);
  }

  /** The mask codec in use. */
  public MaskCodec codec() {
    return decoder.codec();
  }

  /** The declared input channels, or 0 when taken from the files. */
  public int channels() {
    return decoder.channels();
  }

  /** Whether the samples have masks. */
  public boolean labelled() {
    return entries.stream().anyMatch(e -> !e.masks().isEmpty());
  }

  /** What was skipped while opening (with --skip-bad). */
  public BadInputReport badInputs() {
    return badInputs;
  }

  /** Mask files that match no image. */
  public List<Path> orphanMasks() {
    return orphanMasks;
  }

  /** Remarks made while opening, e.g. that no masks were found. */
  public List<String> notes() {
    return notes;
  }

  SampleDecoder decoder() {
    return decoder;
  }

  /** A view of the given samples, in the given order. */
  public FileDataset subset(Collection<Integer> indices) {
    List<Entry> picked = new ArrayList<>();
    for (int i : indices) {
      picked.add(entries.get(i));
    }
    return new FileDataset(spec, root, picked, decoder, names, badInputs, orphanMasks, notes);
  }

  /** The same dataset with a known class count (as inferred by the check). */
  FileDataset withClasses(int classes, ClassNames newNames) {
    SampleDecoder d =
        new SampleDecoder(
            decoder.channels(),
            decoder.convert(),
            decoder.codec(),
            classes,
            decoder.ignore(),
            decoder.layout());
    return new FileDataset(spec, root, entries, d, newNames, badInputs, orphanMasks, notes);
  }
}
