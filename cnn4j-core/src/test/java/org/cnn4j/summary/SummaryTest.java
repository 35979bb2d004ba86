package org.cnn4j.summary;

import org.cnn4j.models.FashionCNN;
import org.cnn4j.models.FashionDNN;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.ReLU;
import org.cnn4j.nn.Sequential;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SummaryTest {

    @Test
    void fashionCnnRowsShapesAndTotalsMatchTorchsummary() {
        Summary s = Summary.of(new FashionCNN(), 1, 28, 28);
        List<String> names = s.rows().stream().map(Summary.Row::name).toList();
        assertEquals(List.of("Conv2d-1", "BatchNorm2d-2", "ReLU-3", "MaxPool2d-4", "Conv2d-5", "BatchNorm2d-6", "ReLU-7",
                "MaxPool2d-8", "Linear-9", "Dropout2d-10", "Linear-11", "Linear-12"), names);
        List<String> shapes = s.rows().stream().map(Summary.Row::shapeString).toList();
        assertEquals(List.of("[-1, 32, 28, 28]", "[-1, 32, 28, 28]", "[-1, 32, 28, 28]", "[-1, 32, 14, 14]",
                "[-1, 64, 12, 12]", "[-1, 64, 12, 12]", "[-1, 64, 12, 12]", "[-1, 64, 6, 6]",
                "[-1, 600]", "[-1, 600]", "[-1, 120]", "[-1, 10]"), shapes);
        long[] params = s.rows().stream().mapToLong(Summary.Row::params).toArray();
        assertArrayEquals(new long[] {320, 64, 0, 0, 18_496, 128, 0, 0, 1_383_000, 0, 72_120, 1_210}, params);
        assertEquals("layer1.0", s.rows().get(0).path());
        assertEquals("fc3", s.rows().get(11).path());
        assertEquals(1_475_338, s.totalParams());
        assertEquals(1_475_338, s.trainableParams());
        assertEquals(0, s.nonTrainableParams());
    }

    @Test
    void fashionCnnTableIsLaidOutAsTorchsummary() {
        String expected = """
                ----------------------------------------------------------------
                        Layer (type)               Output Shape         Param #
                ================================================================
                            Conv2d-1           [-1, 32, 28, 28]             320
                       BatchNorm2d-2           [-1, 32, 28, 28]              64
                              ReLU-3           [-1, 32, 28, 28]               0
                         MaxPool2d-4           [-1, 32, 14, 14]               0
                            Conv2d-5           [-1, 64, 12, 12]          18,496
                       BatchNorm2d-6           [-1, 64, 12, 12]             128
                              ReLU-7           [-1, 64, 12, 12]               0
                         MaxPool2d-8             [-1, 64, 6, 6]               0
                            Linear-9                  [-1, 600]       1,383,000
                        Dropout2d-10                  [-1, 600]               0
                           Linear-11                  [-1, 120]          72,120
                           Linear-12                   [-1, 10]           1,210
                ================================================================
                Total params: 1,475,338
                Trainable params: 1,475,338
                Non-trainable params: 0
                ----------------------------------------------------------------
                Input size (MB): 0.00
                Forward/backward pass size (MB): 0.86
                Params size (MB): 5.63
                Estimated Total Size (MB): 6.49
                ----------------------------------------------------------------
                """;
        assertEquals(expected, Summary.of(new FashionCNN(), 1, 28, 28).table());
    }

    @Test
    void sizesFollowTorchsummaryFormulas() {
        Summary s = Summary.of(new FashionCNN(), 1, 28, 28);
        // sum of output numels = 112,818; x2 (gradients) x4 bytes
        assertEquals(2.0 * 112_818 * 4 / (1024.0 * 1024.0), s.forwardBackwardSizeMB(), 1e-12);
        assertEquals(784 * 4 / (1024.0 * 1024.0), s.inputSizeMB(), 1e-12);
        assertEquals(1_475_338 * 4 / (1024.0 * 1024.0), s.paramsSizeMB(), 1e-12);
        assertEquals(s.inputSizeMB() + s.forwardBackwardSizeMB() + s.paramsSizeMB(), s.estimatedTotalSizeMB(), 1e-12);
    }

    @Test
    void fashionDnnCountsOnlyModulesAsRows() {
        Summary s = Summary.of(new FashionDNN(), 1, 28, 28);
        // The DNN applies ReLU functionally (as the seed's F.relu), so only the modules appear.
        assertEquals(List.of("Linear-1", "Dropout-2", "Linear-3", "Linear-4"), s.rows().stream().map(Summary.Row::name).toList());
        assertEquals(List.of("[-1, 256]", "[-1, 256]", "[-1, 128]", "[-1, 10]"),
                s.rows().stream().map(Summary.Row::shapeString).toList());
        assertEquals(235_146, s.totalParams());
        assertEquals(235_146, s.trainableParams());
        assertTrue(s.table().contains("Total params: 235,146\n"));
    }

    @Test
    void frozenParametersAreNonTrainable() {
        FashionCNN model = new FashionCNN();
        model.requiresGrad(false);
        // unfreeze the classifier head only, as in feature extraction
        Module head = model.namedModules().get("fc3");
        head.requiresGrad(true);
        Summary s = Summary.of(model, 1, 28, 28);
        assertEquals(1_475_338, s.totalParams());
        assertEquals(1_210, s.trainableParams());
        assertEquals(1_475_338 - 1_210, s.nonTrainableParams());
        assertTrue(s.table().contains("Trainable params: 1,210\n"));
        assertTrue(s.table().contains("Non-trainable params: 1,474,128\n"));
        Summary.Row fc3 = s.rows().get(11);
        assertEquals(1_210, fc3.trainable());
        assertEquals(0, s.rows().get(0).trainable());
    }

    @Test
    void restoresTrainingModeAndRemovesHooks() {
        FashionCNN model = new FashionCNN();
        model.train(true);
        Summary.of(model, 1, 28, 28);
        assertTrue(model.isTraining());
        model.eval();
        Summary.of(model, 1, 28, 28);
        assertFalse(model.isTraining());
        // hooks removed: a second summary numbers from 1 again and has the same rows
        assertEquals(12, Summary.of(model, 1, 28, 28).rows().size());
    }

    @Test
    void aModuleCalledTwiceGivesTwoRows() {
        Linear shared = new Linear(4, 4);
        Module twice = new Module() {
            { registerModule("shared", shared); }

            @Override
            public org.cnn4j.tensor.Tensor forward(org.cnn4j.tensor.Tensor x) {
                return shared.call(shared.call(x));
            }
        };
        Summary s = Summary.of(twice, 4);
        assertEquals(List.of("Linear-1", "Linear-2"), s.rows().stream().map(Summary.Row::name).toList());
        assertEquals(20, s.totalParams()); // counted once, unlike torchsummary's row sum
    }

    @Test
    void sequentialItselfGetsNoRow() {
        Sequential seq = new Sequential(new Conv2d(3, 8, 3), new ReLU());
        Summary s = Summary.of(seq, 3, 10, 10);
        assertEquals(List.of("Conv2d-1", "ReLU-2"), s.rows().stream().map(Summary.Row::name).toList());
        assertEquals("[-1, 8, 8, 8]", s.rows().get(0).shapeString());
        assertEquals(224, s.totalParams());
    }

    @Test
    void wrongInputShapeNamesTheLayer() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Summary.of(new FashionCNN(), 3, 32, 32));
        assertTrue(e.getMessage().contains("layer1.0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Summary.of(new FashionCNN(), 0, 28, 28));
        assertThrows(IllegalArgumentException.class, () -> Summary.of(new FashionCNN()));
    }

    @Test
    void formatsNumbersAsPython() {
        assertEquals("1,475,338", Summary.thousands(1_475_338));
        assertEquals("0", Summary.thousands(0));
        assertEquals("0.12", Summary.twoDecimals(0.125)); // '%0.2f' % 0.125 == '0.12' (ties to even)
        assertEquals("1.00", Summary.twoDecimals(1.005)); // 1.005 is 1.00499999... in binary
        assertEquals("0.00", Summary.twoDecimals(0.00299));
        assertEquals("5.63", Summary.twoDecimals(5.628));
    }
}
