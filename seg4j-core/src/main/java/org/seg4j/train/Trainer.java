package org.seg4j.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import me.tongfei.progressbar.ProgressBar;
import org.seg4j.augment.AugmentConfig;
import org.seg4j.augment.Normalize;
import org.seg4j.augment.PairedTransform;
import org.seg4j.data.CheckReport;
import org.seg4j.data.FileDataset;
import org.seg4j.data.Problem;
import org.seg4j.data.loader.Batch;
import org.seg4j.data.loader.CachedSource;
import org.seg4j.data.loader.Loader;
import org.seg4j.data.loader.LoaderConfig;
import org.seg4j.data.loader.SampleSource;
import org.seg4j.engine.Engines;
import org.seg4j.engine.NativeMemory;
import org.seg4j.infer.Network;
import org.seg4j.infer.Predictor;
import org.seg4j.infer.TileOptions;
import org.seg4j.io.ProgressBars;
import org.seg4j.io.TestPause;
import org.seg4j.loss.DeepSupervision;
import org.seg4j.loss.SegLoss;
import org.seg4j.model.ModelRegistry;
import org.seg4j.model.SegModel;
import org.seg4j.run.InferenceSpec;
import org.seg4j.run.LossConfig;
import org.seg4j.run.RunFolder;
import org.seg4j.run.RunLock;
import org.seg4j.run.TrainConfig;
import org.seg4j.train.optim.Optimizer;
import org.seg4j.train.schedule.Warmup;

/**
 * The training loop, nnU-Net style: one class with clear steps (build data, model, loss, optimiser,
 * schedule; train an epoch; validate; end an epoch). Each batch lives in its own NDManager. Every
 * epoch writes {@code last} (and {@code best} on a better validation mIoU) atomically, then its
 * log.csv row, then a resume file; a run killed at any moment resumes exactly with {@link #resume},
 * its log holding one row per finished epoch. A NaN or infinite loss, a loss over {@link
 * #MAX_GROWTH} times its first value or a weight beyond {@link #MAX_WEIGHT} stops the run, naming
 * the epoch and batch, with the last good checkpoint kept (checkpoints are only written at the end
 * of an epoch whose every step passed these checks).
 */
public final class Trainer implements AutoCloseable {
  /** What a finished run reports. */
  public record Result(
      Path runDir,
      int epochs,
      double bestMiou,
      double lastMiou,
      double trainImgPerS,
      boolean stoppedEarly) {}

  private final TrainConfig cfg;
  private final RunFolder run;
  private final PrintStream out;
  private final NDManager base;
  private final SegModel model;
  private final Optimizer optimizer;
  private final Warmup schedule;
  private final SegLoss loss;
  private final DeepSupervision deep;
  private final FileDataset trainSet;
  private final FileDataset valSet;
  private final PairedTransform trainTransform;
  private final Normalize normalize;

  /** The checkpoint metadata inference needs; fixed for the run, so made once. */
  private final Map<String, String> inferenceMetadata;

  private final Loader loader;
  private final IntFunction<Loader> loaderWithBatch;
  private final FreezePhases phases;
  private Loader phaseLoader;

  /** Decoded training sets up to this size are kept in memory (data.cache). */
  static final long CACHE_BUDGET = 2L << 30;

  private final long seed;
  private final int ignoreIndex;

  /** The run folder's lock, held from start or resume until close. */
  private RunLock lock;

  private TrainState state;

  /** A loss this many times the run's first one stops the run, as a NaN does. */
  static final double MAX_GROWTH = 1e6;

  /** A weight beyond this magnitude stops the run, as a NaN loss does. */
  static final double MAX_WEIGHT = 1e6;

  /** The first finite loss of this process's training, the yardstick of {@link #MAX_GROWTH}. */
  private double firstLoss = Double.NaN;

  /** The images the last trained epoch stepped on (its train img/s counts these). */
  private long epochImages;

  /** Where step time goes (train.profile), or null. */
  private final StepProfile profile;

