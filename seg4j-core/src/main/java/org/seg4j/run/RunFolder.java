package org.seg4j.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.seg4j.io.AtomicFiles;
import org.seg4j.io.DamagedTensorException;
import org.seg4j.io.SafeTensors;
import org.seg4j.io.TestPause;
import org.seg4j.model.Checkpoint;
import org.seg4j.model.SegModel;

/**
 * A run's folder, as 4uiiurz1's: {@code config.yml} (everything needed to reproduce it), {@code
 * log.csv} (one row per epoch) and {@code checkpoints/} ({@code last}, {@code best} and optional
 * {@code epoch_N}). Every file is written atomically, so a killed run leaves a consistent folder;
 * on resume the log is made to cover the finished epochs exactly once ({@link #reconcileLog}) and
 * the checkpoints are checked against their checksums ({@link #verifyCheckpoints}).
 */
public final class RunFolder {
  /** The config file name. */
  public static final String CONFIG = "config.yml";

  private final Path dir;
  private final List<String> logRows = new ArrayList<>();
  private String logHeader;
  private boolean logRead;

  private RunFolder(Path dir) {
    this.dir = dir;
  }

  /** Opens (or creates) a run folder. */
  public static RunFolder at(Path dir) throws IOException {
    Files.createDirectories(dir.resolve("checkpoints"));
    return new RunFolder(dir);
  }

