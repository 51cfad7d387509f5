package org.seg4j.nn;

import ai.djl.ndarray.NDArray;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The intermediate tensors of one forward pass, so a model's forward reads like its figure and
 * frees memory the same way in every model:
 *
 * <pre>{@code
 * try (ForwardScope s = new ForwardScope(training)) {
 *   NDArray skip = s.keep(s.run(down, x));         // read again later
 *   NDArray u = s.run(up, s.run(pool, skip));      // pooled map freed once up has read it
 *   return s.out(s.run(head, s.cat(s.last(skip), u)));
 * }
 * }</pre>
 *
 * Each tensor made in the scope ({@link #run}, {@link #cat}, {@link #add}, {@link #track}) is
 * released as soon as the next step has consumed it, unless it is {@link #keep kept}; {@link
 * #close} releases the kept ones. Only the tensors handed to {@link #out} survive, and the input is
 * never released. Autograd holds its own references to what backward needs, so this is as safe in
 * training as in inference, and libtorch reuses warm buffers instead of piling up fresh ones until
 * the batch's manager closes.
 */
public final class ForwardScope implements AutoCloseable {
  private static final ThreadLocal<ForwardTracer> TRACER = new ThreadLocal<>();

  private final boolean training;
  private final ForwardTracer tracer = TRACER.get();
  private final Set<NDArray> owned = identitySet();
  private final Set<NDArray> kept = identitySet();
  private final Set<NDArray> outputs = identitySet();

  /** A scope for one forward pass; {@code training} switches batch norm and dropout. */
  public ForwardScope(boolean training) {
    this.training = training;
  }

  private static Set<NDArray> identitySet() {
    return Collections.newSetFromMap(new IdentityHashMap<>());
  }

  /** Runs {@code block} on {@code x}; {@code x} is released if it is an unkept intermediate. */
  public NDArray run(TorchBlock block, NDArray x) {
    NDArray y = block.forward(x, training);
    if (tracer != null) {
      tracer.block(block, x, y);
    }
    return made(y, x);
  }

  /** {@code torch.cat(parts, 1)}; the unkept intermediate parts are released. */
  public NDArray cat(NDArray... parts) {
    return op(ForwardTracer.Op.CAT, Blocks.cat(parts), parts);
  }

  /** {@code a + b}; the unkept intermediates among them are released. */
  public NDArray add(NDArray a, NDArray b) {
    return op(ForwardTracer.Op.ADD, a.add(b), a, b);
  }

  /**
   * {@code torch.cat([centreCrop(skip, up), up], 1)} ({@link CropConcat}); the unkept intermediates
   * among them are released.
   */
  public NDArray cropCat(NDArray skip, NDArray up) {
    return op(ForwardTracer.Op.CROP_CAT, CropConcat.apply(skip, up), skip, up);
  }

  private NDArray op(ForwardTracer.Op op, NDArray result, NDArray... inputs) {
    if (tracer != null) {
      tracer.op(op, result, inputs);
    }
    return made(result, inputs);
  }

  /**
   * Runs {@code pass} with {@code tracer} hearing every step of the scopes it opens on this thread
   * (e.g. one forward pass to export); detached afterwards, even on failure.
   */
  public static <T> T trace(ForwardTracer tracer, Supplier<T> pass) {
    ForwardTracer before = TRACER.get();
    TRACER.set(tracer);
    try {
      return pass.get();
    } finally {
      TRACER.set(before);
    }
  }

  /**
   * Takes {@code result}, made by some other op from {@code inputs}, into the scope; the unkept
   * intermediates among the inputs are released. A tracer does not hear it: a model's forward uses
   * the named steps above.
   */
  public NDArray made(NDArray result, NDArray... inputs) {
    boolean passedOn = false;
    for (NDArray in : inputs) {
      if (in == result) {
        passedOn = true; // e.g. dropout in eval returns its input: it keeps its standing
      } else if (owned.contains(in) && !kept.contains(in)) {
        owned.remove(in);
        in.close();
      }
    }
    return passedOn ? result : track(result);
  }

  /** Takes an intermediate into the scope, to be released once consumed or at the end. */
  public NDArray track(NDArray x) {
    owned.add(x);
    return x;
  }

  /** Keeps {@code x} (e.g. a skip connection) until the scope closes or its {@link #last} use. */
  public NDArray keep(NDArray x) {
    kept.add(x);
    return x;
  }

  /** Marks the next step as a kept tensor's last use, so that step releases it. */
  public NDArray last(NDArray x) {
    kept.remove(x);
    return x;
  }

  /** Marks a result the forward returns: it survives the scope. */
  public NDArray out(NDArray x) {
    outputs.add(x);
    return x;
  }

  /** Releases every intermediate still held, except the outputs. */
  @Override
  public void close() {
    for (NDArray a : owned) {
      if (!outputs.contains(a)) {
        a.close();
      }
    }
    owned.clear();
  }
}
