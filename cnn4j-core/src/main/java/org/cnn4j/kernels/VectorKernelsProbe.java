package org.cnn4j.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** Loaded only after the module check; fails fast if the Vector API cannot be used. */
final class VectorKernelsProbe {
  private VectorKernelsProbe() {}

  static boolean ok() {
    VectorSpecies<Float> s = FloatVector.SPECIES_PREFERRED;
    float[] x = new float[s.length()];
    FloatVector.fromArray(s, x, 0).add(1f).intoArray(x, 0);
    return s.length() >= 4 && x[0] == 1f;
  }
}
