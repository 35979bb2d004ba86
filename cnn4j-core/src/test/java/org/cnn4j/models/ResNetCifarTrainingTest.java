package org.cnn4j.models;

import org.cnn4j.loss.CrossEntropyLoss;
import org.cnn4j.nn.Module;
import org.cnn4j.optim.Adam;
import org.cnn4j.tensor.BufferPool;
import org.cnn4j.tensor.Rng;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The zoo's resnet18-cifar (torchvision's ResNet-18, 10 classes) learns a fixed CIFAR-size batch. */
class ResNetCifarTrainingTest {
    @Test
    void aFewAdamStepsOnOneBatchLowerTheLoss() {
        Rng.manualSeed(2024);
        Module net = Zoo.create("resnet18-cifar");
        assertEquals(11_181_642, net.parameterCount());
        int batch = 8;
        Tensor x = Tensor.uniform(Rng.derived(5, 0), -1f, 1f, batch, 3, 32, 32);
        int[] y = {0, 1, 2, 3, 4, 5, 6, 7};
        Adam opt = new Adam(net.parameters(), 1e-3f);
        CrossEntropyLoss loss = new CrossEntropyLoss();
        net.train(true);
        List<Float> losses = new ArrayList<>();
        for (int step = 0; step < 6; step++) {
            try (var scope = BufferPool.scope()) {
                Tensor l = loss.apply(net.call(x), y);
                losses.add(l.item());
                opt.zeroGrad();
                l.backward();
                opt.step();
            }
        }
        float first = losses.get(0), last = losses.get(losses.size() - 1);
        assertTrue(Math.abs(first - Math.log(10)) < 1.5, "starts near ln 10: " + losses);
        assertTrue(last < 0.5f * first, "loss falls by more than half in 6 steps: " + losses);
        int falls = 0;
        for (int i = 1; i < losses.size(); i++) if (losses.get(i) < losses.get(i - 1)) falls++;
        assertTrue(falls >= 4, "loss decreases step after step: " + losses);
    }
}
