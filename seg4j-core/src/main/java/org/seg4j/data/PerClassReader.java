package org.seg4j.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * images/{id}.* with one binary mask per class, masks/{class}/{id}.*, as in pytorch-nested-unet.
 * The classes are background and then the class folders in {@link Ids#ORDER} (numbers by value,
 * then names), or in the classes file's order when it names them (see {@link #classNames}).
 */
final class PerClassReader extends DatasetReader {
  private final Path imageDir;
  private final Path maskDir;
  private List<String> classDirs;

  PerClassReader(DatasetSpec spec) {
    super(spec);
    this.imageDir = dir(spec.imageDir(), "images");
    this.maskDir = dir(spec.maskDir(), "masks");
  }

  /** The class folders under the mask folder, sorted; listed once. */
  List<String> classDirs() {
    if (classDirs != null) {
      return classDirs;
    }
    requireDir(imageDir, "images");
    requireDir(maskDir, "masks");
    List<String> found;
    try (Stream<Path> s = Files.list(maskDir)) {
      found =
          s.filter(Files::isDirectory)
              .map(p -> p.getFileName().toString())
              .filter(n -> !n.startsWith("."))
              .sorted(Ids.ORDER)
              .toList();
    } catch (IOException e) {
      throw config(maskDir, "cannot be listed (" + e.getMessage() + ")", "check permissions");
    }
    if (found.isEmpty()) {
      throw config(
          maskDir, "holds no class folders", "put each class's masks in masks/{class}/{id}.png");
    }
    classDirs = found;
    return classDirs;
  }

  @Override
  List<Entry> entries() {
    List<String> classes = classDirs();
    IdPattern imgPat = pattern(spec.imagePattern(), "{id}.*");
    IdPattern maskPat = pattern(spec.maskPattern(), "{id}.*");
    List<String> listed = listIds();
    List<String> ids = listed != null ? listed : scan(imageDir, imgPat);
    List<Entry> entries = new ArrayList<>();
    for (String id : ids) {
      Path image = imgPat.resolve(imageDir, id);
      if (!Files.isRegularFile(image)) {
        absent(id, image, listed != null);
        continue;
      }
      List<Path> masks = new ArrayList<>();
      Path missing = null;
      for (String c : classes) {
        Path m = maskPat.resolve(maskDir.resolve(c), id);
        if (!Files.isRegularFile(m) && missing == null) {
          missing = m;
        }
        masks.add(m);
      }
      if (missing != null) {
        missingMask(missing, image);
        continue;
      }
      entries.add(new Entry(id, image, masks));
    }
    return empty(entries, imageDir, imgPat);
  }

  @Override
  int formatClasses() {
    return classDirs().size() + 1;
  }

  /**
   * Background and the folder names; or the classes file's names, with background put first when
   * the file names only the folders. When the folders are named (not numbered), the file's names
   * must be the folder names, and the file's order sets the class indices: masks/{name}/ becomes
   * the class the file names there, whatever the folders' sorted order. Numbered folders (0, 1, ...
   * as pytorch-nested-unet writes them) are classes in number order, named by the file's lines.
   * Call before {@link #entries}, which takes the masks in this class order.
   */
  @Override
  ClassNames classNames(ClassNames fromFile, Path file) {
    List<String> folders = classDirs();
    if (fromFile == null) {
      List<String> n = new ArrayList<>(List.of("background"));
      n.addAll(folders);
      return ClassNames.of(n);
    }
    boolean withBackground = fromFile.size() == folders.size() + 1;
    if (!withBackground && fromFile.size() != folders.size()) {
      throw config(
          file,
          "names "
              + fromFile.size()
              + " classes but masks/ holds "
              + folders.size()
              + " class folders "
              + folders,
          "list background plus one name per class folder");
    }
    List<String> named = fromFile.names().subList(withBackground ? 1 : 0, fromFile.size());
    if (!folders.stream().allMatch(Ids::isNumber)) {
      if (!Set.copyOf(named).equals(Set.copyOf(folders))) {
        throw config(
            file,
            "names the classes "
                + named
                + " but the class folders in "
                + maskDir
                + " are "
                + folders,
            "name each class folder as its class in "
                + file.getFileName()
                + " (the file's order sets the class indices)");
      }
      classDirs = List.copyOf(named);
    }
    List<String> n = new ArrayList<>(List.of(withBackground ? fromFile.name(0) : "background"));
    n.addAll(named);
    return ClassNames.of(n);
  }
}
