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
import org.cnn4j.tensor.Rng;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static org.cnn4j.correctness.TestTensors.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * Finite-difference gradient checks (input, weight, bias) of every convolution option that changes the code
 * path: stride 2-3, dilation, groups and depthwise, asymmetric padding, each padding mode, 1x1, transposed with
 * output_padding, 1-D and 3-D, the functional and the NHWC forms. Each also checks the output shape.
 */
class ConvFamilyGradientTest {
    @AfterAll
    static void report() {
        System.out.println("conv family " + GradCheck.summary());
    }

    private static void check(String label, ConvLayer layer, int[] inputShape, int[] expectedOut) {
        Tensor x = uniform(label.hashCode(), -1, 1, inputShape);
        assertArrayEquals(expectedOut, layer.call(x).shape(), label + " output shape");
        if (layer.bias() != null)
            GradCheck.of(label).check(() -> layer.call(x), x, layer.weight(), layer.bias());
        else
            GradCheck.of(label).check(() -> layer.call(x), x, layer.weight());
    }

    // ---------------------------------------------------------------- 2-D options

    @Test
    void conv2dDilation() {
        Rng.manualSeed(21);
        // H: (9 + 2 - 2*2 - 1)/1 + 1 = 7; W: (8 + 2 - 3*2 - 1)/2 + 1 = 2 (floored)
        check("conv2d dilation (2,3) stride (1,2) p1", Conv2d.builder(2, 3, 3).dilation(2, 3).stride(1, 2).padding(1)
                .build(), new int[] {2, 2, 9, 8}, new int[] {2, 3, 7, 2});
    }

    @Test
    void conv2dStride3WithGroups() {
        Rng.manualSeed(22);
        check("conv2d groups 2 stride 3", Conv2d.builder(4, 6, 3).groups(2).stride(3).padding(1).build(),
                new int[] {2, 4, 8, 7}, new int[] {2, 6, 3, 3});
    }

    @Test
    void conv2dDepthwise() {
        Rng.manualSeed(23);
        check("depthwise 3x3 s1", Conv2d.builder(3, 3, 3).groups(3).padding(1).build(), new int[] {2, 3, 6, 5},
                new int[] {2, 3, 6, 5});
        check("depthwise 3x3 s2", Conv2d.builder(3, 3, 3).groups(3).stride(2).padding(1).bias(false).build(),
                new int[] {2, 3, 7, 6}, new int[] {2, 3, 4, 3});
        check("depthwise multiplier 2, k(3,2) dilated", Conv2d.builder(2, 4, 3).kernel(3, 2).groups(2).dilation(2)
                .build(), new int[] {1, 2, 7, 6}, new int[] {1, 4, 3, 4});
    }

    @Test
    void conv2dAsymmetricPadding() {
        Rng.manualSeed(24);
        // (top, bottom, left, right) = (0, 2, 1, 0): H = 5 + 2 - 3 + 1 = 5, W = (6 + 1 - 3)/2 + 1 = 3
        check("conv2d padding (0,2,1,0) stride (1,2)", Conv2d.builder(2, 2, 3).padding(0, 2, 1, 0).stride(1, 2).build(),
                new int[] {2, 2, 5, 6}, new int[] {2, 2, 5, 3});
    }

    @Test
    void conv2dPaddingModes() {
        Rng.manualSeed(25);
        for (PaddingMode m : new PaddingMode[] {PaddingMode.REFLECT, PaddingMode.REPLICATE, PaddingMode.CIRCULAR}) {
            check("conv2d " + m + " p(1,2)", Conv2d.builder(2, 3, 3).padding(1, 2).paddingMode(m).build(),
                    new int[] {2, 2, 4, 5}, new int[] {2, 3, 4, 7});
            check("conv2d " + m + " same s2 + groups", Conv2d.builder(2, 2, 4).padding(Padding.SAME).stride(2).groups(2)
                    .paddingMode(m).build(), new int[] {1, 2, 7, 6}, new int[] {1, 2, 4, 3});
        }
        check("conv2d zeros same dilation 2", Conv2d.builder(2, 2, 3).padding("same").dilation(2).build(),
                new int[] {1, 2, 6, 5}, new int[] {1, 2, 6, 5});
    }

    @Test
    void conv2dPointwise() {
        Rng.manualSeed(26);
        check("1x1", new Conv2d(3, 4, 1), new int[] {2, 3, 5, 6}, new int[] {2, 4, 5, 6});
        check("1x1 stride 2", Conv2d.builder(3, 4, 1).stride(2).build(), new int[] {2, 3, 5, 6}, new int[] {2, 4, 3, 3});
        check("1x1 groups 2", Conv2d.builder(4, 6, 1).groups(2).build(), new int[] {2, 4, 3, 5}, new int[] {2, 6, 3, 5});
    }

    // ---------------------------------------------------------------- transposed