  private Trainer(TrainConfig cfg, RunFolder run, PrintStream out, boolean resume)
      throws IOException {
    this.cfg = cfg;
    this.run = run;
    this.out = out;
    this.seed = cfg.seed();
    this.ignoreIndex = cfg.data().ignoreIndex();
    this.profile =
        cfg.training().profile() ? new StepProfile(run.dir().resolve("libtorch-trace.json")) : null;
    Engines.setThreads(cfg.threads());
    NativeMemory.forTraining();
    Device device = Engines.device(cfg.device());
    DataSetup.Checked train = DataSetup.check(cfg, "train", true);
    DataSetup.Checked val = DataSetup.check(cfg, "val", false);
    this.trainSet = train.data();
    this.valSet = val == null ? null : val.data();
    LoaderConfig lc =
        new LoaderConfig(
            cfg.training().batch(),
            cfg.data().workers(),
            cfg.data().prefetch(),
            seed,
            true,
            cfg.data().samplesPerEpoch(),
            cfg.data().dropLast());
    int drawn = lc.samplesFor(trainSet.size());
    if (lc.dropLast() && drawn < lc.batchSize()) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "data.drop_last drops every batch: an epoch draws %d training images, fewer than"
                  + " train.batch %d; lower train.batch or set data.drop_last=false",
              drawn,
              lc.batchSize()));
    }
    Set<Problem> listed = new HashSet<>();
    train.remarks("the training set", false, listed).forEach(out::println);
    if (val != null) {
      val.remarks("the validation set", true, listed).forEach(out::println);
    }
    AugmentConfig aug = cfg.augmentConfig();
    this.normalize = aug.normalize();
    this.inferenceMetadata = InferenceSpec.of(cfg, trainSet.classNames().names()).toMetadata();
    CheckReport report = needsAutoWeights(cfg) ? train.report() : null;
    this.loss =
        Recipe.loss(
            cfg,
            report == null ? null : report.classWeights(),
            report == null ? 1.0 : report.posWeight());
    this.base = NDManager.newBaseManager(device);
    Engine.getInstance().setRandomSeed((int) seed);
    this.model = ModelRegistry.create(cfg.modelConfig());
    int side = model.nearestSide(256);
    model.init(base, model.config().inChannels(), side);
    this.trainTransform = Recipe.trainPipeline(aug, model);
    this.phases = FreezePhases.of(cfg, model);
    Path stateFile = run.trainerState("last");
    boolean restore = resume && Files.exists(stateFile);
    if (!restore) {
      WarmStart.apply(cfg, model, out);
    }
    double[] dsw = cfg.loss().deepSupervisionWeights();
    this.deep = new DeepSupervision(loss, dsw);
    this.optimizer = Recipe.optimizer(cfg, model.stateDict());
    this.schedule = Recipe.schedule(cfg);
    SampleSource source =
        cfg.data().cache() ? CachedSource.ifFits(trainSet, CACHE_BUDGET) : trainSet;
    var pixelWeights = Recipe.pixelWeights(cfg, loss);
    this.loaderWithBatch =
        b ->
            new Loader(
                source,
                trainTransform,
                pixelWeights,
                new LoaderConfig(
                    b,
                    lc.workers(),
                    lc.prefetch(),
                    lc.seed(),
                    lc.shuffle(),
                    lc.samplesPerEpoch(),
                    lc.dropLast()),
                base);
    this.loader = loaderWithBatch.apply(lc.batchSize());
    this.state = new TrainState(0, Double.NaN, 0, Map.of());
    if (resume) {
      if (restore) {
        state = TrainState.load(stateFile, model, optimizer);
        schedule.restore(state.schedule());
      } else {
        out.printf(
            "%s has no %s: the run ended before its first epoch was saved, so it starts from"
                + " epoch 1 with its config.yml%n",
            run.dir(), run.dir().relativize(stateFile));
      }
      String missing = run.reconcileLog(state.epochsDone());
      if (missing != null) {
        out.println(missing);
      }
    }
  }

  private static boolean needsAutoWeights(TrainConfig c) {
    LossConfig loss = c.loss();
    return "auto".equals(loss.classWeights().asText()) || "auto".equals(loss.posWeight().asText());
  }

  /**
   * Checks what can be checked without data before a run folder is made: the head and loss fit, the
   * architecture and its options, the optimiser and schedule names. Returns the (uninitialised)
   * model, whose tensor names and shapes later checks use.
   */
  static SegModel preflight(TrainConfig cfg) {
    Recipe.checkHead(cfg);
    SegModel model = ModelRegistry.create(cfg.modelConfig());
    Recipe.schedule(cfg);
    return model;
  }

  /**
   * Starts a new run in {@code runDir} (which must not hold a run already). The config is checked
   * (head and loss, freeze keys, {@code model.init_from}, data paths) before anything is written.
   */
  public static Trainer start(TrainConfig config, Path runDir, PrintStream out) throws IOException {
    return start(config, runDir, out, false);
  }

  /**
   * Starts a new run in {@code runDir}; with {@code overwrite}, a folder whose run never finished
   * an epoch (it diverged or was stopped in epoch 1) is cleared and reused. A run with a finished
   * epoch is never overwritten.
   */
  public static Trainer start(TrainConfig config, Path runDir, PrintStream out, boolean overwrite)
      throws IOException {
    config.checkRanges(); // lr > 0, threads >= 0, finite numbers...: refused before anything
    // an uninitialised model has every tensor's name and shape: enough to check against
    SegModel shapes = preflight(config);
    FreezePhases.of(config, shapes);
    TrainConfig cfg = WarmStart.check(config, shapes);
    cfg = DataSetup.resolve(cfg); // config.yml names the files used, absolute; refusals come first
    boolean existed = Files.exists(runDir);
    RunFolder r = RunFolder.at(runDir);
    RunLock lock = RunLock.take(runDir); // a busy run is refused here, nothing touched
    if (Files.exists(r.config())) {
      int done = RunExtension.epochsDone(r);
      if (!overwrite || done > 0) {
        lock.close();
        throw new IOException(
            runDir
                + " already holds a run"
                + (done > 0 ? " with " + done + " finished epoch" + (done == 1 ? "" : "s") : "")
                + ": resume it with resume="
                + runDir
                + ", or pick another name=NAME"
                + (done > 0
                    ? " (overwrite=true only replaces a run that never finished an epoch)"
                    : ", or start it anew with overwrite=true (it never finished an epoch)"));
      }
      out.println(r.clearUnfinished());
    }
    try {
      r.writeConfig(cfg.toYaml());
      Trainer t = new Trainer(cfg, r, out, false);
      t.lock = lock;
      return t;
    } catch (IOException | RuntimeException e) {
      // a run that never started leaves nothing behind, so the fixed command can reuse the name
      Files.deleteIfExists(r.config());
      lock.discard();
      deleteIfEmpty(runDir.resolve("checkpoints"));
      if (!existed) {
        deleteIfEmpty(runDir);
      }
      throw e;
    }
  }

  private static void deleteIfEmpty(Path dir) throws IOException {
    try (var entries = Files.list(dir)) {
      if (entries.findAny().isEmpty()) {
        Files.delete(dir);
      }
    }
  }

  /** Resumes the run in {@code runDir} from its last completed epoch. */
  public static Trainer resume(Path runDir, PrintStream out) throws IOException {
    return resume(runDir, out, ResumeOptions.NONE);
  }

  /**
   * Resumes the run in {@code runDir} from its last completed epoch, to a new total of epochs when
   * {@code options} give one ({@link RunExtension}: checked before anything is written, recorded in
   * config.yml once the run is set up).
   */
  public static Trainer resume(Path runDir, PrintStream out, ResumeOptions options)
      throws IOException {
    RunFolder r = RunFolder.existing(runDir);
    RunLock lock = RunLock.take(runDir);
    try {
      String removed = r.removeStaleTemps();
      if (removed != null) {
        out.println(removed);
      }
      Trainer t = resumeLocked(r, out, options);
      t.lock = lock;
      return t;
    } catch (IOException | RuntimeException e) {
      lock.close();
      throw e;
    }
  }

  private static Trainer resumeLocked(RunFolder r, PrintStream out, ResumeOptions options)
      throws IOException {
    // a hand-edited config.yml is held to the ranges a new run is (the typed reads rely on them)
    TrainConfig cfg = TrainConfig.load(r.config()).checkRanges();
    r.checkLog();
    r.verifyCheckpoints();
    RunExtension ext = RunExtension.plan(cfg, r, options);
    TrainConfig use = ext == null ? cfg.copy() : ext.config().copy();
    if (options.noProgress()) {
      use.set("train.progress", "false");
    }
    Trainer t = new Trainer(use, r, out, true);
    if (ext != null) {
      try {
        t.schedule.rebase(ext.lrRatio());
        ext.commit(r, out);
      } catch (IOException | RuntimeException e) {
        t.close();
        throw e;
      }
    }
    return t;
  }

  /** The model being trained. */
  public SegModel model() {
    return model;
  }

  /** The run folder. */
  public RunFolder runFolder() {
    return run;
  }

  /** Trains up to {@code train.epochs}, validating, checkpointing and logging each epoch. */
  public Result fit() throws IOException {
    int epochs = cfg.training().epochs();
    int valEvery = Math.max(1, cfg.training().valEvery());
    int saveEvery = cfg.training().saveEvery();
    int earlyStop = cfg.training().earlyStop();
    double maxMinutes = cfg.training().maxMinutes();
    long started = System.nanoTime();
    double seen = 0;
    double seconds = 0;
    double lastMiou = Double.NaN;
    boolean stopped = false;
    out.printf(
        Locale.ROOT,
        "seg4j train: %s (%,d parameters) on %d images (%s)%s, %d epochs from epoch %d, run %s%n",
        model.config().arch(),
        model.parameterCount(),
        trainSet.size(),
        DataSetup.describe(cfg, "train"),
        valSet == null
            ? ""
            : ", validating on " + valSet.size() + " (" + DataSetup.describe(cfg, "val") + ")",
        epochs,
        state.epochsDone() + 1,
        run.dir());
    if (valSet == null) {
      out.printf(
          "no validation set (%s): no val metrics, and no best checkpoint (eval and predict use"
              + " last)%n",
          DataSetup.describe(cfg, "val"));
    }
    for (int epoch = state.epochsDone(); epoch < epochs; epoch++) {
      phases.enter(epoch, epochs, model, out);
      Loader epochLoader = loaderFor(epoch);
      long t0 = System.nanoTime();
      // the rate the epoch starts at, logged as its lr (plateau changes it once validated)
      double epochLr = lr(epoch, 0);
      double trainLoss = trainEpoch(epoch, epochs, epochLoader);
      double sec = (System.nanoTime() - t0) / 1e9;
      seen += epochImages;
      seconds += sec;
      boolean due = (epoch + 1) % valEvery == 0 || epoch + 1 == epochs;
      Validator.Result val = endEpoch(epoch, due, epochLr, trainLoss, sec, saveEvery);
      if (val != null) {
        lastMiou = val.metrics().meanIoU();
      }
      double best = state.bestMiou();
      int bad = state.badValidations();
      if (maxMinutes > 0 && (System.nanoTime() - started) / 6e10 >= maxMinutes) {
        out.printf(
            Locale.ROOT,
            "time budget of %.1f min reached after epoch %d: stopping%n",
            maxMinutes,
            epoch + 1);
        stopped = true;
        break;
      }
      if (earlyStop > 0 && bad >= earlyStop) {
        out.printf(
            Locale.ROOT,
            "early stop: no better validation mIoU for %d validations (best %.4f)%n",
            bad,
            best);
        stopped = true;
        break;
      }
    }
    if (profile != null) {
      profile.table().forEach(out::println);
      Path file = run.dir().resolve("profile.json");
      RunFolder.writeText(file, profile.json());
      out.println("  (also in " + file + ")");
    }
    double ips = seconds == 0 ? 0 : seen / seconds;
    out.printf(
        Locale.ROOT,
        "done: %s, %.2f train img/s; run folder %s%n",
        valSet == null
            ? "no validation"
            : "best val mIoU " + miou(state.bestMiou()) + ", last " + miou(lastMiou),
        ips,
        run.dir());
    return new Result(run.dir(), state.epochsDone(), state.bestMiou(), lastMiou, ips, stopped);
  }

  /** An mIoU for the console; "none" before any validation (never NaN). */
  private static String miou(double v) {
    return Double.isNaN(v) ? "none" : String.format(Locale.ROOT, "%.4f", v);
  }

  /** The loader of an epoch: train.batch, or train.freeze_batch while the encoder is frozen. */
  private Loader loaderFor(int epoch) {
    int b = phases.batch(epoch);
    if (b == loader.config().batchSize()) {
      if (phaseLoader != null) {
        phaseLoader.close();
        phaseLoader = null;
      }
      return loader;
    }
    if (phaseLoader == null) {
      phaseLoader = loaderWithBatch.apply(b);
    }
    return phaseLoader;
  }

  /** The learning rate at a point of an epoch: the schedule's, scaled in frozen epochs. */
  private double lr(int epoch, double fraction) {
    return phases.lrScale(epoch) * schedule.lr(epoch, fraction);
  }

  private double trainEpoch(int epoch, int epochs, Loader loader) throws IOException {
    // Reseeding per epoch makes dropout and anything random on the engine a function of
    // (seed, epoch), so a resumed run repeats an uninterrupted one exactly.
    Engine.getInstance().setRandomSeed((int) (seed * 7919 + epoch));
    int batches = loader.batchesPerEpoch();
    double sum = 0;
    int n = 0;
    epochImages = 0;
    long t0 = System.nanoTime();
    double clip = cfg.training().clipGrad();
    try (ProgressBar bar = progress(epoch, epochs, batches)) {
      Iterator<Batch> it = loader.epoch(epoch);
      for (int b = 0; it.hasNext(); b++) {
        optimizer.setLr((float) lr(epoch, (double) b / batches));
        if (profile != null) {
          profile.begin(loader);
        }
        Batch next = it.next();
        if (profile != null) {
          profile.fetched(loader);
        }
        try (Batch batch = next) {
          float l = step(batch, clip);
          if (!Float.isFinite(l)) {
            throw diverged("the loss became " + l, epoch, b, batch);
          }
          if (Double.isNaN(firstLoss)) {
            firstLoss = l;
          } else if (firstLoss > 0 && l > MAX_GROWTH * firstLoss) {
            throw diverged(
                String.format(
                    Locale.ROOT,
                    "the loss grew to %.4g, over %.0e times its first value %.4g,",
                    l,
                    MAX_GROWTH,
                    firstLoss),
                epoch,
                b,
                batch);
          }
          double w = optimizer.maxAbsWeight();
          if (!(w <= MAX_WEIGHT)) {
            throw diverged(
                String.format(
                    Locale.ROOT, "a weight reached %.4g (over %.0e in magnitude)", w, MAX_WEIGHT),
                epoch,
                b,
                batch);
          }
          sum += l;
          n++;
          epochImages += batch.images().getShape().get(0);
          lap(StepProfile.Part.CHECKS);
        }
        if (profile != null) {
          profile.lap(StepProfile.Part.RELEASE);
          profile.end(loader, next.images().getShape());
        }
        TestPause.at("mid-epoch", run.log());
        if (bar != null) {
          double ips = epochImages / ((System.nanoTime() - t0) / 1e9);
          bar.step();
          bar.setExtraMessage(String.format(Locale.ROOT, "loss %.4f %.1f img/s", sum / n, ips));
        }
      }
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  /** A run stopped like a NaN loss: what happened, where, the last good checkpoint and the fix. */
  private TrainingDivergedException diverged(String what, int epoch, int b, Batch batch) {
    return new TrainingDivergedException(
        String.format(
            Locale.ROOT,
            "%s at epoch %d, batch %d (images %s): training stopped. %s"
                + " Lower optimizer.lr (now %g), set train.clip_grad, or check the data.",
            what,
            epoch + 1,
            b + 1,
            batch.ids(),
            Files.exists(run.checkpoint("last"))
                ? "The last good checkpoint is " + run.checkpoint("last") + "."
                : "No epoch was saved yet, so there is no checkpoint: start again with the"
                    + " same command and overwrite=true (or pick another name=NAME).",
            optimizer.lr()));
  }

  private ProgressBar progress(int epoch, int epochs, int batches) {
    if (!cfg.training().progress() || System.console() == null) {
      return null;
    }
    return ProgressBars.builder(
            String.format(Locale.ROOT, "epoch %d/%d", epoch + 1, epochs), batches)
        .setUpdateIntervalMillis(500)
        .continuousUpdate()
        .build();
  }

  private float step(Batch batch, double clip) {
    float v;
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      NDList heads = model.forwardAll(new NDList(batch.images()), true);
      // a valid-convolution model scores only the centre its logits cover (the rest is context)
      Shape out = heads.get(0).getShape();
      NDArray labels = centre(batch.labels(), out.get(2), out.get(3));
      NDArray weights =
          batch.weights() == null ? null : centre(batch.weights(), out.get(2), out.get(3));
      lap(StepProfile.Part.FORWARD);
      NDArray l =
          heads.size() > 1
              ? deep.compute(heads, labels, weights)
              : loss.compute(heads.singletonOrThrow(), labels, weights);
      v = l.getFloat();
      lap(StepProfile.Part.LOSS);
      if (!Float.isFinite(v)) {
        return v;
      }
      gc.backward(l);
    }
    lap(StepProfile.Part.BACKWARD);
    if (clip > 0) {
      optimizer.clipGradNorm(clip);
    }
    optimizer.step();
    lap(StepProfile.Part.OPTIMIZER);
    return v;
  }

  /** Adds the time since the last mark to {@code part} when profiling. */
  private void lap(StepProfile.Part part) {
    if (profile != null) {
      profile.lap(part);
    }
  }

  /** The centre {@code h × w} window of an {@code (N, H, W)} array; itself when it fits. */
  static NDArray centre(NDArray t, long h, long w) {
    long th = t.getShape().get(1);
    long tw = t.getShape().get(2);
    if (th == h && tw == w) {
      return t;
    }
    if (th < h || tw < w || (th - h) % 2 != 0 || (tw - w) % 2 != 0) {
      throw new IllegalStateException(
          "labels " + t.getShape() + " cannot be centre-cropped to the logits' " + h + "x" + w);
    }
    long y0 = (th - h) / 2;
    long x0 = (tw - w) / 2;
    return t.get(new NDIndex(":, {}:{}, {}:{}", y0, y0 + h, x0, x0 + w));
  }

  private Validator.Result validate() {
    TileOptions whole = TileOptions.whole().withThreshold(cfg.model().threshold());
    Predictor p = new Predictor(Network.of(model), base, whole);
    return Validator.run(
        p, valSet, normalize, Recipe.dataClasses(cfg), ignoreIndex, valSet.classNames().names());
  }

  /**
   * Ends an epoch: validates (when {@code due} and there is a validation set), saves the epoch in
   * the run folder, and reports it on the console.
   *
   * @return the validation, or null when there was none
   */
  private Validator.Result endEpoch(
      int epoch, boolean due, double epochLr, double trainLoss, double sec, int saveEvery)
      throws IOException {
    Validator.Result val = valSet != null && due ? validate() : null;
    boolean improved = advance(epoch, val);
    boolean periodic = saveEvery > 0 && (epoch + 1) % saveEvery == 0;
    run.saveEpoch(
        savedEpoch(epoch, epochLr, trainLoss, val, sec, improved, periodic),
        file -> state.save(file, model, optimizer));
    report(epoch, epochLr, trainLoss, val, sec, improved);
    return val;
  }

  /**
   * Moves the trainer state past {@code epoch}: the best mIoU, the validations without improvement
   * and the schedule (which observes the validation).
   *
   * @return whether the validation is the best so far
   */
  private boolean advance(int epoch, Validator.Result val) {
    boolean improved = false;
    double miou = Double.NaN;
    if (val != null) {
      miou = val.metrics().meanIoU();
      improved = Double.isNaN(state.bestMiou()) || miou > state.bestMiou();
      schedule.observe(epoch, miou);
    }
    double best = improved ? miou : state.bestMiou();
    int bad = val == null ? state.badValidations() : improved ? 0 : state.badValidations() + 1;
    state = new TrainState(epoch + 1, best, bad, schedule.state());
    return improved;
  }

  /** What the run folder keeps of an epoch: the checkpoints' metadata and the log.csv row. */
  private RunFolder.Epoch savedEpoch(
      int epoch,
      double epochLr,
      double trainLoss,
      Validator.Result val,
      double sec,
      boolean improved,
      boolean periodic) {
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("epoch", Integer.toString(epoch + 1));
    meta.putAll(inferenceMetadata);
    if (val != null) {
      meta.put("val_miou", Double.toString(val.metrics().meanIoU()));
    }
    List<String> header =
        new ArrayList<>(List.of("epoch", "lr", "train_loss", "val_loss", "val_miou"));
    List<Object> row = new ArrayList<>();
    row.add(epoch + 1);
    row.add(epochLr);
    row.add(trainLoss);
    row.add(val == null ? Double.NaN : val.loss());
    row.add(val == null ? Double.NaN : val.metrics().meanIoU());
    for (int k = 0; k < Recipe.dataClasses(cfg); k++) {
      header.add("iou_" + trainSet.classNames().name(k).replace(',', '_'));
      row.add(val == null ? Double.NaN : val.metrics().iou()[k]);
    }
    if (binary()) {
      // a sigmoid head is judged on its foreground, as pytorch-nested-unet reports it
      header.addAll(List.of("fg_dice", "fg_precision", "fg_recall"));
      row.add(val == null ? Double.NaN : val.metrics().dice()[1]);
      row.add(val == null ? Double.NaN : val.metrics().precision()[1]);
      row.add(val == null ? Double.NaN : val.metrics().recall()[1]);
    }
    header.add("seconds");
    row.add(sec);
    return new RunFolder.Epoch(epoch + 1, model, meta, improved, periodic, header, row);
  }

  /** A sigmoid head (one output class). */
  private boolean binary() {
    return model.config().classes() == 1;
  }

  /** The epoch's line on the console. */
  private void report(
      int epoch,
      double epochLr,
      double trainLoss,
      Validator.Result val,
      double sec,
      boolean improved) {
    out.printf(
        Locale.ROOT,
        "epoch %d: lr %.3g train_loss %.4f%s %.1fs%s%n",
        epoch + 1,
        epochLr,
        trainLoss,
        val == null
            ? ""
            : String.format(
                    Locale.ROOT,
                    " val_loss %.4f val_mIoU %.4f",
                    val.loss(),
                    val.metrics().meanIoU())
                + (binary()
                    ? String.format(
                        Locale.ROOT,
                        " fg_IoU %.4f fg_Dice %.4f (threshold %.2f)",
                        val.metrics().iou()[1],
                        val.metrics().dice()[1],
                        cfg.model().threshold())
                    : ""),
        sec,
        improved ? " (best)" : "");
  }

  @Override
  public void close() {
    if (phaseLoader != null) {
      phaseLoader.close();
    }
    loader.close();
    base.close();
    if (lock != null) {
      try {
        lock.close();
      } catch (IOException e) {
        out.println("note: could not release " + run.dir().resolve(RunLock.FILE) + ": " + e);
      }
    }
  }
}
