package org.seg4j.train.schedule;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.seg4j.run.TrainConfig;

/**
 * Learning-rate schedules by name: each entry builds its schedule from the run config's {@code
 * schedule.*} keys, {@code optimizer.lr} and {@code train.epochs}; {@link #warmup} puts the
 * configured warm-up in front of any of them. A new schedule registers here, one line.
 */
public final class Schedules {
  /** Builds a schedule from the config. */
  @FunctionalInterface
  public interface Factory {
    /** The schedule for base rate {@code base} over {@code epochs} epochs. */
    LrSchedule create(TrainConfig c, double base, int epochs);
  }

  /** One registered schedule: its factory and whether its curve spans {@code train.epochs}. */
  public record Entry(Factory factory, boolean spansEpochs) {}

  private static final Map<String, Entry> REGISTRY = new LinkedHashMap<>();

  static {
    register("constant", false, (c, base, epochs) -> new ConstantLr(base));
    register(
        "step",
        false,
        (c, base, epochs) -> new StepLr(base, c.schedule().stepSize(), c.schedule().gamma()));
    register("multistep", false, Schedules::multiStep);
    register("cosine", true, (c, base, epochs) -> new CosineLr(base, epochs, c.schedule().minLr()));
    register(
        "poly",
        true,
        (c, base, epochs) -> new PolyLr(base, epochs, c.schedule().power(), c.schedule().minLr()));
    register(
        "plateau",
        false,
        (c, base, epochs) ->
            new PlateauLr(
                base,
                c.schedule().factor(),
                c.schedule().patience(),
                c.schedule().threshold(),
                c.schedule().cooldown(),
                c.schedule().minLr()));
  }

  private Schedules() {}

  private static void register(String name, boolean spansEpochs, Factory factory) {
    REGISTRY.put(name, new Entry(factory, spansEpochs));
  }

  /** The valid names, in registration order. */
  public static List<String> names() {
    return List.copyOf(REGISTRY.keySet());
  }

  /** The schedule registered as {@code name}, or null when there is none. */
  public static Entry get(String name) {
    return REGISTRY.get(name);
  }

  /** Whether schedule {@code name}'s rate at an epoch depends on {@code train.epochs}. */
  public static boolean spansEpochs(String name) {
    Entry e = REGISTRY.get(name);
    return e != null && e.spansEpochs();
  }

  /** The configured warm-up ({@code schedule.warmup_*}) in front of {@code inner}. */
  public static Warmup warmup(TrainConfig c, LrSchedule inner) {
    return new Warmup(inner, c.schedule().warmupEpochs(), c.schedule().warmupStart());
  }

  private static LrSchedule multiStep(TrainConfig c, double base, int epochs) {
    List<Integer> ms = new ArrayList<>();
    for (int m : c.schedule().milestones()) {
      ms.add(m);
    }
    return new MultiStepLr(base, ms, c.schedule().gamma());
  }
}
