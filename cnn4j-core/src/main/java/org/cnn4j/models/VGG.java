package org.cnn4j.models;

import org.cnn4j.nn.AdaptiveAvgPool2d;
import org.cnn4j.nn.BatchNorm2d;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Dropout;
import org.cnn4j.nn.Init;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.MaxPool2d;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.ReLU;
import org.cnn4j.nn.Sequential;
import org.cnn4j.tensor.Tensor;

/**
 * VGG as torchvision 0.14 builds it, with its state-dict names: {@code features} (3x3 convolutions with
 * padding 1, each followed by BatchNorm2d in the {@code _bn} variants and ReLU; "M" = MaxPool2d(2, 2)),
 * {@code avgpool} = AdaptiveAvgPool2d(7), {@code classifier} = Linear(25088, 4096), ReLU, Dropout(0.5),
 * Linear(4096, 4096), ReLU, Dropout(0.5), Linear(4096, classes). torchvision's initialisation: convolutions
 * kaiming-normal (fan_out, ReLU) with zero bias, batch norm 1 and 0, linear N(0, 0.01) with zero bias.
 *
 * <p>Parameters for 1000 classes: VGG-11 132,863,336 (bn 132,868,840), VGG-13 133,047,848 (133,053,736),
 * VGG-16 138,357,544 (138,365,992), VGG-19 143,667,240 (143,678,248). Five 2x2 poolings: the smallest
 * input is 32x32 (its 1x1 feature map is then spread over the 7x7 of the adaptive pooling).
 */
public final class VGG extends Module {
    private static final int M = -1;
    private static final int[] A = {64, M, 128, M, 256, 256, M, 512, 512, M, 512, 512, M};
    private static final int[] B = {64, 64, M, 128, 128, M, 256, 256, M, 512, 512, M, 512, 512, M};
    private static final int[] D = {64, 64, M, 128, 128, M, 256, 256, 256, M, 512, 512, 512, M, 512, 512, 512, M};
    private static final int[] E = {64, 64, M, 128, 128, M, 256, 256, 256, 256, M, 512, 512, 512, 512, M, 512, 512, 512, 512, M};

    private final Sequential features, classifier;
    private final AdaptiveAvgPool2d avgpool;
    private final String name;

    /** @param depth 11, 13, 16 or 19 */
    public static VGG vgg(int depth, boolean batchNorm, ModelSpec spec) {
        int[] cfg = switch (depth) {
            case 11 -> A;
            case 13 -> B;
            case 16 -> D;
            case 19 -> E;
            default -> throw new IllegalArgumentException("VGG: depth must be 11, 13, 16 or 19. Received: " + depth);
        };
        return new VGG("VGG-" + depth + (batchNorm ? "-BN" : ""), cfg, batchNorm, spec);
    }

    private VGG(String name, int[] cfg, boolean batchNorm, ModelSpec spec) {
        this.name = name;
        String zooName = "vgg" + name.substring(4).toLowerCase(java.util.Locale.ROOT);
        // The arithmetic first, so a too-small input fails before 130 M weights are drawn.
        Dims d = new Dims(zooName, spec);
        int index = 0;
        for (int v : cfg) {
            if (v == M) d.window("features." + index + " MaxPool2d k2 s2", 2, 2, 0);
            index += v == M ? 1 : batchNorm ? 3 : 2;
        }
        Init convInit = TorchvisionInit.KAIMING_NORMAL_FAN_OUT;
        features = new Sequential();
        int in = spec.inChannels();
        for (int v : cfg) {
            if (v == M) {
                features.add(new MaxPool2d(2, 2));
                continue;
            }
            Conv2d conv = Conv2d.builder(in, v, 3).padding(1).init(convInit).build();
            TorchvisionInit.zero(conv.bias());
            features.add(conv);
            if (batchNorm) features.add(new BatchNorm2d(v));
            features.add(new ReLU());
            in = v;
        }
        registerModule("features", features);
        avgpool = registerModule("avgpool", new AdaptiveAvgPool2d(7));
        classifier = registerModule("classifier", new Sequential(
                linear(512 * 7 * 7, 4096), new ReLU(), new Dropout(0.5f),
                linear(4096, 4096), new ReLU(), new Dropout(0.5f),
                linear(4096, spec.numClasses())));
    }

    private static Linear linear(int in, int out) {
        Linear l = new Linear(in, out, true, TorchvisionInit.NORMAL_001);
        TorchvisionInit.zero(l.bias());
        return l;
    }

    @Override
    public Tensor forward(Tensor x) {
        return classifier.call(avgpool.call(features.call(x)).flatten(1));
    }

    @Override
    public String describe() {
        return name;
    }
}
