package org.seg4j.data.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.seg4j.data.Sample;
import org.seg4j.engine.Offline;

class LoaderTest {
  private static NDManager base;

  @BeforeAll
  static void engine() {
    Offline.ensure();
    base = NDManager.newBaseManager();
  }

  @AfterAll
  static void release() {
    base.close();
  }

  /** Sample i is a 1x2x3 image filled with i; decoding takes a varying short time. */
  private static SampleSource source(int size, int failAt) {
    return new SampleSource() {
      @Override
      public int size() {
        return size;
      }

      @Override
      public Sample get(int index) {
        if (index == failAt) {
          throw new IllegalStateException("corrupt PNG");
        }
        LockSupport.parkNanos((index * 7919L % 5) * 200_000L);
        float[] img = new float[6];
        Arrays.fill(img, index);
        return new Sample("img" + index, 1, 2, 3, img, new int[] {index, 0, 1, 0, 1, 0});
      }

      @Override
      public String id(int index) {
        return "img" + index;
      }
    };
  }

  /** Puts a random number into the mask so the augmentation stream is visible. */
  private static final SampleTransform STAMP =
      (s, rng) -> {
        int[] m = s.mask().clone();
        m[1] = rng.nextInt(1000);
        return new Sample(s.id(), s.channels(), s.height(), s.width(), s.image(), m);
      };

  private static List<String> run(Loader loader, int epoch, List<long[]> labelsOut) {
    List<String> ids = new ArrayList<>();
    Iterator<Batch> it = loader.epoch(epoch);
    while (it.hasNext()) {
      try (Batch b = it.next()) {
        assertThat(b.images().getShape()).isEqualTo(new Shape(b.size(), 1, 2, 3));
        assertThat(b.images().getDataType()).isEqualTo(DataType.FLOAT32);
        assertThat(b.labels().getDataType()).isEqualTo(DataType.INT64);
        assertThat(b.labels().getShape()).isEqualTo(new Shape(b.size(), 2, 3));
        float[] img = b.images().toFloatArray();
        for (int i = 0; i < b.size(); i++) {
          assertThat(b.ids().get(i)).isEqualTo("img" + (int) img[i * 6]);
        }
        ids.addAll(b.ids());
        if (labelsOut != null) {
          labelsOut.add(b.labels().toLongArray());
        }
      }
    }
    return ids;
  }

  @Test
  void batchesAreDeterministicWhateverTheWorkerCount() {
    LoaderConfig cfg = new LoaderConfig(3, 1, 2, 42, true, 0, false);
    List<long[]> l1 = new ArrayList<>();
    List<long[]> l2 = new ArrayList<>();
    List<String> a;
    List<String> b;
    try (Loader one = new Loader(source(11, -1), STAMP, cfg, base)) {
      a = run(one, 5, l1);
    }
    try (Loader two = new Loader(source(11, -1), STAMP, cfg.withWorkers(2, 1), base)) {
      b = run(two, 5, l2);
    }
    List<long[]> l0 = new ArrayList<>();
    List<String> c;
    try (Loader inline = new Loader(source(11, -1), STAMP, cfg.withWorkers(0, 1), base)) {
      c = run(inline, 5, l0);
    }
    assertThat(a).hasSize(11).isEqualTo(b).isEqualTo(c);
    assertThat(l1).hasSameSizeAs(l2).hasSameSizeAs(l0);
    for (int i = 0; i < l1.size(); i++) {
      assertThat(l1.get(i)).containsExactly(l2.get(i));
      assertThat(l0.get(i)).containsExactly(l2.get(i));
    }
  }

