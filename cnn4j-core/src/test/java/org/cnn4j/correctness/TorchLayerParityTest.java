package org.cnn4j.correctness;

import org.cnn4j.nn.AvgPool2d;
import org.cnn4j.nn.BatchNorm1d;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.LogSoftmax;
import org.cnn4j.nn.MaxPool2d;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.Padding;
import org.cnn4j.nn.Softmax;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;


/**
 * Single layers in the configurations the models do not exercise, against PyTorch 1.13 values written by
 * tools/fixtures/make_layer_fixture.py: forward output, and the gradients of input and parameters for
 * the stored upstream gradient r (backward of sum(y * r)).
 */
class TorchLayerParityTest {
    private static final double RTOL = 1e-4;
    private static TorchFixture f;

    @BeforeAll
    static void load() throws Exception {
        f = TorchFixture.load("layers_torch.safetensors");
    }

    private static void check(String c, Module layer, Tensor... params) {
        f.checkLayer(c, layer, "gradients", RTOL);
        String[] names = {"weight", "bias"};
        for (int i = 0; i < params.length; i++)
            f.assertClose("gradients", c + ".d" + names[i], params[i].grad().data(), f.get(c + ".d" + names[i]).data(), RTOL, 1e-6, 1e-3);
    }

    private static void conv(String c, Conv2d conv) {
        System.arraycopy(f.get(c + ".weight").data(), 0, conv.weight().data(), 0, conv.weight().numel());
        System.arraycopy(f.get(c + ".bias").data(), 0, conv.bias().data(), 0, conv.bias().numel());
        check(c, conv, conv.weight(), conv.bias());
    }

    @Test
    void convolutions() {
        conv("conv_s3_p1", new Conv2d(2, 2, 3, 3, 1));
        conv("conv_k3x2_s2_p1", Conv2d.builder(3, 2, 3).kernel(3, 2).stride(2).padding(1).build());
        conv("conv_k2x3_s2x1_p0x2", Conv2d.builder(2, 3, 2).kernel(2, 3).stride(2, 1).padding(Padding.of(0, 2)).build());
        conv("conv_same_k2_s1", Conv2d.builder(2, 2, 2).padding(Padding.SAME).build());
        conv("conv_same_k4x2_s2", Conv2d.builder(1, 2, 4).kernel(4, 2).stride(2).padding(Padding.SAME).build());
    }

    @Test
    void pooling() {
        check("maxpool_k3_s2_p1", new MaxPool2d(3, 2, 1));
        check("maxpool_k3_s2", new MaxPool2d(3, 2));
        check("avgpool_k3_s2_p1", new AvgPool2d(3, 2, 1));
    }

    @Test
    void batchNorm1dOnNCL() {
        BatchNorm1d bn = new BatchNorm1d(4);
        System.arraycopy(f.get("bn1d_train.weight").data(), 0, bn.weight().data(), 0, 4);
        System.arraycopy(f.get("bn1d_train.bias").data(), 0, bn.bias().data(), 0, 4);
        System.arraycopy(f.get("bn1d_train.running_mean").data(), 0, bn.runningMean().data(), 0, 4);
        System.arraycopy(f.get("bn1d_train.running_var").data(), 0, bn.runningVar().data(), 0, 4);
        check("bn1d_train", bn, bn.weight(), bn.bias());
        f.assertClose("running stats", "running_mean", bn.runningMean().data(), f.get("bn1d_train.after_running_mean").data(), RTOL, 1e-7, 1e-4);
        f.assertClose("running stats", "running_var", bn.runningVar().data(), f.get("bn1d_train.after_running_var").data(), RTOL, 1e-7, 1e-4);
    }

    @Test
    void softmaxes() {
        check("log_softmax_dim0", new LogSoftmax(0));
        check("softmax_dim1", new Softmax(1));
    }

    @AfterAll
    static void report() {
        System.out.println("single layers vs PyTorch " + f.metadata.get("torch_version") + ":\n" + f.report());
    }
}
