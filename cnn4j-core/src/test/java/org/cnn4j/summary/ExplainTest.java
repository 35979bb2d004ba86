package org.cnn4j.summary;

import org.cnn4j.models.ModelSpec;
import org.cnn4j.models.Zoo;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The explainer on the seeds' worked examples (SEEDS.md "Worked examples", seeds 000, 002, 004). */
class ExplainTest {
    private static final String SEED_INPUT = "1,0,0,0,0,1; 0,1,0,0,1,0; 0,0,1,1,0,0; 1,0,0,0,1,0; 0,1,0,0,1,0; 0,0,1,0,1,0";

    @Test
    void cifarCnnWalkShowsEachFormulaWithTheNumbers() {
        Explain.ModelExplanation e = Explain.model(Zoo.create("cifar-cnn"), "cifar-cnn", 3, 32, 32);
        String expected = """
                cifar-cnn: input (3, 32, 32) (C, H, W), O = (I - F + 2P)/S + 1 per axis
                layer1.0   Conv2d(3->7, k5, s1, p0): H = (32 - 5 + 2*0)/1 + 1 = 28, W = 28, C = 7 filters; params 5*5*3*7 + 7 = 532
                layer1.1   BatchNorm2d(7): shape unchanged (7, 28, 28); params 2*7 = 14 (gamma and beta per channel)
                layer1.2   ReLU: shape unchanged (7, 28, 28); params 0
                layer1.3   MaxPool2d(k2, s2): H = (28 - 2)/2 + 1 = 14, W = 14, C = 7 (unchanged); params 0
                layer2.0   Conv2d(7->15, k5, s1, p2): H = (14 - 5 + 2*2)/1 + 1 = 14, W = 14, C = 15 filters; params 5*5*7*15 + 15 = 2640
                layer2.1   BatchNorm2d(15): shape unchanged (15, 14, 14); params 2*15 = 30 (gamma and beta per channel)
                layer2.2   ReLU: shape unchanged (15, 14, 14); params 0
                layer2.3   MaxPool2d(k2, s2): H = (14 - 2)/2 + 1 = 7, W = 7, C = 15 (unchanged); params 0
                (reshape)  (15, 7, 7) -> 15*7*7 = 735 features
                fc1        Linear(735->300): features 735 -> 300; params 735*300 + 300 = 220800
                fc2        Linear(300->10): features 300 -> 10; params 300*10 + 10 = 3010
                output (10); total params 227,026
                """;
        assertEquals(expected, e.text());
        assertEquals(10, e.steps().size());
        assertEquals(227_026, e.steps().stream().mapToLong(Explain.Step::params).sum());
    }

    @Test
    void flooredDivisionsSkipConnectionsAndUnevenAxesAreShown() {
        String alex = Explain.model(Zoo.create("alexnet"), "alexnet", 3, 224, 224).text();
        assertTrue(alex.contains("features.0    Conv2d(3->64, k11, s4, p2): H = floor((224 - 11 + 2*2)/4) + 1 = 55, W = 55,"
                + " C = 64 filters; params 11*11*3*64 + 64 = 23296\n"), alex);
        assertTrue(alex.contains("AdaptiveAvgPool2d(6x6): H x W = 6x6 whatever the input (here 6x6)"), alex);
        String resnet = Explain.model(Zoo.create("resnet18-cifar"), "resnet18-cifar", 3, 32, 32).text();
        assertTrue(resnet.contains("MaxPool2d(k3, s2, p1): H = floor((16 - 3 + 2*1)/2) + 1 = 8, W = 8"), resnet);
        assertTrue(resnet.contains("(the next layer reads (64, 8, 8), not the previous output (128, 4, 4): a branch or skip connection)\n"
                + "layer2.0.downsample.0  Conv2d(64->128, k1, s2, p0): H = floor((8 - 1 + 2*0)/2) + 1 = 4"), resnet);
        assertTrue(resnet.contains("params 3*3*64*128 = 73728 (no bias)"), resnet);
        String wide = Explain.model(Zoo.create("cifar-cnn", new ModelSpec(3, 32, 40, 10)), "c", 3, 32, 40).text();
        assertTrue(wide.contains("H = (32 - 5 + 2*0)/1 + 1 = 28, W = (40 - 5 + 2*0)/1 + 1 = 36, C = 7 filters"), wide);
        String keras = Explain.model(Zoo.create("keras-cnn"), "keras-cnn", 1, 28, 28).text();
        assertTrue(keras.contains("params 3*3*32*64 + 64 = 18496"), keras); // seed 003's count
    }

