package org.cnn4j.kernels;

import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * The reshaped copy of one conv weight that a forward pass derives ({@link ConvTapTrim}'s live taps,
 * {@link ConvDense}'s per-position windows), kept so that the input gradient of the same step reuses it instead
 * of deriving it again: for ResNet-18's layer3/4 at 32x32 that is a strided read of a 2.4-9.4 MB weight per conv.
 * The autograd node of one convolution owns one; the array comes from the allocator it gives (the step's buffer
 * pool). It describes the weight as it was in the forward pass, which is what the input gradient of that
 * forward needs (the optimizer changes the weight only after the backward).
 */
public final class WeightViews {
  private final IntFunction<float[]> allocator;
  private float[] view;

  /** @param allocator returns an array of at least n floats whose contents may be garbage */
  public WeightViews(IntFunction<float[]> allocator) {
    this.allocator = allocator;
  }

  /**
   * The derived weight of n floats: the copy kept in {@code views} (made by {@code derive} on first use), or,
   * when views is null, a fresh derivation into {@code scratch.apply(n)} (a caller's per-thread buffer).
   */
  static float[] derived(WeightViews views, int n, IntFunction<float[]> scratch, Consumer<float[]> derive) {
    if (views == null) {
      float[] out = scratch.apply(n);
      derive.accept(out);
      return out;
    }
    if (views.view == null) {
      views.view = views.allocator.apply(n);
      derive.accept(views.view);
    }
    return views.view;
  }
}
