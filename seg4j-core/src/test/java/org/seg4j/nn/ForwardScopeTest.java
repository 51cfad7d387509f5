package org.seg4j.nn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ForwardScope: an intermediate is released once consumed, a kept one at its last use or at the
 * end, outputs and the input never; a block that passes its input on leaves it alone.
 */
class ForwardScopeTest {
  private static NDManager manager;

  @BeforeAll
  static void open() {
    manager = NDManager.newBaseManager();
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  /** Records what it made; doubles its input. */
  private static final class Twice extends TorchBlock {
    final List<NDArray> made = new ArrayList<>();

    @Override
    public NDArray forward(NDArray x, boolean training) {
      NDArray y = x.mul(Ops.scalar(x, 2f));
      made.add(y);
      return y;
    }
  }

  private static boolean released(NDArray a) {
    return a.isReleased();
  }

  @Test
  void intermediatesGoOnceConsumedKeptOnesAtTheEndOutputsAndInputStay() {
    try (NDManager m = manager.newSubManager()) {
      NDArray x = m.ones(new Shape(1, 1, 2, 2));
      Twice t = new Twice();
      NDArray out;
      NDArray skip;
      try (ForwardScope s = new ForwardScope(false)) {
        skip = s.keep(s.run(t, x)); // 2
        NDArray a = s.run(t, skip); // 4; skip is kept, so it stays
        NDArray b = s.run(t, a); // 8; a is consumed
        assertThat(released(x)).isFalse();
        assertThat(released(skip)).isFalse();
        assertThat(released(a)).isTrue();
        out = s.out(s.add(b, skip)); // 10; b consumed, skip still kept
        assertThat(released(b)).isTrue();
        assertThat(released(skip)).isFalse();
      }
      assertThat(released(skip)).as("kept until the scope closes").isTrue();
      assertThat(released(x)).as("the input is the caller's").isFalse();
      assertThat(out.toFloatArray()).containsOnly(10f);
    }
  }

  @Test
  void aLastUseReleasesAKeptTensorAndAPassedOnInputStays() {
    try (NDManager m = manager.newSubManager()) {
      NDArray x = m.ones(new Shape(1, 1, 2, 2));
      Dropout2d identity = new Dropout2d(0.5f); // eval: returns its input
      try (ForwardScope s = new ForwardScope(false)) {
        NDArray same = s.run(identity, x);
        assertThat(same).isSameAs(x);
        NDArray skip = s.keep(s.run(new Twice(), same));
        NDArray c = s.cat(s.last(skip), x);
        assertThat(released(skip)).as("released at its last use").isTrue();
        s.out(c);
      }
      assertThat(released(x)).as("passed through a block, still the caller's").isFalse();
    }
  }

  @Test
  void anAttachedTracerHearsEveryStepInOrderAndIsDetachedAfterThePass() {
    List<String> heard = new ArrayList<>();
    ForwardTracer tracer =
        new ForwardTracer() {
          @Override
          public void block(TorchBlock block, NDArray in, NDArray out) {
            heard.add(block.getClass().getSimpleName() + (in == out ? " passes on" : ""));
          }

          @Override
          public void op(Op op, NDArray out, NDArray... in) {
            heard.add(op + " of " + in.length);
          }
        };
    Sequential seq = new Sequential(new Twice(), new Dropout2d(0.5f));
    NDArray x = manager.ones(new Shape(1, 1, 2, 2));
    NDArray y =
        ForwardScope.trace(
            tracer,
            () -> {
              try (ForwardScope s = new ForwardScope(false)) {
                NDArray a = s.keep(s.run(seq, x));
                return s.out(s.add(s.cat(a, a), s.cat(a, s.last(a))));
              }
            });
    assertThat(heard)
        .containsExactly(
            "Twice", "Dropout2d passes on", "Sequential", "CAT of 2", "CAT of 2", "ADD of 2");
    assertThat(y.toFloatArray()).containsOnly(4f);
    heard.clear();
    try (ForwardScope s = new ForwardScope(false)) {
      s.run(seq, x);
    }
    assertThat(heard).as("no tracer outside trace()").isEmpty();
  }
}
