package org.cnn4j.onnx;

import org.cnn4j.autograd.Autograd;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Not a correctness test: prints import time and batch-2 inference time of the round-trip fixtures in
 * cnn4j and in ONNX Runtime. Run with -Dcnn4j.onnx.timing=true.
 */
@EnabledIfSystemProperty(named = "cnn4j.onnx.timing", matches = "true")
class OnnxTimingReport {
    @Test
    void report() throws Exception {
        Map<String, Tensor> t = Fixtures.tensors("models.safetensors");
        for (String name : new String[] {"cifar_cnn", "lenet5", "fashion_dnn", "narrow_resnet"}) {
            Path file = Fixtures.resource("models/" + name + ".onnx");
            Tensor x = t.get(name + ".input");
            long t0 = System.nanoTime();
            for (int i = 0; i < 20; i++) OnnxImporter.load(file);
            double importMs = (System.nanoTime() - t0) / 20e6;
            OnnxModel m = OnnxImporter.load(file);
            double cnn4j = time(() -> {
                try (var g = Autograd.noGrad()) {
                    m.call(x);
                }
            });
            var env = ai.onnxruntime.OrtEnvironment.getEnvironment();
            double ort;
            try (var opts = new ai.onnxruntime.OrtSession.SessionOptions()) {
                opts.setIntraOpNumThreads(Runtime.getRuntime().availableProcessors());
                try (var session = env.createSession(file.toString(), opts);
                     var in = ai.onnxruntime.OnnxTensor.createTensor(env, java.nio.FloatBuffer.wrap(x.data()),
                             java.util.Arrays.stream(x.shape()).asLongStream().toArray())) {
                    ort = time(() -> {
                        try (var r = session.run(Map.of("input", in))) {
                            r.get(0);
                        } catch (ai.onnxruntime.OrtException e) {
                            throw new RuntimeException(e);
                        }
                    });
                }
            }
            System.out.printf("%-14s %8d bytes  import %.2f ms  cnn4j forward %.3f ms  ONNX Runtime run %.3f ms%n", name,
                    Files.size(file), importMs, cnn4j, ort);
        }
    }

    @Test
    void importedVersusNative(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        for (String name : new String[] {"lenet5", "cifar-cnn", "resnet18-cifar"}) {
            boolean rgb = !name.equals("lenet5");
            int[] shape = rgb ? new int[] {2, 3, 32, 32} : new int[] {2, 1, 28, 28};
            org.cnn4j.nn.Module model = org.cnn4j.models.Zoo.create(name, new org.cnn4j.models.ModelSpec(shape[1], shape[2], shape[3], 10)).eval();
            Path file = dir.resolve(name + ".onnx");
            OnnxExporter.export(model, shape, file);
            OnnxModel back = OnnxImporter.load(file);
            Tensor x = OnnxExportTest.random(1, shape);
            double direct = time(() -> {
                try (var g = Autograd.noGrad()) {
                    model.call(x);
                }
            });
            double imported = time(() -> {
                try (var g = Autograd.noGrad()) {
                    back.call(x);
                }
            });
            System.out.printf("%-14s batch 2: native cnn4j %.3f ms, exported+imported %.3f ms%n", name, direct, imported);
        }
    }

    private static double time(Runnable r) {
        for (int i = 0; i < 30; i++) r.run();
        long t0 = System.nanoTime();
        int n = 100;
        for (int i = 0; i < n; i++) r.run();
        return (System.nanoTime() - t0) / (n * 1e6);
    }
}