  @Test
  void shuffleIsSeededAndChangesEveryEpoch() {
    LoaderConfig cfg = new LoaderConfig(4, 2, 2, 7, true, 0, false);
    try (Loader loader = new Loader(source(20, -1), null, cfg, base)) {
      List<String> e0 = run(loader, 0, null);
      List<String> e1 = run(loader, 1, null);
      assertThat(new HashSet<>(e0)).hasSize(20);
      assertThat(new HashSet<>(e1)).isEqualTo(new HashSet<>(e0));
      assertThat(e1).isNotEqualTo(e0);
      assertThat(run(loader, 0, null)).isEqualTo(e0);
    }
    try (Loader plain = new Loader(source(5, -1), null, cfg.withShuffle(false), base)) {
      assertThat(run(plain, 3, null)).containsExactly("img0", "img1", "img2", "img3", "img4");
    }
  }

  @Test
  void samplesPerEpochDrawsWithReplacementAndDropLastDrops() {
    LoaderConfig cfg = new LoaderConfig(4, 2, 2, 1, true, 30, false);
    try (Loader loader = new Loader(source(5, -1), null, cfg, base)) {
      List<String> ids = run(loader, 0, null);
      assertThat(ids).hasSize(30);
      assertThat(new HashSet<>(ids)).hasSizeLessThanOrEqualTo(5);
      assertThat(loader.batchesPerEpoch()).isEqualTo(8);
    }
    try (Loader loader = new Loader(source(5, -1), null, cfg.withDropLast(true), base)) {
      assertThat(run(loader, 0, null)).hasSize(28);
      assertThat(loader.batchesPerEpoch()).isEqualTo(7);
    }
  }

  @Test
  void resumingMidEpochReproducesTheRemainingBatches() {
    LoaderConfig cfg = new LoaderConfig(2, 2, 2, 9, true, 0, false);
    try (Loader loader = new Loader(source(9, -1), STAMP, cfg, base)) {
      List<long[]> all = new ArrayList<>();
      List<String> full = run(loader, 4, all);
      Iterator<Batch> it = loader.epoch(4);
      it.next().close();
      it.next().close();
      assertThat(loader.state()).isEqualTo(new LoaderState(9, 4, 2));
      try (Loader resumed = new Loader(source(9, -1), STAMP, cfg, base)) {
        Iterator<Batch> r = resumed.epoch(4, 2);
        int k = 2;
        while (r.hasNext()) {
          try (Batch b = r.next()) {
            assertThat(b.index()).isEqualTo(k);
            assertThat(b.ids()).isEqualTo(full.subList(2 * k, Math.min(9, 2 * k + 2)));
            assertThat(b.labels().toLongArray()).containsExactly(all.get(k));
          }
          k++;
        }
        assertThat(k).isEqualTo(5);
      }
    }
  }

  @ParameterizedTest(name = "{0} workers")
  @ValueSource(ints = {0, 2})
  void loadErrorsSurfaceWithTheSampleIdWithOrWithoutWorkers(int workers) {
    LoaderConfig cfg = new LoaderConfig(2, workers, 2, 3, false, 0, false);
    try (Loader loader = new Loader(source(6, 3), null, cfg, base)) {
      Iterator<Batch> it = loader.epoch(0);
      it.next().close();
      assertThatThrownBy(it::next)
          .isInstanceOf(LoaderException.class)
          .hasMessageContaining("img3")
          .hasMessageContaining("corrupt PNG")
          .hasMessageContaining("epoch 0, batch 1");
      assertThat(it.hasNext()).isFalse();
    }
  }

