package org.seg4j.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The bad-input corpus generator of issue 9: a small good dataset and the mutations that make it
 * hostile (flipped bytes, truncation, odd list files). Each class of failure has a parameterised
 * test whose cases are built from these parts; {@link #main} writes a good dataset and a few
 * mutated copies for a person to try the CLI on by hand.
 */
final class HostileCorpus {
  private HostileCorpus() {}

  /** A good binary folder dataset of {@code n} 16x16 images (images/, masks/ with 0/1 masks). */
  static Path good(Path root, int n) throws IOException {
    return TinyData.synthetic(root, n);
  }

  /** Flips {@code count} bytes of {@code file} from offset {@code from} on, with a fixed seed. */
  static void flipBytes(Path file, long from, int count, long seed) throws IOException {
    byte[] b = Files.readAllBytes(file);
    Random r = new Random(seed);
    for (int i = 0; i < count; i++) {
      int at = (int) (from + r.nextInt((int) Math.max(1, b.length - from)));
      b[at] = (byte) ~b[at];
    }
    Files.write(file, b);
  }

  /** Cuts {@code file} to its first {@code keep} bytes. */
  static void truncate(Path file, int keep) throws IOException {
    byte[] b = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(b, Math.min(keep, b.length)));
  }

  /** Writes a list file with the given lines (UTF-8, one id per line). */
  static Path list(Path file, List<String> lines) throws IOException {
    Files.createDirectories(file.getParent());
    return Files.write(file, lines, StandardCharsets.UTF_8);
  }

  // mutators of a good dataset, for the parameterised tests' cases

  /** A change to a good dataset that makes it hostile. */
  interface Mutation {
    void apply(Path data) throws IOException;
  }

  /** A {@link #good} 16-image dataset at {@code root} with {@code mutation} applied. */
  static Path mutated(Path root, Mutation mutation) throws IOException {
    Path data = good(root, 16);
    mutation.apply(data);
    return data;
  }

  /** Replaces {@code file} (relative to the dataset) by a link to a file that does not exist. */
  static Mutation danglingLink(String file) {
    return d -> {
      Path f = d.resolve(file);
      Files.delete(f);
      Files.createSymbolicLink(f, d.resolve("gone.png"));
    };
  }

  /**
   * Writes the corpus under {@code args[0]}: {@code good/} and mutated copies, one folder per
   * mutation, to try commands on by hand ({@code seg4j dataset check --data DIR}).
   */
  public static void main(String[] args) throws IOException {
    Path out = Path.of(args.length > 0 ? args[0] : "hostile-corpus");
    good(out.resolve("good"), 16);
    Path corrupt = good(out.resolve("corrupt-image"), 16);
    truncate(Files.list(corrupt.resolve("images")).sorted().findFirst().orElseThrow(), 40);
    System.out.println("wrote " + out.toAbsolutePath());
  }
}
