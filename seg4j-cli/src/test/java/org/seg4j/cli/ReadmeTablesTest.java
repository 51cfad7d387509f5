package org.seg4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.seg4j.augment.AugmentConfig;
import org.seg4j.model.ModelRegistry;

/**
 * The README's option tables are the declarations themselves: the architecture options ({@link
 * ModelRegistry#optionTable()}) and the transform keys ({@link AugmentConfig#transformTable()})
 * appear in it exactly, so a declared option cannot go missing from it nor a removed one linger.
 */
class ReadmeTablesTest {
  private static String readme() throws Exception {
    return Files.readString(Path.of("README.md"));
  }

  @Test
  void theArchitectureOptionTableListsExactlyTheDeclaredOptions() throws Exception {
    assertTable(readme(), "| architecture | option |", ModelRegistry.optionTable());
  }

  @Test
  void theTransformTableListsExactlyTheDeclaredKeys() throws Exception {
    assertTable(readme(), "| type | key |", AugmentConfig.transformTable());
  }

  /** The README's table that starts with {@code header}, up to its first blank line. */
  private static void assertTable(String readme, String header, String expected) {
    int start = readme.indexOf(header);
    assertThat(start).as("README.md has a table starting %s", header).isNotNegative();
    int end = readme.indexOf("\n\n", start);
    assertThat(readme.substring(start, end + 1))
        .as("README.md's table; paste this one instead:%n%s", expected)
        .isEqualTo(expected);
  }
}
