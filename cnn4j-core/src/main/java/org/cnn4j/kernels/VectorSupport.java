package org.cnn4j.kernels;

/**
 * Decides once whether the fast paths may use the Vector API ({@code jdk.incubator.vector}). This class
 * must not reference any Vector API type: classes that do are loaded only after {@link #ENABLED} says
 * so. When the module is missing (the JVM was started without {@code --add-modules
 * jdk.incubator.vector}) or the system property {@code cnn4j.vector=false} is set, the scalar paths
 * run and one warning line goes to stderr.
 */
public final class VectorSupport {
  private VectorSupport() {}

  /** True when the Vector API kernels are in use. */
  public static final boolean ENABLED = detect();

  private static boolean detect() {
    if ("false".equalsIgnoreCase(System.getProperty("cnn4j.vector", "true"))) {
      return false;
    }
    boolean present;
    try {
      present = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    } catch (Throwable t) {
      present = false;
    }
    if (!present) {
      System.err.println("cnn4j: WARNING: module jdk.incubator.vector is not enabled; using slow scalar kernels"
          + " (start java with --add-modules jdk.incubator.vector)");
      return false;
    }
    try {
      // Touch the species in a separate class so a broken Vector API cannot take the library down.
      return VectorKernelsProbe.ok();
    } catch (Throwable t) {
      System.err.println("cnn4j: WARNING: the Vector API failed to initialise (" + t + "); using slow scalar kernels");
      return false;
    }
  }
}
