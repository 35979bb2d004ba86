package org.cnn4j.kernels;

import java.util.Arrays;

/**
 * Per-thread, reused buffers of per-chunk partial results: a reduction split over
 * {@link Parallel#forRange} chunks writes chunk {@link Parallel#chunkIndex} into its own buffer, and the
 * caller adds the buffers in chunk order, so the result does not depend on scheduling.
 */
final class ChunkPartials {
  private final ThreadLocal<float[][]> local = ThreadLocal.withInitial(() -> new float[0][]);

  /** At least {@code chunks} buffers of at least {@code size} floats each (contents unspecified). */
  float[][] get(int chunks, int size) {
    float[][] p = local.get();
    if (p.length < chunks) {
      p = Arrays.copyOf(p, chunks);
      local.set(p);
    }
    for (int i = 0; i < chunks; i++) {
      if (p[i] == null || p[i].length < size) {
        p[i] = new float[size];
      }
    }
    return p;
  }
}
