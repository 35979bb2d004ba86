package org.cnn4j.bench;

import org.cnn4j.autograd.Autograd;
import org.cnn4j.loss.CrossEntropyLoss;
import org.cnn4j.models.ResNet;
import org.cnn4j.models.Zoo;
import org.cnn4j.nn.Module;
import org.cnn4j.optim.Adam;
import org.cnn4j.tensor.BufferPool;
import org.cnn4j.tensor.Rng;
import org.cnn4j.tensor.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * One whole training step (forward, cross-entropy, backward, Adam) and one inference batch, as
 * {@link org.cnn4j.train.Trainer} runs them (inside a {@link BufferPool} scope), on fixed random
 * input. Throughput is in batches per second: images/s = score x batch (100 for the Fashion models,
 * 64 for resnet18-cifar). The data loader is not included; {@link PeerBench} measures whole epochs.
 *
 * <pre>java --add-modules jdk.incubator.vector -jar cnn4j-bench/target/benchmarks.jar TrainStepBench</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-XX:+UseParallelGC", "-Xmx6g"})
public class TrainStepBench {
    @Param({"fashion-cnn", "fashion-dnn", "resnet18-cifar"})
    public String model;

    private Module net;
    private Adam optimizer;
    private final CrossEntropyLoss loss = new CrossEntropyLoss();
    private Tensor x;
    private int[] y;

    @Setup(Level.Trial)
    public void setup() {
        Rng.manualSeed(0);
        boolean resnet = model.equals("resnet18-cifar");
        net = resnet ? ResNet.resnet18(10) : Zoo.create(model, 10);
        optimizer = new Adam(net.parameters(), 1e-3f);
        int batch = resnet ? 64 : 100;
        x = resnet ? Tensor.normal(Rng.global(), 0f, 1f, batch, 3, 32, 32) : Tensor.uniform(Rng.global(), 0f, 1f, batch, 1, 28, 28);
        y = new int[batch];
        for (int i = 0; i < batch; i++) y[i] = i % 10;
    }

    @Benchmark
    public float trainStep() {
        net.train(true);
        try (var scope = BufferPool.scope()) {
            Tensor l = loss.apply(net.call(x), y);
            optimizer.zeroGrad();
            l.backward();
            optimizer.step();
            return l.item();
        }
    }

    @Benchmark
    public float inference() {
        net.eval();
        try (var noGrad = Autograd.noGrad(); var scope = BufferPool.scope()) {
            return net.call(x).data()[0];
        }
    }
}
