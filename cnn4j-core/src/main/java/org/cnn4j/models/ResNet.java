package org.cnn4j.models;

import org.cnn4j.nn.AdaptiveAvgPool2d;
import org.cnn4j.nn.BatchNorm2d;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.MaxPool2d;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.ReLU;
import org.cnn4j.nn.Sequential;
import org.cnn4j.tensor.Tensor;

/**
 * ResNet as torchvision builds it (v1.5: the stride of a bottleneck sits on its 3x3 conv), with
 * torchvision's module names so its state dicts load without renaming: conv1, bn1, relu, maxpool,
 * layer1..layer4 (blocks "0", "1", ... each with conv1/bn1/conv2/bn2[/conv3/bn3] and an optional
 * downsample = Sequential(1x1 conv, batch norm)), avgpool, fc. Convolutions have no bias.
 * Parameter counts for 1000 classes: ResNet-18 11,689,512, ResNet-34 21,797,672, ResNet-50 25,557,032;
 * ResNet-18 with 10 classes (the zoo's resnet18-cifar, for 32x32 input) 11,181,642. torchvision's
 * initialisation: convolutions kaiming-normal (fan_out, ReLU), batch norm 1 and 0, the linear layer
 * PyTorch's default. Any input size works: the adaptive pooling sizes the classifier's input.
 */
public final class ResNet extends Module {
    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final ReLU relu;
    private final MaxPool2d maxpool;
    private final Sequential layer1, layer2, layer3, layer4;
    private final AdaptiveAvgPool2d avgpool;
    private final Linear fc;
    private final String name;

    public static ResNet resnet18(int numClasses) {
        return resnet18(new ModelSpec(3, 224, 224, numClasses));
    }

    public static ResNet resnet34(int numClasses) {
        return resnet34(new ModelSpec(3, 224, 224, numClasses));
    }

    public static ResNet resnet50(int numClasses) {
        return resnet50(new ModelSpec(3, 224, 224, numClasses));
    }

    public static ResNet resnet18(ModelSpec spec) {
        return new ResNet("ResNet-18", false, new int[] {2, 2, 2, 2}, spec.numClasses(), spec.inChannels());
    }

    public static ResNet resnet34(ModelSpec spec) {
        return new ResNet("ResNet-34", false, new int[] {3, 4, 6, 3}, spec.numClasses(), spec.inChannels());
    }

    public static ResNet resnet50(ModelSpec spec) {
        return new ResNet("ResNet-50", true, new int[] {3, 4, 6, 3}, spec.numClasses(), spec.inChannels());
    }

    /**
     * @param bottleneck  Bottleneck blocks (expansion 4) instead of basic blocks
     * @param blocks      blocks per stage
     * @param inChannels  input channels (3 for RGB)
     */
    public ResNet(String name, boolean bottleneck, int[] blocks, int numClasses, int inChannels) {
        if (blocks.length != 4) throw new IllegalArgumentException("ResNet: 4 stages expected. Received: " + blocks.length);
        if (numClasses <= 0) throw new IllegalArgumentException("ResNet: num_classes must be positive. Received: " + numClasses);
        this.name = name;
        if (inChannels <= 0) throw new IllegalArgumentException("ResNet: in_channels must be positive. Received: " + inChannels);
        conv1 = registerModule("conv1", conv(inChannels, 64, 7).stride(2).padding(3).build());
        bn1 = registerModule("bn1", new BatchNorm2d(64));
        relu = registerModule("relu", new ReLU());
        maxpool = registerModule("maxpool", new MaxPool2d(3, 2, 1));
        int expansion = bottleneck ? 4 : 1;
        int[] in = {64};
        layer1 = registerModule("layer1", stage(bottleneck, in, 64, blocks[0], 1));
        layer2 = registerModule("layer2", stage(bottleneck, in, 128, blocks[1], 2));
        layer3 = registerModule("layer3", stage(bottleneck, in, 256, blocks[2], 2));
        layer4 = registerModule("layer4", stage(bottleneck, in, 512, blocks[3], 2));
        avgpool = registerModule("avgpool", new AdaptiveAvgPool2d(1));
        fc = registerModule("fc", new Linear(512 * expansion, numClasses));
        // As torchvision: blocks are built with the default initialisation, then every convolution of the
        // network is re-drawn kaiming-normal (fan_out); batch norm starts at 1 and 0 already.
        TorchvisionInit.reinitConvolutions(this);
    }