    @Test
    void convTranspose2d() {
        Rng.manualSeed(27);
        // (4 - 1)*2 - 2 + 2 + 1 + 1 = 8, (3 - 1)*2 - 2 + 2 + 1 + 1 = 6
        check("convT2d s2 p1 op1", ConvTranspose2d.builder(3, 2, 3).stride(2).padding(1).outputPadding(1).build(),
                new int[] {2, 3, 4, 3}, new int[] {2, 2, 8, 6});
        // groups 2, dilation 2, stride (3,1), output_padding (2,0) (below stride 3), no bias
        // H: 3*2 - 0 + 2*2 + 2 + 1 = 13; W: 4*1 - 2 + 2*1 + 0 + 1 = 5
        check("convT2d groups 2 dilation 2 s(3,1) op(2,0)", ConvTranspose2d.builder(4, 2, 3).kernel(3, 2).groups(2)
                .dilation(2).stride(3, 1).padding(0, 1).outputPadding(2, 0).bias(false).build(),
                new int[] {1, 4, 3, 5}, new int[] {1, 2, 13, 5});
        check("convT2d asymmetric padding", ConvTranspose2d.builder(2, 3, 2).stride(2).padding(1, 0, 0, 1).build(),
                new int[] {2, 2, 3, 3}, new int[] {2, 3, 5, 5});
    }

    @Test
    void convTranspose1dAnd3d() {
        Rng.manualSeed(28);
        check("convT1d s3 p1 op2", ConvTranspose1d.builder(2, 3, 4).stride(3).padding(1).outputPadding(2).build(),
                new int[] {2, 2, 5}, new int[] {2, 3, 4 * 3 - 2 + 3 + 2 + 1});
        check("convT3d s2 p1 op1", ConvTranspose3d.builder(2, 2, 3).stride(2).padding(1).outputPadding(1, 0, 1).build(),
                new int[] {1, 2, 2, 3, 2}, new int[] {1, 2, 4, 5, 4});
    }

    // ---------------------------------------------------------------- 1-D and 3-D

    @Test
    void conv1d() {
        Rng.manualSeed(29);
        check("conv1d s2 p(0,1)", Conv1d.builder(3, 4, 3).stride(2).padding(0, 1).build(), new int[] {2, 3, 9},
                new int[] {2, 4, 4});
        check("conv1d dilation 3 groups 3 reflect", Conv1d.builder(3, 6, 3).dilation(3).groups(3).padding(2)
                .paddingMode(PaddingMode.REFLECT).build(), new int[] {2, 3, 8}, new int[] {2, 6, 6});
        check("conv1d same stride 3", Conv1d.builder(2, 2, 4).padding(Padding.SAME).stride(3).build(),
                new int[] {1, 2, 10}, new int[] {1, 2, 4});
    }

    @Test
    void conv3d() {
        Rng.manualSeed(30);
        check("conv3d k(2,3,3) p(0,1,1)", Conv3d.builder(2, 3, 3).kernel(2, 3, 3).padding(0, 1, 1).build(),
                new int[] {1, 2, 4, 5, 4}, new int[] {1, 3, 3, 5, 4});
        check("conv3d s2 groups 2 replicate", Conv3d.builder(2, 4, 3).stride(2).groups(2).padding(1)
                .paddingMode(PaddingMode.REPLICATE).build(), new int[] {2, 2, 5, 4, 5}, new int[] {2, 4, 3, 2, 3});
        check("conv3d depthwise dilation (1,2,1) circular", Conv3d.builder(2, 2, 2).groups(2).dilation(1, 2, 1)
                .padding(1).paddingMode(PaddingMode.CIRCULAR).build(), new int[] {1, 2, 3, 4, 3}, new int[] {1, 2, 4, 4, 4});
    }

    // ---------------------------------------------------------------- functional forms

    @Test
    void functionalConvWithExplicitWeights() {
        Tensor x = uniform(31, -1, 1, 2, 4, 6, 5);
        Tensor w = uniform(32, -0.5, 0.5, 6, 2, 3, 3);
        Tensor b = uniform(33, -0.5, 0.5, 6);
        ConvOptions o = ConvOptions.DEFAULT.stride(2, 1).padding(Padding.SAME).groups(2);
        assertArrayEquals(new int[] {2, 6, 3, 5}, Functional.conv2d(x, w, b, o).shape());
        GradCheck.of("F.conv2d same s(2,1) groups 2").check(() -> Functional.conv2d(x, w, b, o), x, w, b);
        Tensor wt = uniform(34, -0.5, 0.5, 4, 3, 2, 2);
        ConvOptions ot = ConvOptions.DEFAULT.stride(2).outputPadding(1);
        assertArrayEquals(new int[] {2, 3, 13, 11}, Functional.convTranspose2d(x, wt, null, ot).shape());
        GradCheck.of("F.conv_transpose2d").check(() -> Functional.convTranspose2d(x, wt, null, ot), x, wt);
    }

    @Test
    void functionalNhwcWithHwioFilters() {
        Tensor x = uniform(35, -1, 1, 2, 5, 4, 3);   // NHWC
        Tensor f = uniform(36, -0.5, 0.5, 2, 3, 3, 4); // HWIO
        ConvOptions o = ConvOptions.DEFAULT.stride(2).padding("same");
        Tensor y = Functional.conv2dNhwc(x, f, null, o);
        assertArrayEquals(new int[] {2, 3, 2, 4}, y.shape());
        GradCheck.of("conv2d NHWC/HWIO").check(() -> Functional.conv2dNhwc(x, f, null, o), x, f);
    }
}