    @Test
    void seed000ConvolutionStepByStep() {
        float[][] kernel = Explain.parseMatrix("1,0,1;0,1,0;1,0,1");
        float[][] input = Explain.reshape(Explain.parseNumbers(SEED_INPUT), 6, 6);
        Explain.ConvolutionExplanation e = Explain.convolution(6, 6, kernel, 1, 0, input);
        assertTrue(e.valid());
        assertArrayEquals(new float[][] {{3, 1, 1, 3}, {1, 2, 3, 0}, {1, 2, 2, 2}, {3, 0, 3, 1}}, e.output());
        String t = e.text();
        assertTrue(t.startsWith("input 6x6, kernel 3x3, stride 1, padding 0\nH = (I - F + 2P)/S + 1 = (6 - 3 + 2*0)/1 + 1 = 4\n"
                + "output 4x4: 16 windows\n"), t);
        // seed 000's first two steps, in its order: (input x filter) over the window row by row
        assertTrue(t.contains("step 1, output [0, 0], window rows 0..2, cols 0..2: "
                + "(1x1) + (0x0) + (0x1) + (0x0) + (1x1) + (0x0) + (0x1) + (0x0) + (1x1) = 3\n"), t);
        assertTrue(t.contains("step 2, output [0, 1], window rows 0..2, cols 1..3: "
                + "(0x1) + (0x0) + (0x1) + (1x0) + (0x1) + (0x0) + (0x1) + (1x0) + (1x1) = 1\n"), t);
        assertTrue(t.contains("step 16, output [3, 3]"), t);
        assertTrue(t.endsWith("feature map 4x4:\n3 1 1 3\n1 2 3 0\n1 2 2 2\n3 0 3 1\n"), t);

        // the identity-diagonal filter the seeds print gives SEEDS.md's other map
        Explain.ConvolutionExplanation diag = Explain.convolution(6, 6, Explain.parseMatrix("1,0,0;0,1,0;0,0,1"), 1, 0, input);
        assertArrayEquals(new float[][] {{3, 1, 0, 1}, {0, 2, 2, 0}, {0, 0, 2, 2}, {3, 0, 1, 1}}, diag.output());
    }

    @Test
    void paddingAndStrideUseZerosOutsideTheInput() {
        float[][] input = {{1, 2}, {3, 4}};
        Explain.ConvolutionExplanation e = Explain.convolution(2, 2, new float[][] {{1, 1}, {1, 1}}, 1, 1, input);
        assertArrayEquals(new float[][] {{1, 3, 2}, {4, 10, 6}, {3, 7, 4}}, e.output());
        assertTrue(e.text().contains("step 1, output [0, 0], window rows -1..0, cols -1..0: (0x1) + (0x1) + (0x1) + (1x1) = 1\n"), e.text());
        Explain.ConvolutionExplanation half = Explain.convolution(4, 4, new float[][] {{0.5f, -1}, {0.25f, 2}}, 2, 0,
                new float[][] {{1, 1, 1, 1}, {1, 1, 1, 1}, {1, 1, 1, 1}, {1, 1, 1, 1}});
        assertArrayEquals(new float[][] {{1.75f, 1.75f}, {1.75f, 1.75f}}, half.output());
        assertTrue(half.text().contains("(1x0.5) + (1x-1) + (1x0.25) + (1x2) = 1.75"), half.text());
    }

    /** Seed 004: H = W = 4, P = 1, F = 3: S = 1 gives 4, S = 3 gives 2, S = 2 gives 2.5, which is impossible. */
    @Test
    void seed004ImpossibleConfigurationNamesTheFormulaAndTheNearestValidOnes() {
        float[][] k = Explain.parseMatrix("1,1,1;1,1,1;1,1,1");
        assertEquals(4, Explain.convolution(4, 4, k, 1, 1, null).outH());
        assertEquals(2, Explain.convolution(4, 4, k, 3, 1, null).outH());
        Explain.ConvolutionExplanation bad = Explain.convolution(4, 4, k, 2, 1, null);
        assertFalse(bad.valid());
        assertNull(bad.output());
        String expected = """
                input 4x4, kernel 3x3, stride 2, padding 1
                H = (I - F + 2P)/S + 1 = (4 - 3 + 2*1)/2 + 1 = 2.5, not an integer (PyTorch would floor it to 2, leaving the last 1 padded row(s)/column(s) unvisited)
                impossible configuration: the window does not land evenly on the input
                  nearest valid strides with padding 1: 1 (H = 4), 3 (H = 2)
                  nearest valid paddings with stride 2: none (4 - 3 + 2P is odd for every P)
                  nearest valid kernel sizes with stride 2 and padding 1: 2 (H = 3), 4 (H = 2)
                """;
        assertEquals(expected, bad.text());
        // where another padding works: 6x6, kernel 2, stride 3: (6 - 2 + 2*0)/3 + 1 = 2.33; padding 1 gives (6 - 2 + 2)/3 + 1 = 3
        Explain.ConvolutionExplanation s3 = Explain.convolution(6, 6, Explain.parseMatrix("1,1;1,1"), 3, 0, null);
        assertFalse(s3.valid());
        assertTrue(s3.text().contains("nearest valid strides with padding 0: 2 (H = 3), 4 (H = 2)"), s3.text());
        assertTrue(s3.text().contains("nearest valid paddings with stride 3: 1 (H = 3)"), s3.text());
    }

    @Test
    void badInputsAreRejectedWithTheReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Explain.parseMatrix("1,0;1"));
        assertTrue(e.getMessage().contains("row 2 has 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Explain.parseNumbers("1,x,2"));
        assertTrue(e.getMessage().contains("'x' is not a number"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Explain.reshape(new float[5], 2, 3));
        assertTrue(e.getMessage().contains("5 values given for a 2x3 input (6 needed)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Explain.convolution(4, 4, new float[][] {{1}}, 0, 0, null));
        assertThrows(IllegalArgumentException.class, () -> Explain.convolution(4, 4, new float[][] {{1}}, 1, -1, null));
        String big = Explain.convolution(2, 2, Explain.parseMatrix("1,1,1;1,1,1;1,1,1"), 1, 0, null).text();
        assertTrue(big.contains("< 1: the kernel is larger than the padded input (2)"), big);
    }
}
