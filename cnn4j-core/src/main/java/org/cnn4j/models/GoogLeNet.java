package org.cnn4j.models;

import org.cnn4j.kernels.PoolNdGeometry;
import org.cnn4j.nn.AdaptiveAvgPool2d;
import org.cnn4j.nn.BatchNorm2d;
import org.cnn4j.nn.Concatenate;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Dropout;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.MaxPool2d;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.ReLU;
import org.cnn4j.nn.Sequential;
import org.cnn4j.tensor.Rng;
import org.cnn4j.tensor.Tensor;

/**
 * GoogLeNet (Inception v1) as torchvision 0.14 builds it with {@code googlenet(aux_logits=False,
 * init_weights=True)}, with its state-dict names: conv1 (7x7 stride 2), maxpool1, conv2 (1x1), conv3 (3x3),
 * maxpool2, inception3a/3b, maxpool3, inception4a..4e, maxpool4 (2x2), inception5a/5b, avgpool (adaptive
 * 1x1), dropout (0.2), fc (1024 -> classes). Every convolution is a {@link BasicConv2d}: conv (no bias),
 * BatchNorm2d(eps 0.001), ReLU. An {@link Inception} block concatenates four branches along the channels:
 * 1x1; 1x1 then 3x3; 1x1 then 3x3 (torchvision's "5x5" branch really uses a 3x3 kernel, as its weights
 * do); 3x3 max pool (stride 1) then 1x1. 6,624,904 parameters for 1000 classes.
 *
 * <p>The max poolings are PyTorch's {@code ceil_mode=True} ({@link MaxPool2d} with ceil mode): at 224x224 the maps
 * are 112, 56, 28, 14, 7. The smallest input is 15x15 (at 14 maxpool3 gets a 1x1 map and leaves nothing, as in PyTorch).
 * torchvision's initialisation: convolution and linear weights truncated normal (std 0.01, cut at +-2),
 * batch norm 1 and 0, the linear bias PyTorch's default.
 */
public final class GoogLeNet extends Module {
    /** Smallest input height and width (PyTorch fails at 14: 14 -> 7 -> 3 -> 1 leaves maxpool3 nothing). */
    public static final int MIN_SIZE = 15;

    private final BasicConv2d conv1, conv2, conv3;
    private final MaxPool2d maxpool1, maxpool2, maxpool3, maxpool4;
    private final Inception inception3a, inception3b, inception4a, inception4b, inception4c, inception4d,
            inception4e, inception5a, inception5b;
    private final AdaptiveAvgPool2d avgpool;
    private final Dropout dropout;
    private final Linear fc;

    public static GoogLeNet googlenet(ModelSpec spec) {
        return new GoogLeNet(spec);
    }

    public GoogLeNet(ModelSpec spec) {
        checkSize(spec);
        conv1 = registerModule("conv1", new BasicConv2d(spec.inChannels(), 64, 7, 2, 3));
        maxpool1 = registerModule("maxpool1", ceilMaxPool(3, 2, 0));
        conv2 = registerModule("conv2", new BasicConv2d(64, 64, 1, 1, 0));
        conv3 = registerModule("conv3", new BasicConv2d(64, 192, 3, 1, 1));
        maxpool2 = registerModule("maxpool2", ceilMaxPool(3, 2, 0));
        inception3a = registerModule("inception3a", new Inception(192, 64, 96, 128, 16, 32, 32));
        inception3b = registerModule("inception3b", new Inception(256, 128, 128, 192, 32, 96, 64));
        maxpool3 = registerModule("maxpool3", ceilMaxPool(3, 2, 0));
        inception4a = registerModule("inception4a", new Inception(480, 192, 96, 208, 16, 48, 64));
        inception4b = registerModule("inception4b", new Inception(512, 160, 112, 224, 24, 64, 64));
        inception4c = registerModule("inception4c", new Inception(512, 128, 128, 256, 24, 64, 64));
        inception4d = registerModule("inception4d", new Inception(512, 112, 144, 288, 32, 64, 64));
        inception4e = registerModule("inception4e", new Inception(528, 256, 160, 320, 32, 128, 128));
        maxpool4 = registerModule("maxpool4", ceilMaxPool(2, 2, 0));
        inception5a = registerModule("inception5a", new Inception(832, 256, 160, 320, 32, 128, 128));
        inception5b = registerModule("inception5b", new Inception(832, 384, 192, 384, 48, 128, 128));
        avgpool = registerModule("avgpool", new AdaptiveAvgPool2d(1));
        dropout = registerModule("dropout", new Dropout(0.2f));
        fc = registerModule("fc", new Linear(1024, spec.numClasses()));
        initWeights(this);
    }

    /**
     * torchvision's {@code init_weights=True}: in module order, every Conv2d and Linear weight
     * {@code trunc_normal_(std=0.01, a=-2, b=2)}, every BatchNorm2d weight 1 and bias 0 (already so).
     */
    static void initWeights(Module root) {
        for (Module m : root.namedModules().values()) {
            if (m instanceof Conv2d c) TorchvisionInit.truncatedNormal(c.weight(), 0.01, -2, 2, Rng.global());
            else if (m instanceof Linear l) TorchvisionInit.truncatedNormal(l.weight(), 0.01, -2, 2, Rng.global());
        }
    }

