package org.cnn4j.onnx;

import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Operator by operator: every tiny graph under onnx/ops (made by torch.onnx.export or onnx.helper in
 * tools/fixtures/onnx_roundtrip.py) is imported and run on the stored input; the output must match
 * PyTorch's within 1e-4.
 */
class OnnxOperatorTest {
    private static final Map<String, Tensor> EXPECTED = Fixtures.tensors("ops.safetensors");

    @TestFactory
    Stream<DynamicTest> everyOperatorGraphMatchesPyTorch() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(Fixtures.resource("ops"))) {
            files = s.filter(p -> p.toString().endsWith(".onnx")).sorted().toList();
        }
        assertTrue(files.size() >= 40, "expected the whole operator suite, found " + files.size());
        return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            String name = file.getFileName().toString().replace(".onnx", "");
            OnnxModel model = OnnxImporter.load(file);
            Map<String, Tensor> inputs = new LinkedHashMap<>();
            if (EXPECTED.containsKey(name + ".input")) inputs.put(model.inputNames().get(0), EXPECTED.get(name + ".input"));
            else for (int k = 0; k < model.inputNames().size(); k++) inputs.put(model.inputNames().get(k), EXPECTED.get(name + ".input" + k));
            Tensor out = model.run(inputs).get(model.outputNames().get(0));
            Fixtures.assertClose(name, out, EXPECTED.get(name + ".output"), 1e-4);
        }));
    }

    @Test
    void shapeArithmeticIsFoldedAtLoadTime() {
        // torch exports F.pad's pads as a chain of ConstantOfShape, Concat, Reshape, Slice, Transpose, Cast
        OnnxModel model = OnnxImporter.load(Fixtures.resource("ops/pad_reflect.onnx"));
        assertEquals(List.of("Pad"), model.opTypes());
        List<String> ops = new ArrayList<>(OnnxImporter.load(Fixtures.resource("ops/avgpool_pad.onnx")).opTypes());
        assertEquals(List.of("Pad", "AveragePool"), ops);
    }
}