    private static Sequential stage(boolean bottleneck, int[] in, int width, int count, int stride) {
        Sequential s = new Sequential();
        for (int i = 0; i < count; i++) {
            int st = i == 0 ? stride : 1;
            Module block = bottleneck ? new Bottleneck(in[0], width, st) : new BasicBlock(in[0], width, st);
            s.add(block);
            in[0] = width * (bottleneck ? 4 : 1);
        }
        return s;
    }

    private static Sequential downsample(int in, int out, int stride) {
        return new Sequential(conv(in, out, 1).stride(stride).build(), new BatchNorm2d(out));
    }

    /** A bias-free convolution (PyTorch's default initialisation until the ResNet re-initialises it). */
    private static Conv2d.Builder conv(int in, int out, int k) {
        return Conv2d.builder(in, out, k).bias(false);
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor out = bn1.callWithReluAndPool(relu, maxpool, conv1.call(x));
        out = layer4.call(layer3.call(layer2.call(layer1.call(out))));
        out = avgpool.call(out).flatten(1);
        return fc.call(out);
    }

    @Override
    public String describe() {
        return name;
    }

    /** Two 3x3 convs with a residual connection: relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x)). */
    public static final class BasicBlock extends Module {
        private final Conv2d conv1, conv2;
        private final BatchNorm2d bn1, bn2;
        private final ReLU relu;
        private final Sequential downsample;

        public BasicBlock(int in, int width, int stride) {
            conv1 = registerModule("conv1", conv(in, width, 3).stride(stride).padding(1).build());
            bn1 = registerModule("bn1", new BatchNorm2d(width));
            relu = registerModule("relu", new ReLU());
            conv2 = registerModule("conv2", conv(width, width, 3).padding(1).build());
            bn2 = registerModule("bn2", new BatchNorm2d(width));
            downsample = stride != 1 || in != width ? registerModule("downsample", downsample(in, width, stride)) : null;
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor out = conv2.call(bn1.callWithRelu(relu, conv1.call(x)));
            Tensor identity = downsample == null ? x : downsample.call(x);
            return bn2.callWithAddAndRelu(out, identity, relu);
        }

        @Override
        public String describe() {
            return "BasicBlock";
        }
    }

    /** 1x1 reduce, 3x3 (strided), 1x1 expand by 4, with a residual connection. */
    public static final class Bottleneck extends Module {
        private final Conv2d conv1, conv2, conv3;
        private final BatchNorm2d bn1, bn2, bn3;
        private final ReLU relu;
        private final Sequential downsample;

        public Bottleneck(int in, int width, int stride) {
            int out = width * 4;
            conv1 = registerModule("conv1", conv(in, width, 1).build());
            bn1 = registerModule("bn1", new BatchNorm2d(width));
            conv2 = registerModule("conv2", conv(width, width, 3).stride(stride).padding(1).build());
            bn2 = registerModule("bn2", new BatchNorm2d(width));
            conv3 = registerModule("conv3", conv(width, out, 1).build());
            bn3 = registerModule("bn3", new BatchNorm2d(out));
            relu = registerModule("relu", new ReLU());
            downsample = stride != 1 || in != out ? registerModule("downsample", downsample(in, out, stride)) : null;
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor out = bn1.callWithRelu(relu, conv1.call(x));
            out = conv3.call(bn2.callWithRelu(relu, conv2.call(out)));
            Tensor identity = downsample == null ? x : downsample.call(x);
            return bn3.callWithAddAndRelu(out, identity, relu);
        }

        @Override
        public String describe() {
            return "Bottleneck";
        }
    }
}