    /** Follows H and W through the stride-changing layers and rejects an input that leaves a pooling nothing. */
    private static void checkSize(ModelSpec spec) {
        int[] hw = {spec.height(), spec.width()};
        String[] axis = {"H", "W"};
        for (int a = 0; a < 2; a++) {
            int in = hw[a];
            int s = (in + 2 * 3 - 7) / 2 + 1; // conv1: k7 s2 p3, floor; >= 1 for every size >= 1
            String[] layer = {"maxpool1 MaxPool2d k3 s2 ceil_mode", "maxpool2 MaxPool2d k3 s2 ceil_mode",
                    "maxpool3 MaxPool2d k3 s2 ceil_mode", "maxpool4 MaxPool2d k2 s2 ceil_mode"};
            int[] k = {3, 3, 3, 2};
            for (int i = 0; i < 4; i++) {
                int out = PoolNdGeometry.outputSize(s, k[i], 2, 0, 1, true);
                if (out < 1)
                    throw new IllegalArgumentException("googlenet cannot take a " + spec.height() + "x" + spec.width()
                            + " input: at " + layer[i] + " the " + axis[a] + " size is " + s + ": " + axis[a] + " = ceil(("
                            + s + " - " + k[i] + ")/2) + 1 = " + out + " < 1; use an input of at least " + MIN_SIZE + "x"
                            + MIN_SIZE);
                s = out;
            }
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor out = maxpool1.call(conv1.call(x));
        out = maxpool2.call(conv3.call(conv2.call(out)));
        out = maxpool3.call(inception3b.call(inception3a.call(out)));
        out = inception4c.call(inception4b.call(inception4a.call(out)));
        out = maxpool4.call(inception4e.call(inception4d.call(out)));
        out = inception5b.call(inception5a.call(out));
        out = avgpool.call(out).flatten(1);
        return fc.call(dropout.call(out));
    }

    @Override
    public String describe() {
        return "GoogLeNet";
    }

    /**
     * torchvision's BasicConv2d: {@code relu(bn(conv(x)))} with a bias-free convolution and batch norm
     * eps 0.001; state-dict names {@code conv.weight}, {@code bn.*}. The ReLU is functional (not a
     * registered module), as in torchvision; batch norm and ReLU run as one fused op.
     */
    public static final class BasicConv2d extends Module {
        private final Conv2d conv;
        private final BatchNorm2d bn;
        private final ReLU relu = new ReLU();

        public BasicConv2d(int in, int out, int kernel, int stride, int padding) {
            conv = registerModule("conv", Conv2d.builder(in, out, kernel).stride(stride).padding(padding).bias(false).build());
            bn = registerModule("bn", new BatchNorm2d(out, 0.001f, 0.1f));
        }

        public Conv2d conv() {
            return conv;
        }

        public BatchNorm2d bn() {
            return bn;
        }

        @Override
        public Tensor forward(Tensor x) {
            return bn.callWithRelu(relu, conv.call(x));
        }

        @Override
        public String describe() {
            return "BasicConv2d";
        }
    }

    /**
     * An Inception block as torchvision's: four branches on the same input, concatenated along the
     * channels (out = ch1x1 + ch3x3 + ch5x5 + poolProj):
     * branch1 = BasicConv2d 1x1; branch2 = 1x1 (ch3x3red) then 3x3 pad 1; branch3 = 1x1 (ch5x5red) then
     * 3x3 pad 1 (torchvision's "5x5" branch, kept with a 3x3 kernel for its weights); branch4 = MaxPool2d(3,
     * stride 1, pad 1, ceil mode) then 1x1 (poolProj). The spatial size is unchanged.
     */
    public static final class Inception extends Module {
        private final BasicConv2d branch1;
        private final Sequential branch2, branch3, branch4;
        private final Concatenate cat = new Concatenate(1);
        private final int outChannels;

        public Inception(int in, int ch1x1, int ch3x3red, int ch3x3, int ch5x5red, int ch5x5, int poolProj) {
            int[] all = {in, ch1x1, ch3x3red, ch3x3, ch5x5red, ch5x5, poolProj};
            String[] names = {"in_channels", "ch1x1", "ch3x3red", "ch3x3", "ch5x5red", "ch5x5", "pool_proj"};
            for (int i = 0; i < all.length; i++)
                if (all[i] <= 0)
                    throw new IllegalArgumentException("Inception: " + names[i] + " must be positive. Received: " + all[i]);
            branch1 = registerModule("branch1", new BasicConv2d(in, ch1x1, 1, 1, 0));
            branch2 = registerModule("branch2", new Sequential(new BasicConv2d(in, ch3x3red, 1, 1, 0),
                    new BasicConv2d(ch3x3red, ch3x3, 3, 1, 1)));
            branch3 = registerModule("branch3", new Sequential(new BasicConv2d(in, ch5x5red, 1, 1, 0),
                    new BasicConv2d(ch5x5red, ch5x5, 3, 1, 1)));
            branch4 = registerModule("branch4", new Sequential(ceilMaxPool(3, 1, 1),
                    new BasicConv2d(in, poolProj, 1, 1, 0)));
            outChannels = ch1x1 + ch3x3 + ch5x5 + poolProj;
        }

        public int outChannels() {
            return outChannels;
        }

        @Override
        public Tensor forward(Tensor x) {
            return cat.call(branch1.call(x), branch2.call(x), branch3.call(x), branch4.call(x));
        }

        @Override
        public String describe() {
            return "Inception";
        }
    }

    /** PyTorch's {@code MaxPool2d(kernel, stride, padding, ceil_mode=True)}, as torchvision's GoogLeNet uses it. */
    static MaxPool2d ceilMaxPool(int kernel, int stride, int padding) {
        return MaxPool2d.builder(kernel).stride(stride).padding(padding).ceilMode(true).build();
    }
}
