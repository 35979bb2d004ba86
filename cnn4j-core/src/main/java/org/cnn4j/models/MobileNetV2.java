package org.cnn4j.models;

import org.cnn4j.autograd.ops.Pool2dOp;
import org.cnn4j.nn.BatchNorm2d;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Dropout;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.ReLU6;
import org.cnn4j.nn.Sequential;
import org.cnn4j.tensor.Tensor;

/**
 * MobileNetV2 as torchvision 0.14 builds it ({@code mobilenet_v2()}, width 1.0), with its state-dict names:
 * {@code features.0} = conv 3x3 stride 2 (32) + BatchNorm2d + ReLU6; {@code features.1..17} =
 * {@link InvertedResidual} blocks with (expansion t, channels c, repeats n, first stride s) =
 * (1,16,1,1), (6,24,2,2), (6,32,3,2), (6,64,4,2), (6,96,3,1), (6,160,3,2), (6,320,1,1);
 * {@code features.18} = conv 1x1 (1280) + BatchNorm2d + ReLU6; then a global average (functional, as
 * torchvision's {@code adaptive_avg_pool2d}, so it is no module) and {@code classifier} = Dropout(0.2),
 * Linear(1280, classes). Convolutions have no bias. 3,504,872 parameters for 1000 classes.
 *
 * <p>torchvision's initialisation: convolutions kaiming-normal (fan_out), batch norm 1 and 0, the linear
 * layer N(0, 0.01) with zero bias. Every input size from 1x1 up works (all paddings are "same"-like).
 */
public final class MobileNetV2 extends Module {
    private static final int[][] SETTINGS = {
            {1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2}, {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}};
    private static final int FIRST = 32, LAST = 1280;

    private final Sequential features, classifier;

    public static MobileNetV2 mobilenetV2(ModelSpec spec) {
        return new MobileNetV2(spec);
    }

    public MobileNetV2(ModelSpec spec) {
        features = new Sequential();
        features.add(convBNReLU6(spec.inChannels(), FIRST, 3, 2, 1));
        int in = FIRST;
        for (int[] s : SETTINGS)
            for (int i = 0; i < s[2]; i++) {
                features.add(new InvertedResidual(in, s[1], i == 0 ? s[3] : 1, s[0]));
                in = s[1];
            }
        features.add(convBNReLU6(in, LAST, 1, 1, 1));
        registerModule("features", features);
        Linear fc = new Linear(LAST, spec.numClasses(), true, TorchvisionInit.NORMAL_001);
        TorchvisionInit.zero(fc.bias());
        classifier = registerModule("classifier", new Sequential(new Dropout(0.2f), fc));
        // torchvision: kaiming_normal_(fan_out) over every Conv2d in module order (depthwise: fan_out = C * 9)
        TorchvisionInit.reinitConvolutions(this);
    }

    /**
     * torchvision's {@code Conv2dNormActivation(in, out, kernel, stride, groups, activation=ReLU6)}: a
     * Sequential of conv (bias-free, padding (kernel - 1) / 2), BatchNorm2d and ReLU6.
     */
    static Sequential convBNReLU6(int in, int out, int kernel, int stride, int groups) {
        return new Sequential(
                Conv2d.builder(in, out, kernel).stride(stride).padding((kernel - 1) / 2).groups(groups).bias(false).build(),
                new BatchNorm2d(out), new ReLU6());
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor out = Pool2dOp.adaptiveAvg(features.call(x), 1, 1);
        return classifier.call(out.flatten(1));
    }

    @Override
    public String describe() {
        return "MobileNetV2";
    }

    /**
     * torchvision's InvertedResidual: {@code conv} = [1x1 expand to in*t + BN + ReLU6 (only when t != 1)],
     * depthwise 3x3 (groups = hidden channels, the block's stride) + BN + ReLU6, 1x1 linear projection to
     * {@code out} + BN (no activation). {@code x + conv(x)} when stride is 1 and in == out.
     */
    public static final class InvertedResidual extends Module {
        private final Sequential conv;
        private final boolean residual;

        public InvertedResidual(int in, int out, int stride, int expandRatio) {
            if (stride != 1 && stride != 2)
                throw new IllegalArgumentException("InvertedResidual: stride must be 1 or 2. Received: " + stride);
            if (in <= 0 || out <= 0)
                throw new IllegalArgumentException("InvertedResidual: channels must be positive. Received: in=" + in + ", out=" + out);
            if (expandRatio <= 0)
                throw new IllegalArgumentException("InvertedResidual: expand_ratio must be positive. Received: " + expandRatio);
            int hidden = in * expandRatio;
            conv = new Sequential();
            if (expandRatio != 1) conv.add(convBNReLU6(in, hidden, 1, 1, 1));
            conv.add(convBNReLU6(hidden, hidden, 3, stride, hidden));
            conv.add(Conv2d.builder(hidden, out, 1).bias(false).build());
            conv.add(new BatchNorm2d(out));
            registerModule("conv", conv);
            residual = stride == 1 && in == out;
        }

        public boolean hasResidual() {
            return residual;
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor y = conv.call(x);
            return residual ? x.add(y) : y;
        }

        @Override
        public String describe() {
            return "InvertedResidual";
        }
    }
}
