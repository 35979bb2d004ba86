package org.cnn4j.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** The secondary result {@code gflop} of the kernel benchmarks: reported per second, it is GFLOP/s. */
@AuxCounters(AuxCounters.Type.OPERATIONS)
@State(Scope.Thread)
public class GflopCounter {
  public double gflop;
}
