package org.cnn4j.train;

import org.cnn4j.data.ArrayDataset;
import org.cnn4j.data.DataLoader;
import org.cnn4j.models.ModelSpec;
import org.cnn4j.models.ResNet;
import org.cnn4j.models.Zoo;
import org.cnn4j.nn.BatchNorm2d;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Flatten;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.Parameter;
import org.cnn4j.nn.ReLU;
import org.cnn4j.nn.Sequential;
import org.cnn4j.optim.Adam;
import org.cnn4j.optim.ParamGroup;
import org.cnn4j.optim.SGD;
import org.cnn4j.tensor.Rng;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class TransferLearningTest {
    @Test
    void resnet18WithNewHeadAndFrozenBackboneTrains1026Parameters() {
        Rng.manualSeed(1);
        Module net = ResNet.resnet18(1000);
        net.freeze();
        Module old = net.replace("fc", new Linear(512, 2));
        assertEquals(1000, ((Linear) old).outFeatures());
        assertEquals(11_177_538, net.parameterCount());
        assertEquals(1_026, net.trainableParameterCount());
        assertEquals(List.of("fc.weight", "fc.bias"), net.namedParameters().entrySet().stream()
                .filter(e -> e.getValue().isTrainable()).map(java.util.Map.Entry::getKey).toList());
        // the forward uses the new head: two logits
        net.eval();
        assertArrayEquals(new int[] {1, 2}, net.call(Tensor.zeros(1, 3, 32, 32)).shape());
    }

    @Test
    void freezeUntilFreezesEverythingUpToTheNamedLayerInclusive() {
        Module net = Zoo.create("resnet18", new ModelSpec(3, 32, 32, 10));
        net.freezeUntil("layer3");
        long expected = 0;
        for (var e : net.namedParameters().entrySet())
            if (e.getKey().startsWith("layer4.") || e.getKey().startsWith("fc.")) expected += e.getValue().numel();
        assertEquals(expected, net.trainableParameterCount());
        assertTrue(net.module("layer3.1.bn2").isFrozen());
        assertFalse(net.module("layer4.0.bn1").isFrozen());
        // a nested path splits its ancestors
        net.unfreeze().freezeUntil("layer2.0");
        assertFalse(net.namedParameters().get("layer2.0.conv1.weight").isTrainable());
        assertTrue(net.namedParameters().get("layer2.1.conv1.weight").isTrainable());
        assertFalse(net.namedParameters().get("conv1.weight").isTrainable());
        var e = assertThrows(IllegalArgumentException.class, () -> net.freezeUntil("layer9"));
        assertTrue(e.getMessage().contains("layer9") && e.getMessage().contains("layer4"), e.getMessage());
    }

    @Test
    void replaceInSequentialAndErrors() {
        Module vgg = Zoo.create("vgg11", new ModelSpec(3, 32, 32, 1000));
        vgg.replace("classifier.6", new Linear(4096, 3));
        vgg.eval();
        assertArrayEquals(new int[] {2, 3}, vgg.call(Tensor.zeros(2, 3, 32, 32)).shape());
        assertTrue(vgg.stateDict().containsKey("classifier.6.weight"));
        assertEquals(3 * 4096, vgg.stateDict().get("classifier.6.weight").numel());
        Module resnet = Zoo.create("resnet18", new ModelSpec(3, 32, 32, 10));
        var typed = assertThrows(IllegalArgumentException.class, () -> resnet.replace("fc", new Sequential(new Linear(512, 2))));
        assertTrue(typed.getMessage().contains("Linear"), typed.getMessage());
        var missing = assertThrows(IllegalArgumentException.class, () -> resnet.replace("head", new Linear(512, 2)));
        assertTrue(missing.getMessage().contains("head") && missing.getMessage().contains("fc"), missing.getMessage());
    }

    private static Sequential smallNet() {
        return new Sequential(new Conv2d(1, 4, 3), new BatchNorm2d(4), new ReLU(), new Flatten(), new Linear(4 * 6 * 6, 3));
    }

    private static DataLoader data() {
        float[] x = new float[32 * 64];
        int[] y = new int[32];
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian() + 0.5f;
        for (int i = 0; i < y.length; i++) y[i] = i % 3;
        return DataLoader.builder(new ArrayDataset(x, new int[] {1, 8, 8}, y, List.of("a", "b", "c"))).batchSize(8).shuffle(true).seed(1).build();
    }

    @Test
    void frozenBatchNormKeepsItsRunningStatsAndWeightsWhileTheHeadTrains() {
        Rng.manualSeed(7);
        Sequential net = smallNet();
        net.get(0).freeze();
        net.get(1).freeze();
        BatchNorm2d bn = (BatchNorm2d) net.get(1);
        float[] mean = bn.runningMean().data().clone(), var = bn.runningVar().data().clone();
        float[] conv = ((Conv2d) net.get(0)).weight().data().clone();
        float[] head = ((Linear) net.get(4)).weight().data().clone();
        net.train(true);
        assertFalse(bn.isTraining(), "a frozen batch norm stays in evaluation mode");
        assertTrue(net.get(4).isTraining());
        new Trainer(net, new Adam(net.parameters(), 0.01f)).fit(data(), null, 2);
        assertArrayEquals(mean, bn.runningMean().data());
        assertArrayEquals(var, bn.runningVar().data());
        assertArrayEquals(conv, ((Conv2d) net.get(0)).weight().data());
        assertFalse(java.util.Arrays.equals(head, ((Linear) net.get(4)).weight().data()), "the head trained");
        // unfrozen, the running stats move
        net.unfreeze();
        new Trainer(net, new Adam(net.parameters(), 0.01f)).fit(data(), null, 1);
        assertFalse(java.util.Arrays.equals(mean, bn.runningMean().data()));
    }

    @Test
    void parameterGroupsGiveTheBackboneAndTheHeadTheirOwnLearningRates() {
        Rng.manualSeed(9);
        Sequential net = smallNet();
        List<Parameter> head = net.get(4).parameters();
        List<Parameter> backbone = new java.util.ArrayList<>(net.parameters());
        backbone.removeAll(head);
        SGD opt = new SGD(head, 0.1f, 0f, 0f, 0f, false);
        opt.addParamGroup(ParamGroup.of(backbone).withLr(0.0));
        float[] conv = ((Conv2d) net.get(0)).weight().data().clone(), w = head.get(0).data().clone();
        new Trainer(net, opt).fit(data(), null, 1);
        assertArrayEquals(conv, ((Conv2d) net.get(0)).weight().data(), "lr 0 leaves the backbone");
        assertFalse(java.util.Arrays.equals(w, head.get(0).data()));
        assertEquals(0.1f, (float) opt.paramGroups().get(0).lr());
        assertEquals(0.0, opt.paramGroups().get(1).lr());
    }
}
