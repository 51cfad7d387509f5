package org.seg4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.seg4j.export.OnnxExport;
import org.seg4j.infer.LoadedModel;
import org.seg4j.infer.TileOptions;
import org.seg4j.model.SegModel;
import org.seg4j.run.InferenceSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code seg4j export}: writes a trained run's model as a standard ONNX file ({@link OnnxExport}),
 * with its class names and normalisation in the model's metadata.
 */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description =
        "Export a trained run's model as an ONNX graph: input 'image' (N, C, H, W) float32,"
            + " output 'logits' (N, K, H, W); class names, normalisation and seg4j's version in"
            + " its metadata.")
final class ExportCommand implements Callable<Integer> {
  private static final int DEFAULT_SIDE = 256;

  @Option(names = "--run", description = "the run folder (runs/NAME)")
  Path run;

  @Option(
      names = "--checkpoint",
      description = "a checkpoint file (default: the run's best, else last); alone without --run")
  Path checkpoint;

  @Option(names = "--format", defaultValue = "onnx", description = "the file format: onnx")
  String format;

  @Option(names = "--out", required = true, description = "the file to write, e.g. model.onnx")
  Path out;

  @Option(
      names = "--size",
      description =
          "the traced input size HxW (default: the run's trained size, else 256), rounded to the"
              + " model's side rule")
  String size;

  @Option(names = "--dynamic-size", description = "symbolic H and W: any valid size at run time")
  boolean dynamicSize;

  @Option(
      names = "--opset",
      description = "the ONNX opset (default: the lowest that has every op of the graph)")
  Integer opset;

  @Option(
      names = "--fold-normalize",
      description = "put the run's normalisation into the graph (Sub/Div at the input)")
  boolean foldNormalize;

  @Option(names = "--prune-level", description = "U-Net++ pruned inference level 1..4")
  Integer pruneLevel;

  @Override
  public Integer call() throws Exception {
    if (!format.equals("onnx")) {
      throw new IllegalArgumentException(
          "--format " + format + " is not one seg4j writes: use --format onnx");
    }
    if (run == null && checkpoint == null) {
      throw new IllegalArgumentException(
          "export needs a model: give --run runs/NAME or --checkpoint FILE");
    }
    if (Files.isDirectory(out)) {
      throw new IllegalArgumentException(
          "--out " + out + " is a folder: give a file name, e.g. " + out.resolve("model.onnx"));
    }
    try (LoadedModel seg =
        run != null
            ? LoadedModel.fromRun(run, checkpoint, "cpu", TileOptions.whole())
            : LoadedModel.fromCheckpoint(checkpoint, "cpu", TileOptions.whole())) {
      if (pruneLevel != null) {
        seg.setPruneLevel(pruneLevel);
      }
      SegModel model = seg.model();
      InferenceSpec spec = seg.spec();
      int[] hw = size(spec);
      int h = model.nearestSide(hw[0]);
      int w = model.nearestSide(hw[1]);
      OnnxExport.Result r =
          OnnxExport.write(
              model,
              spec,
              new OnnxExport.Options(h, w, dynamicSize, opset == null ? 0 : opset, foldNormalize),
              out);
      long[] o = r.outputShape();
      System.out.printf(
          "exported %s (%s) to %s: opset %d, image (N, %d, %s) -> logits (N, %d, %s)%s%n",
          run != null ? run : checkpoint,
          model.config().arch(),
          out,
          r.opset(),
          model.config().inChannels(),
          dynamicSize ? "H, W" : h + ", " + w,
          o[1],
          dynamicSize ? "H, W" : o[2] + ", " + o[3],
          foldNormalize && spec.normalize() != null ? ", normalisation in the graph" : "");
    }
    return 0;
  }

  private int[] size(InferenceSpec spec) {
    if (size == null) {
      return spec.resize() != null
          ? new int[] {spec.resize().height(), spec.resize().width()}
          : new int[] {DEFAULT_SIDE, DEFAULT_SIDE};
    }
    String[] p = size.toLowerCase(Locale.ROOT).split("x");
    try {
      if (p.length == 2) {
        return new int[] {Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim())};
      }
    } catch (NumberFormatException e) {
      // falls through to the message
    }
    throw new IllegalArgumentException(
        "--size " + size + " is not HxW: give two positive integers, e.g. --size 256x256");
  }
}
