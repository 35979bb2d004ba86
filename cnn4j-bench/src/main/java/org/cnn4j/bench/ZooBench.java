package org.cnn4j.bench;

import org.cnn4j.autograd.Autograd;
import org.cnn4j.io.Json;
import org.cnn4j.kernels.Parallel;
import org.cnn4j.loss.CrossEntropyLoss;
import org.cnn4j.models.ModelSpec;
import org.cnn4j.models.Zoo;
import org.cnn4j.nn.Module;
import org.cnn4j.optim.Adam;
import org.cnn4j.tensor.BufferPool;
import org.cnn4j.tensor.Rng;
import org.cnn4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Throughput of each zoo model at its native input size, with the protocol of cnn4j-bench/zoo_bench.py
 * (PyTorch) so the two compare: inference images/s at batch 1 and 32 (evaluation mode, no gradients,
 * forward + argmax) and training images/s (training mode, cross-entropy, Adam 1e-3, one BufferPool scope per
 * step; batch 32 for inputs up to 32x32, 8 for 224x224), on random input. Each measurement: warm-up calls
 * for one second (at least 2), then timed calls until SECONDS have passed (at least 2). One JSON line per model.
 *
 * <p>usage: ZooBench [--seconds S] MODEL...   (threads: CNN4J_THREADS or -Dcnn4j.threads; default all zoo models)
 */
public final class ZooBench {
    private interface Step {
        void run();
    }

    public static void main(String[] args) {
        double seconds = 3;
        List<String> models = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--seconds")) seconds = Double.parseDouble(args[++i]);
            else models.add(args[i]);
        }
        if (models.isEmpty()) models = Zoo.names();
        for (String name : models) System.out.println(Json.writeCompact(bench(name, seconds)));
    }

    static Map<String, Object> bench(String name, double seconds) {
        Rng.manualSeed(0);
        ModelSpec spec = Zoo.entry(name).defaultSpec();
        Module model = Zoo.create(name);
        int c = spec.inChannels(), h = spec.height(), w = spec.width();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("lib", "cnn4j");
        row.put("model", name);
        row.put("params", model.parameterCount());
        row.put("input", List.of(c, h, w));
        row.put("threads", Parallel.threads());
        // Training first, then batch 32, then batch 1: a cold JVM that runs batch 1 first can stay ~10x slow at
        // larger batches (a JIT profile problem recorded in RESULTS.md), which would misreport the steady state.
        int tb = h <= 32 ? 32 : 8;
        Tensor x = Tensor.uniform(Rng.derived(2, 0), 0f, 1f, tb, c, h, w);
        int[] y = new int[tb];
        var rng = Rng.derived(3, 0);
        for (int i = 0; i < tb; i++) y[i] = rng.nextInt(spec.numClasses());
        model.train(true);
        Adam opt = new Adam(model.parameters(), 1e-3f);
        CrossEntropyLoss loss = new CrossEntropyLoss();
        double[] r = timed(() -> {
            try (var scope = BufferPool.scope()) {
                Tensor l = loss.apply(model.call(x), y);
                opt.zeroGrad();
                l.backward();
                opt.step();
            }
        }, seconds);
        row.put("train_batch", tb);
        row.put("train_images_per_s", round(r[0] * tb / r[1]));
        model.eval();
        for (int b : new int[] {32, 1}) {
            Tensor input = Tensor.uniform(Rng.derived(1, b), 0f, 1f, b, c, h, w);
            double[] t = timed(() -> {
                try (var g = Autograd.noGrad(); var scope = BufferPool.scope()) {
                    argmax(model.call(input));
                }
            }, seconds);
            row.put("infer_b" + b + "_images_per_s", round(t[0] * b / t[1]));
        }
        return row;
    }

    private static int[] argmax(Tensor logits) {
        int n = logits.size(0), k = logits.size(1);
        float[] d = logits.data();
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int j = 1; j < k; j++) if (d[i * k + j] > d[i * k + best]) best = j;
            out[i] = best;
        }
        return out;
    }

    /** {calls, seconds} after warming up (calls for one second, at least 2, so the JIT has compiled the path). */
    private static double[] timed(Step step, double seconds) {
        long w0 = System.nanoTime();
        for (int i = 0; i < 2 || System.nanoTime() - w0 < 1_000_000_000L; i++) step.run();
        int n = 0;
        long t0 = System.nanoTime();
        while (true) {
            step.run();
            n++;
            double el = (System.nanoTime() - t0) / 1e9;
            if (n >= 2 && el >= seconds) return new double[] {n, el};
        }
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

}
