package org.cnn4j.bench;

import org.cnn4j.autograd.Autograd;
import org.cnn4j.models.Zoo;
import org.cnn4j.nn.Module;
import org.cnn4j.tensor.BufferPool;
import org.cnn4j.tensor.Rng;
import org.cnn4j.tensor.Tensor;

/**
 * Inference images/s of a zoo model at several batch sizes, in the given order, in one cold JVM: the check
 * for the JIT trap recorded in RESULTS.md ("Zoo models"), where running batch 1 first left a vector kernel
 * stuck in C1 and batch 32 ten times slower. Each batch size gets 30 untimed calls, then 1.5 s timed. Input is
 * random 1x28x28 (fashion-cnn, fashion-dnn, lenet5, keras-cnn, mnist-encoder).
 *
 * <pre>java --add-modules jdk.incubator.vector -cp cnn4j-bench/target/benchmarks.jar org.cnn4j.bench.BatchOrderCheck 1,32 [MODEL]</pre>
 */
public final class BatchOrderCheck {
    public static void main(String[] args) {
        String order = args.length > 0 ? args[0] : "1,32";
        String model = args.length > 1 ? args[1] : "fashion-cnn";
        Rng.manualSeed(0);
        Module net = Zoo.create(model, 10);
        net.eval();
        for (String size : order.split(",")) {
            int batch = Integer.parseInt(size.trim());
            Tensor x = Tensor.uniform(Rng.global(), 0f, 1f, batch, 1, 28, 28);
            for (int i = 0; i < 30; i++) infer(net, x);
            long t0 = System.nanoTime();
            int calls = 0;
            while (System.nanoTime() - t0 < 1_500_000_000L) {
                infer(net, x);
                calls++;
            }
            System.out.printf("%s batch %d: %.0f images/s%n", model, batch, (double) calls * batch / ((System.nanoTime() - t0) / 1e9));
        }
    }

    private static float infer(Module net, Tensor x) {
        try (var noGrad = Autograd.noGrad(); var scope = BufferPool.scope()) {
            return net.call(x).data()[0];
        }
    }
}
