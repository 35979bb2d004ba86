package org.cnn4j.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.cnn4j.data.transforms.AugmentSpec;
import org.cnn4j.data.transforms.Image;
import org.cnn4j.data.transforms.SampleRandom;
import org.cnn4j.data.transforms.Transform;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Per-image cost of augmentation specs on one 1 x 28 x 28 image (Fashion-MNIST's size), one thread:
 * parse once, then per call a copy of the image and a fresh per-sample generator, as a loader worker does.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx2g"})
public class AugmentBench {
  @Param({"hflip,rotate=10,zoom=0.1,cutout=8", "hflip", "rotate=10,shift=0.1,zoom=0.1,shear=5", "crop=4,hflip",
      "brightness=0.2,contrast=0.2", "blur=1", "erase=0.5"})
  public String spec;

  Transform transform;
  Image image;
  int index;

  @Setup
  public void setup() {
    transform = AugmentSpec.parse(spec);
    SplittableRandom rng = new SplittableRandom(1);
    image = Image.zeros(1, 28, 28);
    for (int i = 0; i < 28 * 28; i++) image.data()[i] = (float) rng.nextDouble();
  }

  @Benchmark
  public float perImage() {
    Image out = transform.apply(image.copy(), SampleRandom.of(42, 0, index++));
    return out.data()[400];
  }
}
