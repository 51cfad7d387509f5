package org.seg4j.arch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The library names config keys and API parameters in its messages, never a command's flags: no
 * string literal in seg4j-core's main sources holds a {@code --flag} (the CLI's {@code Hints} puts
 * settings as the failing command's flags). Read from the source folder; comments are skipped.
 */
class LibraryFlagsTest {
  private static final Path SOURCES = Path.of("seg4j-core/src/main/java/org/seg4j");

  private static final Pattern LITERAL = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final Pattern FLAG = Pattern.compile("(?<![\\w-])--[a-z]");

  /** Literals that may name a flag (file and literal), and why. */
  static final Map<String, String> ALLOWED =
      Map.of(
          "train/RunExtension.java --epochs ",
          "config.yml's history records the command line that resumed the run, as typed",
          "train/RunExtension.java --set ",
          "config.yml's history records the command line that resumed the run, as typed",
          "train/RunExtension.java %s: %s (seg4j train --resume %s, after epoch %d)",
          "config.yml's history records the command line that resumed the run, as typed");

  @Test
  void noLiteralOfTheLibraryNamesAFlag() throws IOException {
    List<String> found = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> s = Files.walk(SOURCES)) {
      files = s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
    assertThat(files).as("the library's sources are read").hasSizeGreaterThan(100);
    for (Path file : files) {
      String rel = SOURCES.relativize(file).toString().replace('\\', '/');
      for (String literal : literals(Files.readAllLines(file))) {
        if (FLAG.matcher(literal).find() && !ALLOWED.containsKey(rel + " " + literal)) {
          found.add(rel + ": \"" + literal + "\"");
        }
      }
    }
    assertThat(found).as("library literals naming a --flag").isEmpty();
  }

  @Test
  void everyAllowedLiteralIsStillThere() throws IOException {
    for (String entry : ALLOWED.keySet()) {
      int space = entry.indexOf(' ');
      List<String> lits = literals(Files.readAllLines(SOURCES.resolve(entry.substring(0, space))));
      assertThat(lits).as(entry).contains(entry.substring(space + 1));
    }
  }

  @Test
  void aFlagInALiteralIsFoundAndOneInACommentIsNot() {
    assertThat(literals(List.of("  throw new X(\"use --mask index\");")))
        .anyMatch(l -> FLAG.matcher(l).find());
    assertThat(literals(List.of("  // use --mask index", "   * {@code \"--mask\"}")))
        .noneMatch(l -> FLAG.matcher(l).find());
    assertThat(literals(List.of("  x(\"rw-r--r--\");"))).noneMatch(l -> FLAG.matcher(l).find());
  }

  /** The string literals of the lines, outside comments. */
  static List<String> literals(List<String> lines) {
    List<String> out = new ArrayList<>();
    for (String line : lines) {
      String t = line.strip();
      if (t.startsWith("*") || t.startsWith("//") || t.startsWith("/*")) {
        continue;
      }
      Matcher m = LITERAL.matcher(line);
      while (m.find()) {
        out.add(m.group(1));
      }
    }
    return out;
  }
}
