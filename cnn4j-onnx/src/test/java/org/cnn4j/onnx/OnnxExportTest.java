package org.cnn4j.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import org.cnn4j.autograd.Autograd;
import org.cnn4j.graph.Input;
import org.cnn4j.graph.Layers;
import org.cnn4j.graph.Model;
import org.cnn4j.graph.SymbolicTensor;
import org.cnn4j.models.ModelSpec;
import org.cnn4j.models.Zoo;
import org.cnn4j.nn.BatchNorm;
import org.cnn4j.nn.Module;
import org.cnn4j.onnx.proto.OnnxProto;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** cnn4j -> ONNX, checked in ONNX Runtime (the reference implementation) and by importing the file back. */
class OnnxExportTest {
    @TempDir
    Path dir;

    static Tensor random(long seed, int... shape) {
        SplittableRandom r = new SplittableRandom(seed);
        Tensor t = Tensor.zeros(shape);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) d[i] = (float) (r.nextDouble() * 2 - 1);
        return t;
    }

    /** Non-trivial batch-norm statistics, so the exported BatchNormalization is really exercised. */
    static void randomizeBatchNorm(Module m, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        for (Module mod : m.namedModules().values())
            if (mod instanceof BatchNorm bn) {
                float[] mean = bn.runningMean().data(), var = bn.runningVar().data();
                for (int i = 0; i < mean.length; i++) {
                    mean[i] = (float) (r.nextDouble() - 0.5);
                    var[i] = (float) (0.5 + r.nextDouble() * 1.5);
                }
                if (bn.affine()) {
                    float[] w = bn.weight().data(), b = bn.bias().data();
                    for (int i = 0; i < w.length; i++) {
                        w[i] = (float) (0.5 + r.nextDouble());
                        b[i] = (float) (r.nextDouble() * 0.6 - 0.3);
                    }
                }
            }
    }

    static float[] runOrt(Path file, Tensor x) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
            try (OrtSession s = env.createSession(file.toString(), opts);
                 OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(x.data()), Arrays.stream(x.shape()).asLongStream().toArray());
                 OrtSession.Result r = s.run(Map.of("input", in))) {
                FloatBuffer fb = ((OnnxTensor) r.get(0)).getFloatBuffer();
                float[] out = new float[fb.remaining()];
                fb.get(out);
                return out;
            }
        }
    }

    private void checkInOrt(String what, Module model, int[] shape) throws Exception {
        model.eval();
        Path file = dir.resolve(what + ".onnx");
        OnnxExporter.export(model, shape, file);
        Tensor x = random(42, shape);
        Tensor expected;
        try (var ignored = Autograd.noGrad()) {
            expected = model.call(x);
        }
        Tensor viaOrt = new Tensor(runOrt(file, x), expected.shape());
        Fixtures.assertClose(what + " in ONNX Runtime", viaOrt, expected, 1e-4);
        // and back through the importer, with the same state_dict names
        OnnxModel back = OnnxImporter.load(file);
        Fixtures.assertClose(what + " re-imported", back.call(x), expected, 1e-4);
        Map<String, Tensor> state = model.stateDict();
        for (var e : back.stateDict().entrySet()) {
            Tensor original = state.get(e.getKey());
            if (original != null) assertArrayEquals(original.data(), e.getValue().data(), what + " " + e.getKey());
        }
    }

    @ParameterizedTest(name = "{0} at {1}x{2}x{3}")
    @CsvSource({"fashion-cnn,1,28,28", "fashion-dnn,1,28,28", "cifar-cnn,3,32,32", "keras-cnn,1,28,28", "mnist-encoder,1,28,28",
            "lenet5,1,28,28", "resnet18-cifar,3,32,32", "resnet50,3,32,32"})
    void zooModelsRunInOnnxRuntime(String name, int c, int h, int w) throws Exception {
        Module model = Zoo.create(name, new ModelSpec(c, h, w, 10));
        randomizeBatchNorm(model, 3);
        checkInOrt(name, model, new int[] {2, c, h, w});
    }

    /**
     * VGG's head at small inputs: the feature map is 1x1 and AdaptiveAvgPool2d(7) broadcasts it (exported as
     * Expand). The zoo's VGGs carry a 100M-parameter classifier, too large for a unit test, so a small
     * Sequential with the same layers stands in.
     */
    @Test
    void vggStyleAdaptivePoolingFromOneByOne() throws Exception {
        Module m = new org.cnn4j.nn.Sequential(new org.cnn4j.nn.Conv2d(3, 4, 3, 1, 1), new org.cnn4j.nn.BatchNorm2d(4),
                new org.cnn4j.nn.ReLU(), new org.cnn4j.nn.MaxPool2d(8), new org.cnn4j.nn.AdaptiveAvgPool2d(7),
                new org.cnn4j.nn.Flatten(), new org.cnn4j.nn.Linear(4 * 49, 6), new org.cnn4j.nn.ReLU6(),
                new org.cnn4j.nn.Dropout(0.5f), new org.cnn4j.nn.Linear(6, 3), new org.cnn4j.nn.Softmax(1));
        randomizeBatchNorm(m, 9);
        checkInOrt("vgg-head", m, new int[] {2, 3, 8, 8});
    }

    /** Depthwise, grouped, dilated and asymmetric-SAME convolutions and ceil-mode pooling carry their attributes to ONNX. */
    @Test
    void groupedDilatedConvolutionsAndCeilModePooling() throws Exception {
        Module m = new org.cnn4j.nn.Sequential(
                org.cnn4j.nn.Conv2d.builder(4, 4, 3).groups(4).stride(2).padding("same").build(),   // depthwise, TF's extra pixel at the end
                org.cnn4j.nn.Conv2d.builder(4, 6, 3).groups(2).dilation(2).padding(2).build(),
                org.cnn4j.nn.MaxPool2d.builder(3).stride(2).ceilMode(true).build(),
                org.cnn4j.nn.AvgPool2d.builder(2).padding(1).countIncludePad(false).build());
        checkInOrt("grouped-dilated", m, new int[] {2, 4, 11, 11});
    }

    @Test
    void activationsExportAsTheirOnnxForms() throws Exception {
        Module m = new org.cnn4j.nn.Sequential(new org.cnn4j.nn.Linear(6, 8), new org.cnn4j.nn.LeakyReLU(0.2f),
                new org.cnn4j.nn.Linear(8, 8), new org.cnn4j.nn.ELU(0.7f), new org.cnn4j.nn.Linear(8, 8), new org.cnn4j.nn.SELU(),
                new org.cnn4j.nn.Linear(8, 8), new org.cnn4j.nn.Hardswish(), new org.cnn4j.nn.Linear(8, 8), new org.cnn4j.nn.Hardsigmoid(),
                new org.cnn4j.nn.Linear(8, 8), new org.cnn4j.nn.Sigmoid(), new org.cnn4j.nn.Linear(8, 8), new org.cnn4j.nn.Tanh(),
                new org.cnn4j.nn.Linear(8, 8), new org.cnn4j.nn.SiLU(), new org.cnn4j.nn.Linear(8, 8), new org.cnn4j.nn.LogSoftmax(1));
        Path file = dir.resolve("act.onnx");
        m.eval();
        OnnxExporter.export(m, new int[] {3, 6}, file);
        Tensor x = random(8, 3, 6);
        Tensor expected;
        try (var ignored = Autograd.noGrad()) {
            expected = m.call(x);
        }
        Fixtures.assertClose("activations in ONNX Runtime", new Tensor(runOrt(file, x), 3, 8), expected, 1e-4);
    }

    @Test
    void functionalGraphWithBranchesAndConcat() throws Exception {
        SymbolicTensor in = Input.of(3, 16, 16);
        SymbolicTensor a = Layers.conv2d(8, 3).apply(in);
        SymbolicTensor b = Layers.conv2d(8, 3).apply(in);
        SymbolicTensor sum = Layers.add().apply(a, b);
        SymbolicTensor cat = Layers.concatenate(1).apply(sum, a);
        SymbolicTensor out = Layers.dense(5).apply(Layers.flatten().apply(Layers.maxPooling2d(2).apply(cat)));
        checkInOrt("functional", new Model(in, out), new int[] {3, 3, 16, 16});
    }

    @Test
    void batchDimensionIsSymbolicWhenReshapesKeepIt() throws Exception {
        Module model = Zoo.create("cifar-cnn", new ModelSpec(3, 32, 32, 10));
        model.eval();
        Path file = dir.resolve("cifar.onnx");
        OnnxExporter.export(model, new int[] {1, 3, 32, 32}, file);
        Tensor x = random(5, 4, 3, 32, 32);
        Tensor expected;
        try (var ignored = Autograd.noGrad()) {
            expected = model.call(x);
        }
        Fixtures.assertClose("batch 4 through a batch-1 export", new Tensor(runOrt(file, x), 4, 10), expected, 1e-4);
        OnnxProto.Model proto = OnnxProto.parseModel(Files.readAllBytes(file), "cifar.onnx");
        assertEquals(13L, proto.opsets.get(""));
        assertEquals("N", proto.graph.inputs.get(0).dimParams[0]);
    }

    @Test
    void unknownModulesFailWithTheirPath() {
        Module custom = new Module() {
            @Override
            public Tensor forward(Tensor input) {
                return input.exp();
            }
        };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OnnxExporter.toProto(custom, new int[] {1, 4}));
        assertTrue(e.getMessage().contains("no ONNX exporter for module"), e.getMessage());
    }

    @Test
    void exportKeepsEachModulesTrainingMode() {
        Module model = Zoo.create("cifar-cnn", new ModelSpec(3, 32, 32, 10));
        model.train(true);
        Module frozenBn = model.namedModules().get("layer1.1");
        frozenBn.train(false);
        OnnxExporter.toProto(model, new int[] {1, 3, 32, 32});
        assertTrue(model.isTraining());
        assertTrue(!frozenBn.isTraining() && model.namedModules().get("layer2.1").isTraining());
    }
}
