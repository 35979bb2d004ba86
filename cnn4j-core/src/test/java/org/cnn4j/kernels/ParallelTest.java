package org.cnn4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ParallelTest {

  @Test
  void coversRangeExactlyOnce() {
    for (int n : new int[] {0, 1, 2, 3, 17, 1000}) {
      for (int grain : new int[] {1, 4, 1000}) {
        int[] hits = new int[n];
        AtomicInteger calls = new AtomicInteger();
        Parallel.forRange(n, grain, (s, e) -> {
          calls.incrementAndGet();
          for (int i = s; i < e; i++) {
            hits[i]++;
          }
        });
        for (int i = 0; i < n; i++) {
          assertEquals(1, hits[i], "n=" + n + " grain=" + grain + " index " + i);
        }
        assertEquals(Parallel.chunks(n, grain), calls.get());
        assertTrue(calls.get() <= Parallel.threads());
      }
    }
  }

  @Test
  void nestedCallsRunSeriallyWithoutDeadlock() {
    assertFalse(Parallel.inWorker());
    int[] sum = new int[64];
    Parallel.forRange(8, 1, (s, e) -> {
      assertTrue(Parallel.inWorker());
      for (int i = s; i < e; i++) {
        int row = i;
        Parallel.forRange(8, 1, (s2, e2) -> {
          for (int j = s2; j < e2; j++) {
            sum[row * 8 + j] += 1;
          }
        });
      }
    });
    for (int v : sum) {
      assertEquals(1, v);
    }
    assertFalse(Parallel.inWorker());
  }

  @Test
  void rethrowsExceptionsAndStaysUsable() {
    RuntimeException ex = assertThrows(IllegalStateException.class, () -> Parallel.forRange(100, 1, (s, e) -> {
      if (e == 100) {
        throw new IllegalStateException("boom");
      }
    }));
    assertEquals("boom", ex.getMessage());
    AtomicInteger total = new AtomicInteger();
    Parallel.forRange(100, 1, (s, e) -> total.addAndGet(e - s));
    assertEquals(100, total.get());
  }
}