  @Test
  void closeStopsTheWorkers() throws InterruptedException {
    Loader loader =
        new Loader(source(50, -1), null, new LoaderConfig(2, 2, 3, 0, true, 0, false), base);
    Iterator<Batch> it = loader.epoch(0);
    it.next().close();
    loader.close();
    assertThat(it.hasNext()).isFalse();
    assertThatThrownBy(() -> loader.epoch(1)).hasMessageContaining("closed");
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("seg4j-loader-")) {
        t.join(5000);
        assertThat(t.isAlive()).as(t.getName()).isFalse();
      }
    }
  }

  @Test
  void samplesOfDifferentSizesFailWithAHint() {
    SampleSource mixed =
        new SampleSource() {
          @Override
          public int size() {
            return 2;
          }

          @Override
          public Sample get(int i) {
            int w = i + 1;
            return new Sample("m" + i, 1, 1, w, new float[w], new int[w]);
          }
        };
    try (Loader loader =
        new Loader(mixed, null, new LoaderConfig(2, 1, 1, 0, false, 0, false), base)) {
      assertThatThrownBy(() -> loader.epoch(0).next())
          .hasMessageContaining("sample m1 is 1x1x2 but m0 is 1x1x1")
          .hasMessageContaining("random_crop or resize");
    }
  }

  @Test
  void pixelWeightsFollowEachTransformedMask() {
    // weight = 10 * the transformed label + the pixel position, so a mix-up would show
    PixelWeights weights =
        (mask, h, w) -> {
          float[] out = new float[mask.length];
          for (int i = 0; i < mask.length; i++) {
            out[i] = 10f * mask[i] + i;
          }
          return out;
        };
    LoaderConfig cfg = new LoaderConfig(3, 2, 2, 5, true, 0, false);
    try (Loader loader = new Loader(source(7, -1), STAMP, weights, cfg, base)) {
      Iterator<Batch> it = loader.epoch(0);
      int seen = 0;
      while (it.hasNext()) {
        try (Batch b = it.next()) {
          assertThat(b.weights().getShape()).isEqualTo(new Shape(b.size(), 2, 3));
          long[] labels = b.labels().toLongArray();
          float[] w = b.weights().toFloatArray();
          for (int i = 0; i < labels.length; i++) {
            assertThat(w[i]).isEqualTo(10f * labels[i] + i % 6);
          }
          seen += b.size();
        }
      }
      assertThat(seen).isEqualTo(7);
    }
    try (Loader plain = new Loader(source(3, -1), null, cfg, base);
        Batch b = plain.epoch(0).next()) {
      assertThat(b.weights()).isNull();
    }
  }

  @Test
  void pixelWeightErrorsNameTheSample() {
    PixelWeights broken =
        (mask, h, w) -> {
          throw new IllegalArgumentException("mask holds value 7 but there are 2 classes");
        };
    LoaderConfig cfg = new LoaderConfig(2, 0, 1, 0, false, 0, false);
    try (Loader loader = new Loader(source(2, -1), null, broken, cfg, base)) {
      assertThatThrownBy(() -> loader.epoch(0).next())
          .isInstanceOf(LoaderException.class)
          .hasMessageContaining("weighting the pixels of sample img0")
          .hasMessageContaining("value 7");
    }
  }

  @Test
  void nextAfterCloseFailsWithALoaderError() {
    Loader loader =
        new Loader(source(6, -1), null, new LoaderConfig(2, 1, 1, 0, false, 0, false), base);
    Iterator<Batch> epoch = loader.epoch(0);
    loader.close();
    assertThatThrownBy(epoch::next)
        .isInstanceOf(LoaderException.class)
        .hasMessageContaining("closed before batch 0 of epoch 0");
  }

  @Test
  void closeFromAnotherThreadReleasesAWaitingConsumer() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch never = new CountDownLatch(1);
    SampleSource stuck =
        new SampleSource() {
          @Override
          public int size() {
            return 4;
          }

          @Override
          public Sample get(int index) {
            started.countDown();
            try {
              // stuck (nothing counts this down) until the loader interrupts its worker, or a
              // minute as before if it never does
              never.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              throw new IllegalStateException("interrupted", e);
            }
            return null;
          }
        };
    Loader loader = new Loader(stuck, null, new LoaderConfig(2, 1, 1, 0, false, 0, false), base);
    CompletableFuture<Throwable> consumer =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                loader.epoch(0).next().close();
                return null;
              } catch (RuntimeException e) {
                return e;
              }
            });
    assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
    loader.close();
    assertThat(consumer.get(30, TimeUnit.SECONDS)).isInstanceOf(LoaderException.class);
  }
}
