package org.seg4j.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.seg4j.io.AtomicFiles;

/**
 * A run's folder, as 4uiiurz1's: {@code config.yml} (everything needed to reproduce it), {@code
 * log.csv} (one row per epoch) and {@code checkpoints/} ({@code last}, {@code best} and optional
 * {@code epoch_N}). Every file is written atomically, so a killed run leaves a consistent folder.
 */
public final class RunFolder {
  /** The config file name. */
  public static final String CONFIG = "config.yml";

  private final Path dir;
  private final List<String> logRows = new ArrayList<>();
  private String logHeader;

  private RunFolder(Path dir) {
    this.dir = dir;
  }

  /** Opens (or creates) a run folder. */
  public static RunFolder at(Path dir) throws IOException {
    Files.createDirectories(dir.resolve("checkpoints"));
    RunFolder r = new RunFolder(dir);
    Path log = r.log();
    if (Files.exists(log)) {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      if (!lines.isEmpty()) {
        r.logHeader = lines.get(0);
        r.logRows.addAll(lines.subList(1, lines.size()));
      }
    }
    return r;
  }

  /** Opens an existing run folder for eval/predict, failing clearly when it is not one. */
  public static RunFolder existing(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException(dir + " is not a run folder: train one with seg4j train --name NAME");
    }
    if (!Files.exists(dir.resolve(CONFIG))) {
      throw new IOException(
          dir + " has no " + CONFIG + ": it is not a seg4j run folder (expected runs/NAME)");
    }
    return at(dir);
  }

  /**
   * Removes the temp files ({@code .NAME.*.tmp}) that writes killed half-way left in the run folder
   * and {@code checkpoints/}; call it only while holding the run's lock.
   *
   * @return a line saying what was removed, or null when there was nothing
   */
  public String removeStaleTemps() throws IOException {
    long count = 0;
    long bytes = 0;
    for (Path d : List.of(dir, dir.resolve("checkpoints"))) {
      if (!Files.isDirectory(d)) {
        continue;
      }
      try (var files = Files.list(d)) {
        for (Path f : files.toList()) {
          String n = f.getFileName().toString();
          if (n.startsWith(".") && n.endsWith(".tmp") && Files.isRegularFile(f)) {
            bytes += Files.size(f);
            Files.delete(f);
            count++;
          }
        }
      }
    }
    return count == 0
        ? null
        : String.format(
            Locale.ROOT,
            "removed %d temp file(s) (%.1f MB) left in %s by writes that were killed half-way",
            count,
            bytes / 1e6,
            dir);
  }

  /**
   * Clears a run that never finished an epoch ({@code train --overwrite}): its config.yml, log.csv,
   * the files in checkpoints/ and any temp files. Call it only while holding the run's lock, after
   * checking that no epoch was finished.
   *
   * @return a line saying what was removed
   */
  public String clearUnfinished() throws IOException {
    removeStaleTemps();
    List<String> removed = new ArrayList<>();
    for (Path f : List.of(config(), log())) {
      if (Files.deleteIfExists(f)) {
        removed.add(f.getFileName().toString());
      }
    }
    Path ckpt = dir.resolve("checkpoints");
    if (Files.isDirectory(ckpt)) {
      try (var files = Files.list(ckpt)) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          Files.delete(f);
          removed.add("checkpoints/" + f.getFileName());
        }
      }
    }
    logRows.clear();
    logHeader = null;
    return "--overwrite: "
        + dir
        + " never finished an epoch; removed "
        + (removed.isEmpty() ? "nothing" : String.join(", ", removed))
        + " and starting anew";
  }

  /** The folder. */
  public Path dir() {
    return dir;
  }

  /** {@code config.yml}. */
  public Path config() {
    return dir.resolve(CONFIG);
  }

  /** {@code log.csv}. */
  public Path log() {
    return dir.resolve("log.csv");
  }

  /** A checkpoint path by tag: {@code last}, {@code best}, {@code epoch_010}. */
  public Path checkpoint(String tag) {
    return dir.resolve("checkpoints").resolve(tag + ".safetensors");
  }

  /**
   * The resume file stored beside a checkpoint: model, optimiser and trainer state in one
   * safetensors file ({@link TrainState}).
   */
  public Path trainerState(String tag) {
    return dir.resolve("checkpoints").resolve(tag + ".train.safetensors");
  }

  /** The preferred checkpoint for eval/predict: best, else last; fails when there is none. */
  public Path bestOrLast() throws IOException {
    for (String tag : new String[] {"best", "last"}) {
      if (Files.exists(checkpoint(tag))) {
        return checkpoint(tag);
      }
    }
    throw new IOException(
        dir
            + " has no checkpoint (checkpoints/best.safetensors or last.safetensors): the run"
            + " stopped before its first epoch ended; train again or resume with seg4j train"
            + " --resume "
            + dir);
  }

  /** Writes config.yml atomically. */
  public void writeConfig(String yaml) throws IOException {
    writeText(config(), yaml);
  }

  /** Writes a text file atomically. */
  public static void writeText(Path file, String text) throws IOException {
    AtomicFiles.write(file, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
  }

  /** Drops log rows after {@code epoch} (used on resume: rows the checkpoint does not cover). */
  public void truncateLog(int epoch) throws IOException {
    logRows.removeIf(r -> Integer.parseInt(r.substring(0, r.indexOf(','))) > epoch);
    flushLog();
  }

  /**
   * Appends one epoch row; the header is fixed by the first row. A number that is NaN or infinite
   * (no validation this epoch, a class absent from it) is written as an empty cell.
   */
  public void appendLog(List<String> header, List<Object> values) throws IOException {
    String h = String.join(",", header);
    if (logHeader == null) {
      logHeader = h;
    }
    List<String> cells = new ArrayList<>();
    for (Object v : values) {
      cells.add(
          !(v instanceof Double || v instanceof Float)
              ? String.valueOf(v)
              : Double.isFinite(((Number) v).doubleValue())
                  ? String.format(Locale.ROOT, "%.6g", ((Number) v).doubleValue())
                  : "");
    }
    logRows.add(String.join(",", cells));
    flushLog();
  }

  private void flushLog() throws IOException {
    if (logHeader == null) {
      return;
    }
    StringBuilder sb = new StringBuilder(logHeader).append('\n');
    for (String r : logRows) {
      sb.append(r).append('\n');
    }
    writeText(log(), sb.toString());
  }
}
