package org.cnn4j.nn;

/** Keras' name for {@link SiLU}: x * sigmoid(x). Same computation, its own name in summaries. */
public final class Swish extends SiLU {
}
