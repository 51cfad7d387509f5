package org.seg4j.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The packages run one way (DESIGN.md, README "Layout"): a package may use the packages before it
 * in {@link #LAYERS} and never one after it, and no two packages use each other. A subpackage
 * ({@code data.loader}, {@code model.encoder}, {@code model.imports}, {@code train.optim}) belongs
 * to its parent's layer. The library (every package but {@code cli} and {@code bench}) never uses
 * picocli.
 */
class LayersTest {
  /** The layers, lowest first. */
  static final List<String> LAYERS =
      List.of(
          "engine", "io", "data", "augment", "nn", "model", "loss", "metric", "run", "infer",
          "export", "train", "report", "api", "serve", "bench", "cli");

  private static JavaClasses classes;

  @BeforeAll
  static void load() {
    // the compiled classes of both modules, read from their folders (on the class path seg4j-core
    // is a jar once packaged, and a rule over a jar left out would pass on nothing); protoc's
    // generated classes for onnx.proto (package onnx) are not seg4j's layers
    classes =
        new ClassFileImporter()
            .importPaths(
                Path.of("seg4j-core/target/classes"),
                Path.of("seg4j-serve/target/classes"),
                Path.of("seg4j-cli/target/classes"))
            .that(JavaClass.Predicates.resideInAPackage("org.seg4j.."));
    assertThat(classes.stream().map(c -> c.getName()))
        .as("the classes of both modules are checked")
        .contains("org.seg4j.train.Trainer", "org.seg4j.io.ImageIo", "org.seg4j.cli.Seg4j");
  }

  @Test
  void everyPackageIsALayer() {
    List<String> unknown =
        classes.stream()
            .map(c -> c.getPackageName().substring("org.seg4j.".length()).split("\\.")[0])
            .distinct()
            .filter(p -> !LAYERS.contains(p))
            .toList();
    assertThat(unknown).as("packages missing from LayersTest.LAYERS").isEmpty();
  }

  static List<String> layers() {
    return LAYERS.subList(0, LAYERS.size() - 1);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("layers")
  void aLayerUsesNoLayerAboveIt(String layer) {
    int i = LAYERS.indexOf(layer);
    String[] above =
        LAYERS.subList(i + 1, LAYERS.size()).stream()
            .map(l -> "org.seg4j." + l + "..")
            .toArray(String[]::new);
    noClasses()
        .that()
        .resideInAPackage("org.seg4j." + layer + "..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(above)
        .because(layer + " sits below " + Arrays.toString(above))
        .allowEmptyShould(true)
        .check(classes);
  }

  @Test
  void noTwoPackagesUseEachOther() {
    slices().matching("org.seg4j.(*)..").should().beFreeOfCycles().check(classes);
  }

  @Test
  void theLibraryNeverUsesPicocli() {
    noClasses()
        .that()
        .resideInAPackage("org.seg4j..")
        .and()
        .resideOutsideOfPackages("org.seg4j.cli..", "org.seg4j.bench..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("picocli..")
        .check(classes);
  }
}
