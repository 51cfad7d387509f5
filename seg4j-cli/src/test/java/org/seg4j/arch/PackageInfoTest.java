package org.seg4j.arch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every main package of both modules says what it is for and what it may use, in a javadoc on its
 * {@code package-info.java} (read from the source folders; the tests run at the repository root).
 */
class PackageInfoTest {
  private static final List<Path> SOURCES =
      List.of(Path.of("seg4j-core/src/main/java"), Path.of("seg4j-cli/src/main/java"));

  @Test
  void everyPackageHasAPackageInfoWithAJavadoc() throws IOException {
    List<Path> packages = new ArrayList<>();
    for (Path root : SOURCES) {
      try (Stream<Path> files = Files.walk(root)) {
        files
            .filter(f -> f.toString().endsWith(".java"))
            .map(Path::getParent)
            .distinct()
            .forEach(packages::add);
      }
    }
    assertThat(packages)
        .as("the packages of both modules are found")
        .contains(
            Path.of("seg4j-core/src/main/java/org/seg4j/train/schedule"),
            Path.of("seg4j-cli/src/main/java/org/seg4j/cli"));
    List<String> missing = new ArrayList<>();
    for (Path p : packages) {
      Path info = p.resolve("package-info.java");
      if (!Files.exists(info) || !hasJavadoc(Files.readString(info))) {
        missing.add(p.toString());
      }
    }
    assertThat(missing).as("packages without a package-info.java javadoc").isEmpty();
  }

  /** True when a javadoc with some text comes before the package declaration. */
  static boolean hasJavadoc(String source) {
    int start = source.indexOf("/**");
    int end = source.indexOf("*/", start + 3);
    int pkg = source.indexOf("\npackage ");
    return start >= 0
        && end > start
        && end < pkg
        && !source.substring(start + 3, end).replace("*", "").isBlank();
  }

  @Test
  void aCommentWithoutTextOrAfterThePackageIsNoJavadoc() {
    assertThat(hasJavadoc("/** The engine. */\npackage a;\n")).isTrue();
    assertThat(hasJavadoc("/** */\npackage a;\n")).isFalse();
    assertThat(hasJavadoc("/* The engine. */\npackage a;\n")).isFalse();
    assertThat(hasJavadoc("\npackage a;\n/** The engine. */\n")).isFalse();
  }
}
