package org.cnn4j.onnx;

import org.cnn4j.loss.CrossEntropyLoss;
import org.cnn4j.nn.Parameter;
import org.cnn4j.optim.SGD;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PyTorch -> ONNX (torch.onnx.export) -> cnn4j on zoo-like models: same outputs, and trainable. */
class PyTorchRoundTripTest {
    private static final Map<String, Tensor> T = Fixtures.tensors("models.safetensors");

    @ParameterizedTest
    @ValueSource(strings = {"cifar_cnn", "lenet5", "fashion_dnn", "narrow_resnet"})
    void importedModelGivesPyTorchOutputs(String name) {
        OnnxModel model = OnnxImporter.load(Fixtures.resource("models/" + name + ".onnx"));
        assertEquals(List.of("input"), model.inputNames());
        Tensor out = model.call(T.get(name + ".input"));
        Fixtures.assertClose(name, out, T.get(name + ".output"), 1e-4);
    }

    @Test
    void initializersBecomeNamedParametersAndStatisticsBuffers() {
        OnnxModel model = OnnxImporter.load(Fixtures.resource("models/narrow_resnet.onnx"));
        Map<String, Parameter> params = model.namedParameters();
        assertTrue(params.containsKey("layer2.0.downsample.0.weight"), params.keySet().toString());
        assertTrue(params.containsKey("fc.bias"));
        assertTrue(params.values().stream().allMatch(Parameter::isTrainable));
        Map<String, Tensor> state = model.stateDict();
        assertTrue(state.containsKey("bn1.running_mean") && !params.containsKey("bn1.running_mean"));
        // torchvision's parameter count for these widths: every conv, bn and fc parameter, no statistics
        long expected = 0;
        for (String k : T.keySet()) if (k.startsWith("cifar_cnn.grad.")) expected++;
        assertEquals(expected, OnnxImporter.load(Fixtures.resource("models/cifar_cnn.onnx")).namedParameters().size());
    }

    /** Train mode: batch statistics, running statistics updated with torch's momentum, gradients equal to torch's. */
    @Test
    void trainingModeGradientsMatchPyTorch() {
        OnnxModel model = OnnxImporter.load(Fixtures.resource("models/cifar_cnn.onnx"));
        model.train(true);
        float[] lab = T.get("cifar_cnn.labels").data();
        int[] labels = new int[lab.length];
        for (int i = 0; i < lab.length; i++) labels[i] = (int) lab[i];
        Tensor loss = new CrossEntropyLoss().apply(model.call(T.get("cifar_cnn.input")), labels);
        Fixtures.assertClose("loss", loss.reshape(1), T.get("cifar_cnn.train_loss"), 1e-4);
        loss.backward();
        int checked = 0;
        for (var e : model.namedParameters().entrySet()) {
            Tensor expected = T.get("cifar_cnn.grad." + e.getKey());
            assertNotNull(expected, "no torch gradient for " + e.getKey());
            Fixtures.assertClose("grad " + e.getKey(), e.getValue().grad(), expected, 1e-4);
            checked++;
        }
        assertEquals(12, checked);
        Map<String, Tensor> state = model.stateDict();
        Fixtures.assertClose("running_mean", state.get("layer1.1.running_mean"), T.get("cifar_cnn.after.layer1.1.running_mean"), 1e-4);
        Fixtures.assertClose("running_var", state.get("layer2.1.running_var"), T.get("cifar_cnn.after.layer2.1.running_var"), 1e-4);
    }

    @Test
    void sgdStepsLowerTheLossOfAnImportedModel() {
        OnnxModel model = OnnxImporter.load(Fixtures.resource("models/lenet5.onnx"));
        model.train(true);
        Tensor x = T.get("lenet5.input");
        int[] labels = {1, 4};
        SGD sgd = new SGD(model.parameters(), 0.1f);
        float first = 0, last = 0;
        for (int step = 0; step < 15; step++) {
            sgd.zeroGrad();
            Tensor loss = new CrossEntropyLoss().apply(model.call(x), labels);
            loss.backward();
            sgd.step();
            if (step == 0) first = loss.item();
            last = loss.item();
        }
        assertTrue(last < first - 0.5f, "loss " + first + " -> " + last);
    }
}
