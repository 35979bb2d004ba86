package org.cnn4j.cli;

import org.cnn4j.autograd.Autograd;
import org.cnn4j.io.SafeTensors;
import org.cnn4j.models.ModelSpec;
import org.cnn4j.models.Zoo;
import org.cnn4j.nn.Module;
import org.cnn4j.onnx.OnnxExporter;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code run-onnx}: a model exported by cnn4j, run through the importer from the command line. */
class RunOnnxCommandTest {
    @TempDir
    Path dir;

    @Test
    void runsNamedInputsAndWritesNamedOutputs() throws Exception {
        Module model = Zoo.create("lenet5", new ModelSpec(1, 28, 28, 10)).eval();
        Path onnx = dir.resolve("lenet5.onnx");
        OnnxExporter.export(model, new int[] {1, 1, 28, 28}, onnx);
        Tensor x = Tensor.zeros(3, 1, 28, 28);
        for (int i = 0; i < x.numel(); i++) x.data()[i] = (float) Math.cos(i * 0.1);
        Path in = dir.resolve("in.safetensors"), out = dir.resolve("out.safetensors");
        SafeTensors.write(in, Map.of("input", x), Map.of());

        MainTest.Run r = MainTest.run("run-onnx", onnx.toString(), "--inputs", in.toString(), "--outputs", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("output [3, 10]"), r.out());
        Tensor got = SafeTensors.read(out).tensors().get("output");
        Tensor expected;
        try (var ignored = Autograd.noGrad()) {
            expected = model.call(x);
        }
        assertArrayEquals(expected.shape(), got.shape());
        for (int i = 0; i < got.numel(); i++) assertEquals(expected.data()[i], got.data()[i], 1e-4f * Math.max(1f, Math.abs(expected.data()[i])));
    }

    @Test
    void wrongNamesAndMalformedFilesAreFileProblems() throws Exception {
        Module model = Zoo.create("fashion-dnn", new ModelSpec(1, 28, 28, 10)).eval();
        Path onnx = dir.resolve("dnn.onnx");
        OnnxExporter.export(model, new int[] {1, 1, 28, 28}, onnx);
        Path in = dir.resolve("in.safetensors");
        SafeTensors.write(in, Map.of("x", Tensor.zeros(1, 1, 28, 28)), Map.of());
        MainTest.Run wrong = MainTest.run("run-onnx", onnx.toString(), "--inputs", in.toString(), "--outputs", dir.resolve("o.safetensors").toString());
        assertEquals(3, wrong.code());
        assertTrue(wrong.err().contains("no tensor named 'input'") && wrong.err().contains("[x]"), wrong.err());

        Path broken = dir.resolve("broken.onnx");
        byte[] bytes = Files.readAllBytes(onnx);
        Files.write(broken, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        MainTest.Run bad = MainTest.run("run-onnx", broken.toString(), "--inputs", in.toString(), "--outputs", dir.resolve("o.safetensors").toString());
        assertEquals(3, bad.code());
        assertTrue(bad.err().contains("broken.onnx") && bad.err().contains("byte offset"), bad.err());
    }
}
