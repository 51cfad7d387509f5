package org.seg4j.cli;

import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.seg4j.run.TrainConfig;
import org.seg4j.train.ResumeOptions;
import org.seg4j.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code seg4j train}: trains a model from a YAML config and/or flags into runs/NAME. */
@Command(
    mixinStandardHelpOptions = true,
    name = "train",
    description = {
      "Train a segmentation model. Settings come from the built-in defaults, then --config FILE,"
          + " then flags (flags win). The run folder runs/NAME gets config.yml, log.csv and"
          + " checkpoints/; a killed run continues with --resume runs/NAME, and --resume"
          + " runs/NAME --epochs N trains it on to N epochs in total.",
      "--init-from starts a new run from another model's weights."
    })
final class TrainCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--config", description = "YAML config (see configs/ and the README)")
  Path config;

  @Option(
      names = "--resume",
      paramLabel = "RUN",
      description =
          "continue the run in this folder from its last epoch as its config.yml says; --epochs N"
              + " (a new total), --lr and --set of train.early_stop, train.save_every,"
              + " train.val_every, train.max_minutes, train.clip_grad, data.workers or"
              + " data.prefetch change the rest of the run (recorded in config.yml's history)")
  Path resume;

  @Option(
      names = "--init-from",
      paramLabel = "RUN_OR_FILE",
      description =
          "start this new run from another model's weights: a run folder (its best checkpoint,"
              + " else last; seg4j import makes one from another repository's .pth), a seg4j"
              + " checkpoint or a state_dict with seg4j's names (.safetensors or .pth); every"
              + " tensor must fit by name and shape; the optimizer starts fresh (model.init_from)")
  String initFrom;

  @Option(
      names = "--init-partial",
      description =
          "with --init-from: load only the tensors that fit by name and shape and print the"
              + " others (model.init_partial)")
  boolean initPartial;

  @Option(
      names = "--overwrite",
      description =
          "start anew in a run folder whose run never finished an epoch (e.g. it diverged in"
              + " epoch 1); a run with a finished epoch is never overwritten")
  boolean overwrite;

  @Option(names = "--name", description = "run name (default: the config's name)")
  String name;

  @Option(names = "--runs", defaultValue = "runs", description = "where run folders go")
  Path runs;

  @Option(names = "--data", description = "dataset folder (data.root)")
  String data;

  @Option(names = "--format", description = "voc, folder, per-class or per-instance")
  String format;

  @Option(names = "--mask", description = "index, binary255, threshold:N, palette or rgb")
  String mask;

  @Option(names = "--arch", description = "architecture (seg4j models)")
  String arch;

  @Option(names = "--base", description = "base width")
  Integer base;

  @Option(names = "--classes", description = "number of classes")
  Integer classes;

  @Option(names = "--in-channels", description = "input channels (1 grey, 3 RGB)")
  Integer inChannels;

  @Option(
      names = "--epochs",
      description = "epochs; with --resume the new total to train the run on to")
  Integer epochs;

  @Option(names = "--batch", description = "batch size")
  Integer batch;

  @Option(names = "--lr", description = "learning rate")
  Double lr;

  @Option(names = "--optimizer", description = "adam, adamw or sgd")
  String optimizer;

  @Option(names = "--loss", description = "ce, bce, focal, dice, ce+dice, bce+dice, lovasz, ...")
  String loss;

  @Option(names = "--schedule", description = "constant, step, multistep, cosine, poly, plateau")
  String schedule;

  @Option(
      names = "--encoder-weights",
      paramLabel = "FILE",
      description =
          "a torchvision vgg16/vgg16_bn state_dict (.pth or .safetensors) for the VGG16 encoder of"
              + " fcn8s/16s/32s or vgg16-unet (model.encoder_weights)")
  String encoderWeights;

  @Option(names = "--seed", description = "random seed")
  Long seed;

  @Option(names = "--device", description = "auto, cpu or gpu")
  String device;

  @Option(names = "--threads", description = "libtorch threads (0: all cores)")
  Integer threads;

  @Option(names = "--no-progress", description = "no progress bar (for logs)")
  boolean noProgress;

  @Option(
      names = "--profile",
      description =
          "print where a training step's time goes and write profile.json (train.profile)")
  boolean profile;

  @Option(
      names = "--skip-bad",
      description =
          "skip bad images and masks, naming each at the start, instead of failing"
              + " (data.skip_bad)")
  boolean skipBad;

  @Option(
      names = {"-s", "--set"},
      description = "any config key, e.g. --set train.val_every=2 --set schedule.name=cosine")
  Map<String, String> set = new LinkedHashMap<>();

  @Override
  public Integer call() throws Exception {
    if (resume != null) {
      ResumeFlags.check(spec.commandLine().getParseResult(), resume, set);
      Map<String, String> changes = new LinkedHashMap<>();
      if (lr != null) {
        // as typed (0.0005, not 5.0E-4), for the history line
        changes.put(
            "optimizer.lr",
            spec.commandLine().getParseResult().matchedOption("--lr").stringValues().get(0));
      }
      changes.putAll(set);
      try (Trainer t =
          Trainer.resume(
              resume,
              Hints.adapting(System.out, spec),
              new ResumeOptions(epochs, noProgress, changes))) {
        t.fit();
      }
      return 0;
    }
    TrainConfig cfg = TrainConfig.load(config);
    cfg.setIf("name", name)
        .setIf("data.root", data)
        .setIf("data.format", format)
        .setIf("data.mask", mask)
        .setIf("model.arch", arch)
        .setIf("model.base", base)
        .setIf("model.classes", classes)
        .setIf("data.channels", inChannels)
        .setIf("train.epochs", epochs)
        .setIf("train.batch", batch)
        .setIf("optimizer.lr", lr)
        .setIf("optimizer.name", optimizer)
        .setIf("loss.name", loss)
        .setIf("schedule.name", schedule)
        .setIf("model.encoder_weights", encoderWeights)
        .setIf("seed", seed)
        .setIf("device", device)
        .setIf("threads", threads);
    if (initFrom != null) {
      cfg.set("model.init_from", TextNode.valueOf(initFrom).toString());
    }
    if (initPartial) {
      cfg.set("model.init_partial", "true");
    }
    if (noProgress) {
      cfg.set("train.progress", "false");
    }
    if (skipBad) {
      cfg.set("data.skip_bad", "true");
    }
    if (profile) {
      cfg.set("train.profile", "true");
    }
    set.forEach(cfg::set);
    cfg.warnings().forEach(w -> System.out.println(Hints.adapt("note: " + w, spec)));
    Path dir = runs.resolve(cfg.name());
    try (Trainer t = Trainer.start(cfg, dir, Hints.adapting(System.out, spec), overwrite)) {
      t.fit();
    }
    return 0;
  }
}
