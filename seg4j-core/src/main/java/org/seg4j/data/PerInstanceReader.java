package org.seg4j.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * One folder per image, {id}/images/{id}.* with {id}/masks/*.* (one binary mask per instance,
 * united into the foreground), as in Data Science Bowl 2018: two classes, background and
 * foreground.
 */
final class PerInstanceReader extends DatasetReader {
  PerInstanceReader(DatasetSpec spec) {
    super(spec);
  }

  @Override
  List<Entry> entries() {
    IdPattern imgPat = pattern(spec.imagePattern(), "{id}.*");
    List<String> listed = listIds();
    List<String> ids;
    if (listed != null) {
      ids = listed;
    } else {
      try (Stream<Path> s = Files.list(root)) {
        ids =
            s.filter(p -> Files.isDirectory(p.resolve("images")))
                .map(p -> p.getFileName().toString())
                .sorted(Ids.ORDER)
                .toList();
      } catch (IOException e) {
        throw config(root, "cannot be listed (" + e.getMessage() + ")", "check permissions");
      }
    }
    List<Entry> entries = new ArrayList<>();
    for (String id : ids) {
      Path image = imgPat.resolve(root.resolve(id).resolve("images"), id);
      if (!Files.isRegularFile(image)) {
        absent(id, image, listed != null);
        continue;
      }
      Path maskDir = root.resolve(id).resolve("masks");
      List<Path> masks = imageFiles(maskDir);
      if (masks.isEmpty()) {
        missingMask(maskDir, image);
        continue;
      }
      entries.add(new Entry(id, image, masks));
    }
    return empty(entries, root, imgPat);
  }

  @Override
  int formatClasses() {
    return 2;
  }

  @Override
  ClassNames defaultNames(int classes) {
    return ClassNames.of(List.of("background", "foreground"));
  }

  private static List<Path> imageFiles(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> Files.isRegularFile(p) || Files.isSymbolicLink(p)) // dangling: named
          .filter(
              p -> {
                String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                int dot = n.lastIndexOf('.');
                return !n.startsWith(".")
                    && dot > 0
                    && IdPattern.IMAGE_EXTENSIONS.contains(n.substring(dot + 1));
              })
          .sorted()
          .toList();
    } catch (IOException e) {
      return List.of();
    }
  }
}
