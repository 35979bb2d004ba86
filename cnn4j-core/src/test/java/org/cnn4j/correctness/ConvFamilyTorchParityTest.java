package org.cnn4j.correctness;

import org.cnn4j.nn.Conv1d;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Conv3d;
import org.cnn4j.nn.ConvLayer;
import org.cnn4j.nn.ConvTranspose1d;
import org.cnn4j.nn.ConvTranspose2d;
import org.cnn4j.nn.ConvTranspose3d;
import org.cnn4j.nn.Padding;
import org.cnn4j.nn.PaddingMode;
import org.cnn4j.nn.functional.ConvOptions;
import org.cnn4j.nn.functional.Functional;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The convolution family against PyTorch 1.13 values written by tools/fixtures/conv_family.py: forward output
 * and the gradients of input, weight and bias for the stored upstream gradient r (backward of sum(y * r)), each
 * within a norm-relative error of 1e-4.
 */
class ConvFamilyTorchParityTest {
    private static final double RTOL = 1e-4;
    private static TorchFixture f;

    @BeforeAll
    static void load() throws Exception {
        f = TorchFixture.load("conv_family_torch.safetensors");
    }

    private static void check(String c, ConvLayer layer) {
        assertArrayEquals(f.get(c + ".weight").shape(), layer.weight().shape(), c + " weight shape as PyTorch's");
        System.arraycopy(f.get(c + ".weight").data(), 0, layer.weight().data(), 0, layer.weight().numel());
        boolean hasBias = f.tensors.containsKey(c + ".bias");
        assertEquals(hasBias, layer.bias() != null, c + " bias");
        if (hasBias) System.arraycopy(f.get(c + ".bias").data(), 0, layer.bias().data(), 0, layer.bias().numel());
        f.checkLayer(c, layer, "input gradients", RTOL);
        f.assertClose("weight gradients", c + ".dweight", layer.weight().grad().data(), f.get(c + ".dweight").data(),
                RTOL, 1e-6, 1e-3);
        if (hasBias)
            f.assertClose("bias gradients", c + ".dbias", layer.bias().grad().data(), f.get(c + ".dbias").data(), RTOL,
                    1e-6, 1e-3);
    }

    @Test
    void conv1d() {
        check("c1d_s2_d2_g2", Conv1d.builder(4, 6, 3).stride(2).padding(1).dilation(2).groups(2).build());
        check("c1d_reflect_p2", Conv1d.builder(3, 2, 5).padding(2).paddingMode(PaddingMode.REFLECT).build());
        check("c1d_circular_depthwise", Conv1d.builder(3, 6, 3).padding(3).groups(3).paddingMode(PaddingMode.CIRCULAR)
                .bias(false).build());
        check("c1d_same_k4_s3", Conv1d.builder(2, 3, 4).stride(3).padding(Padding.SAME).build());
    }

    @Test
    void conv2d() {
        check("c2d_d2_s2_g3", Conv2d.builder(6, 9, 3).stride(2).padding(2).dilation(2).groups(3).build());
        check("c2d_dw_s1", Conv2d.builder(5, 5, 3).padding(1).groups(5).build());
        check("c2d_dw_s2_mult2", Conv2d.builder(3, 6, 3).stride(2).padding(1).groups(3).build());
        check("c2d_asym_0_2_1_0", Conv2d.builder(2, 3, 3).stride(1, 2).padding(0, 2, 1, 0).build());
        check("c2d_same_k4_d2", Conv2d.builder(2, 2, 4).padding(Padding.SAME).dilation(2).build());
        check("c2d_same_k4x3_s2_d(1,2)", Conv2d.builder(2, 3, 4).kernel(4, 3).stride(2).dilation(1, 2)
                .padding(Padding.SAME).build());
        check("c2d_reflect", Conv2d.builder(2, 3, 3).padding(1, 2).paddingMode(PaddingMode.REFLECT).build());
        check("c2d_replicate_s2", Conv2d.builder(2, 3, 3).stride(2).padding(2).paddingMode(PaddingMode.REPLICATE).build());
        check("c2d_circular_g2", Conv2d.builder(4, 2, 3).padding(1).groups(2).paddingMode(PaddingMode.CIRCULAR).build());
        check("c2d_1x1", new Conv2d(5, 7, 1));
        check("c2d_1x1_g2_nobias", Conv2d.builder(4, 6, 1).groups(2).bias(false).build());
    }

    @Test
    void conv3d() {
        check("c3d_s(2,1,2)_p(1,0,1)", Conv3d.builder(2, 3, 3).kernel(3, 2, 3).stride(2, 1, 2).padding(1, 0, 1).build());
        check("c3d_d2_g2_replicate", Conv3d.builder(4, 4, 2).dilation(2).groups(2).padding(1)
                .paddingMode(PaddingMode.REPLICATE).build());
    }

    @Test
    void transposed() {
        check("t1d_s3_p1_op2", ConvTranspose1d.builder(2, 3, 4).stride(3).padding(1).outputPadding(2).build());
        check("t2d_s2_p1_op1", ConvTranspose2d.builder(3, 2, 3).stride(2).padding(1).outputPadding(1).build());
        check("t2d_g2_d2_s(3,1)_op(2,0)", ConvTranspose2d.builder(4, 6, 3).kernel(3, 2).stride(3, 1).padding(0, 1)
                .outputPadding(2, 0).groups(2).dilation(2).bias(false).build());
        check("t2d_dw_s2", ConvTranspose2d.builder(3, 3, 3).stride(2).groups(3).build());
        check("t3d_s2_p1_op(1,0,1)", ConvTranspose3d.builder(2, 3, 3).stride(2).padding(1).outputPadding(1, 0, 1).build());
    }

    @Test
    void functionalFormsTakeTheSameWeights() {
        String c = "c2d_d2_s2_g3";
        Tensor y = Functional.conv2d(f.get(c + ".x"), f.get(c + ".weight"), f.get(c + ".bias"),
                ConvOptions.DEFAULT.stride(2).padding(2).dilation(2).groups(3));
        f.assertClose("outputs", "F.conv2d " + c, y.data(), f.get(c + ".y").data(), RTOL, 1e-6, 1e-3);
        String t = "t2d_s2_p1_op1";
        Tensor yt = Functional.convTranspose2d(f.get(t + ".x"), f.get(t + ".weight"), f.get(t + ".bias"),
                ConvOptions.DEFAULT.stride(2).padding(1).outputPadding(1));
        f.assertClose("outputs", "F.conv_transpose2d " + t, yt.data(), f.get(t + ".y").data(), RTOL, 1e-6, 1e-3);
    }

    @AfterAll
    static void report() {
        System.out.println("convolution family vs PyTorch " + f.metadata.get("torch_version") + ":\n" + f.report());
    }
}