  /** Opens an existing run folder for eval/predict, failing clearly when it is not one. */
  public static RunFolder existing(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException(dir + " is not a run folder: train one with seg4j train name=NAME");
    }
    if (!Files.exists(dir.resolve(CONFIG))) {
      throw new IOException(
          dir + " has no " + CONFIG + ": it is not a seg4j run folder (" + inside(dir) + ")");
    }
    return at(dir);
  }

  /** The run folders directly inside {@code dir} (e.g. the demo's {@code runs/demo/run}), named. */
  private static String inside(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      List<String> runs =
          s.filter(p -> Files.exists(p.resolve(CONFIG))).map(Path::toString).sorted().toList();
      return runs.isEmpty()
          ? "expected runs/NAME"
          : "the run folder inside it is " + String.join(", ", runs);
    }
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
    logRead = true;
    return "overwrite=true: "
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

  /**
   * The epoch of log.csv's last row, or null when the log has no row (a missing log is empty).
   *
   * @throws IOException naming the file and the line when the log is damaged
   */
  public Integer lastLoggedEpoch() throws IOException {
    readLog();
    return logRows.isEmpty() ? null : LogCsv.epoch(logRows.get(logRows.size() - 1));
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
            + " resume="
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

  /**
   * Makes the log cover the finished epochs exactly once, on resume: rows after {@code epochsDone}
   * (written by an epoch whose resume file was not saved yet, so it runs again) are dropped, a
   * repeated epoch keeps its last row, and rows are put in epoch order. A damaged log fails with
   * one line naming the file and the fix.
   *
   * @return a warning line when finished epochs have no row (lost by a kill in an older seg4j,
   *     which wrote the row after the resume file), or null
   */
  public String reconcileLog(int epochsDone) throws IOException {
    readLog();
    TreeMap<Integer, String> byEpoch = new TreeMap<>();
    for (String r : logRows) {
      int e = LogCsv.epoch(r);
      if (e <= epochsDone) {
        byEpoch.put(e, r);
      }
    }
    List<Integer> missing = new ArrayList<>();
    for (int e = 1; e <= epochsDone; e++) {
      if (!byEpoch.containsKey(e)) {
        missing.add(e);
      }
    }
    List<String> rows = new ArrayList<>(byEpoch.values());
    if (!rows.equals(logRows)) {
      logRows.clear();
      logRows.addAll(rows);
      flushLog();
    }
    if (missing.isEmpty()) {
      return null;
    }
    return String.format(
        Locale.ROOT,
        "warning: %s has no row for epoch%s %s of the %d finished (lost to a kill in an older"
            + " seg4j, which wrote %s after the resume file); the checkpoints hold every epoch,"
            + " only %s of the log %s missing",
        log(),
        missing.size() == 1 ? "" : "s",
        LogCsv.ranges(missing),
        epochsDone,
        missing.size() == 1 ? "the row" : "rows",
        missing.size() == 1 ? "that row" : "those rows",
        missing.size() == 1 ? "is" : "are");
  }

  /**
   * Appends one epoch row; the header is fixed by the first row. A number that is NaN or infinite
   * (no validation this epoch, a class absent from it) is written as an empty cell. The whole log
   * is rewritten atomically, so a kill leaves either the old log or the new one.
   */
  public void appendLog(List<String> header, List<Object> values) throws IOException {
    readLog();
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

  /**
   * One finished epoch as the run folder keeps it.
   *
   * @param number the epoch, counted from 1
   * @param model the trained model
   * @param meta the checkpoints' metadata (epoch, class names, val_miou)
   * @param best whether it is the best epoch so far (it also becomes {@code best})
   * @param periodic whether it also gets its own {@code epoch_NNN} checkpoint
   * @param logHeader the log's columns
   * @param logRow its log.csv row, one value per column
   */
  public record Epoch(
      int number,
      SegModel model,
      Map<String, String> meta,
      boolean best,
      boolean periodic,
      List<String> logHeader,
      List<Object> logRow) {}

  /** Writes the resume file (model, optimiser and trainer state) to the given path. */
  @FunctionalInterface
  public interface ResumeWriter {
    /** Writes the resume file; {@code file} is {@link #trainerState trainerState("last")}. */
    void write(Path file) throws IOException;
  }

  /**
   * Saves a finished epoch, each file atomically and in this order: the {@code last} checkpoint,
   * {@code best} (when it is), {@code epoch_NNN} (when periodic), the log.csv row, then the resume
   * file. A kill between two writes leaves a folder a resume continues from: the resume file,
   * written last, names the epochs the checkpoints hold, and a log row beyond it is dropped on
   * resume (the epoch runs again), so no finished epoch lacks its row.
   *
   * @throws IOException naming the epoch, what failed, and how to resume
   */
  public void saveEpoch(Epoch epoch, ResumeWriter resume) throws IOException {
    int n = epoch.number();
    try {
      Checkpoint.save(checkpoint("last"), epoch.model(), epoch.meta());
      if (epoch.best()) {
        Checkpoint.save(checkpoint("best"), epoch.model(), epoch.meta());
      }
      if (epoch.periodic()) {
        Checkpoint.save(checkpoint(String.format("epoch_%03d", n)), epoch.model(), epoch.meta());
      }
      // The log row comes before the resume file: a kill between the two leaves a row that the
      // resume drops (the epoch runs again), never a finished epoch without its row.
      appendLog(epoch.logHeader(), epoch.logRow());
      // The resume file is written last: it names the epochs the checkpoints above hold.
      resume.write(trainerState("last"));
    } catch (IOException e) {
      throw new IOException(
          String.format(
              Locale.ROOT,
              "epoch %d trained, but saving it failed: %s. Nothing saved before was damaged (the"
                  + " resume file holds epoch %d). Free disk space (or fix the folder), then"
                  + " continue with: seg4j train resume=%s",
              n,
              e.getMessage(),
              n - 1,
              dir),
          e);
    }
  }

  /** Reads and checks log.csv now, so that a damaged one fails before a resume builds anything. */
  public void checkLog() throws IOException {
    readLog();
  }

  /**
   * Reads {@code best}, {@code last} and the resume file in full, so that one whose bytes changed
   * since seg4j wrote it (see {@link SafeTensors}) stops a resume before anything is trained or
   * overwritten; the error names the file, the tensor and what to do.
   */
  public void verifyCheckpoints() throws IOException {
    for (Path f : List.of(checkpoint("best"), checkpoint("last"), trainerState("last"))) {
      if (!Files.isRegularFile(f)) {
        continue;
      }
      try {
        SafeTensors.read(f);
      } catch (DamagedTensorException e) {
        if (f.equals(trainerState("last"))) {
          throw e;
        }
        List<Path> others = SafeTensors.checkpointsBeside(f);
        throw new DamagedTensorException(
            f,
            e.tensor(),
            e.problem(),
            "the run cannot resume with it: delete it"
                + (others.isEmpty()
                    ? ""
                    : ", or copy another checkpoint of the run over it, e.g. "
                        + SafeTensors.describe(others)
                        + ",")
                + " then resume again");
      }
    }
  }

  /** Reads log.csv once, checking it (see {@link LogCsv#read}). */
  private void readLog() throws IOException {
    if (logRead) {
      return;
    }
    LogCsv.Contents c = LogCsv.read(log());
    logHeader = c.header();
    logRows.addAll(c.rows());
    logRead = true;
  }

  private void flushLog() throws IOException {
    if (logHeader == null) {
      return;
    }
    StringBuilder sb = new StringBuilder(logHeader).append('\n');
    for (String r : logRows) {
      sb.append(r).append('\n');
    }
    byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
    AtomicFiles.write(
        log(),
        out -> {
          int half = bytes.length / 2;
          out.write(bytes, 0, half);
          out.flush();
          TestPause.at("log-append", log());
          out.write(bytes, half, bytes.length - half);
        });
  }
}
