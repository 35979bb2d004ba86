package org.cnn4j.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code summary --style}, the model options, and {@code explain} / {@code explain conv}, in-process. */
class ZooCommandsTest {
    private static MainTest.Run run(String... args) {
        return MainTest.run(args);
    }

    @Test
    void summaryTakesTheModelOptionsAndBothStyles() {
        MainTest.Run cifar = run("summary", "--model", "cifar-cnn");
        assertEquals(0, cifar.code(), cifar.err());
        assertTrue(cifar.out().contains("           Linear-10                   [-1, 10]           3,010\n"), cifar.out());
        assertTrue(cifar.out().contains("Total params: 227,026\n"), cifar.out());

        MainTest.Run keras = run("summary", "--model", "keras-cnn", "--style", "keras");
        assertEquals(0, keras.code(), keras.err());
        assertTrue(keras.out().startsWith("Model: \"keras-cnn\"\n"), keras.out());
        assertTrue(keras.out().contains("conv2d_1 (Conv2d)            (None, 64, 26, 26)        18496\n"), keras.out());
        assertTrue(keras.out().contains("Total params: 1,101,526\n"), keras.out());

        MainTest.Run nested = run("summary", "--model", "resnet18_cifar", "--style", "keras", "--depth", "2");
        assertEquals(0, nested.code(), nested.err());
        assertTrue(nested.out().contains("\n  0 (BasicBlock)             (None, 64, 8, 8)          73984\n"), nested.out());
        assertTrue(!nested.out().contains("    conv1 (Conv2d)"), nested.out());
        assertTrue(nested.out().contains("Total params: 11,181,642\n"), nested.out());

        // num classes, channels and size: lenet5 for 3x32x32 and 100 classes: 5*5*3*6+6 = 456, fc 16*6*6 = 576
        MainTest.Run lenet = run("summary", "--model", "lenet5", "--input-size", "32,32", "--in-channels", "3", "--num-classes", "100");
        assertEquals(0, lenet.code(), lenet.err());
        long expected = 456 + (5 * 5 * 6 * 16 + 16) + (576 * 120 + 120) + (120 * 84 + 84) + (84 * 100 + 100);
        assertTrue(lenet.out().contains(String.format("Total params: %,d\n", expected)), lenet.out());
        assertTrue(lenet.out().contains("[-1, 100]"), lenet.out());
    }

    @Test
    void badModelOptionsAreReported() {
        MainTest.Run small = run("summary", "--model", "vgg16", "--input-size", "3,28,28");
        assertEquals(2, small.code(), small.out()); // a size the model cannot take is a usage error
        assertTrue(small.err().contains("vgg16 needs an input of at least 32x32"), small.err());
        MainTest.Run contradiction = run("summary", "--model", "cifar-cnn", "--input-size", "3,32,32", "--in-channels", "1");
        assertEquals(2, contradiction.code());
        assertTrue(contradiction.err().contains("--in-channels 1 contradicts --input-size 3,32,32"), contradiction.err());
        MainTest.Run style = run("summary", "--style", "tensorflow");
        assertEquals(2, style.code());
        MainTest.Run unknown = run("explain", "--model", "inception-v3");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("'inception-v3' is not a known model"), unknown.err());
    }

    @Test
    void explainWalksAModel() {
        MainTest.Run r = run("explain", "--model", "cifar-cnn");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("layer1.0   Conv2d(3->7, k5, s1, p0): H = (32 - 5 + 2*0)/1 + 1 = 28, W = 28, C = 7 filters; "
                + "params 5*5*3*7 + 7 = 532\n"), r.out());
        assertTrue(r.out().contains("layer1.3   MaxPool2d(k2, s2): H = (28 - 2)/2 + 1 = 14, W = 14, C = 7 (unchanged); params 0\n"), r.out());
        assertTrue(r.out().contains("fc1        Linear(735->300): features 735 -> 300; params 735*300 + 300 = 220800\n"), r.out());
        MainTest.Run wide = run("explain", "--model", "fashion-cnn", "--input-size", "1,28,36");
        assertEquals(0, wide.code(), wide.err());
        assertTrue(wide.out().contains("W = (36 - 3 + 2*1)/1 + 1 = 36"), wide.out());
    }

    @Test
    void explainConvWorksTheSeedsExampleAndRejectsTheImpossibleOne() {
        MainTest.Run r = run("explain", "conv", "--input", "6x6", "--kernel", "1,0,1;0,1,0;1,0,1", "--stride", "1",
                "--values", "1,0,0,0,0,1;0,1,0,0,1,0;0,0,1,1,0,0;1,0,0,0,1,0;0,1,0,0,1,0;0,0,1,0,1,0");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("step 1, output [0, 0], window rows 0..2, cols 0..2: "
                + "(1x1) + (0x0) + (0x1) + (0x0) + (1x1) + (0x0) + (0x1) + (0x0) + (1x1) = 3\n"), r.out());
        assertTrue(r.out().endsWith("feature map 4x4:\n3 1 1 3\n1 2 3 0\n1 2 2 2\n3 0 3 1\n"), r.out());

        MainTest.Run bad = run("explain", "conv", "--input", "4x4", "--kernel", "1,1,1;1,1,1;1,1,1", "--stride", "2", "--padding", "1");
        assertEquals(2, bad.code());
        assertTrue(bad.out().contains("(4 - 3 + 2*1)/2 + 1 = 2.5, not an integer"), bad.out());
        assertTrue(bad.out().contains("nearest valid strides with padding 1: 1 (H = 4), 3 (H = 2)"), bad.out());
        assertTrue(bad.err().contains("impossible configuration"), bad.err());

        MainTest.Run count = run("explain", "conv", "--input", "3x3", "--kernel", "1", "--values", "1,2,3");
        assertEquals(2, count.code());
        assertTrue(count.err().contains("3 values given for a 3x3 input (9 needed)"), count.err());
    }
}
