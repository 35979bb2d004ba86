package org.cnn4j.train;

import org.cnn4j.autograd.Autograd;
import org.cnn4j.io.SafeTensors;
import org.cnn4j.models.ResNet;
import org.cnn4j.nn.Module;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * PyTorch -> cnn4j: a torchvision ResNet state_dict saved as safetensors (tools/fixtures/torchvision_weights.py;
 * torchvision's ResNet class with BasicBlocks, one per stage, to keep the file under 20 MB) loads strictly into
 * cnn4j's ResNet, the class behind the zoo's resnet18/34, and gives torchvision's logits.
 */
class TorchWeightsTest {
    @Test
    void torchvisionStateDictLoadsAndGivesTheSameLogits() throws Exception {
        Path file = Path.of(TorchWeightsTest.class.getResource("/fixtures/torchvision_resnet_1111.safetensors").toURI());
        var loaded = SafeTensors.read(file);
        Map<String, Tensor> state = new LinkedHashMap<>();
        loaded.tensors().forEach((k, v) -> { if (!k.startsWith("__fixture__.")) state.put(k, v); });
        Module net = new ResNet("resnet18-1111", false, new int[] {1, 1, 1, 1}, 10, 3);
        assertEquals(net.stateDict().keySet().stream().toList(), state.keySet().stream().toList(), "torchvision's names and order");
        net.loadStateDict(state, true);
        net.eval();
        Tensor logits;
        try (var ignored = Autograd.noGrad()) {
            logits = net.call(loaded.tensors().get("__fixture__.input"));
        }
        float[] expected = loaded.tensors().get("__fixture__.logits").data();
        assertArrayEquals(new int[] {2, 10}, logits.shape());
        double maxRel = 0, scale = 0;
        for (float v : expected) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < expected.length; i++)
            maxRel = Math.max(maxRel, Math.abs(logits.data()[i] - expected[i]) / Math.max(Math.abs(expected[i]), 1e-3 * scale));
        assertTrue(maxRel < 1e-4, "max relative error " + maxRel);
    }
}
