package org.cnn4j.summary;

import org.cnn4j.models.Zoo;
import org.cnn4j.nn.Module;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Summaries of zoo models: seed 002's torchsummary table row by row, and the Keras-style table. */
class ZooSummaryTest {

    /** Seed 002 prints this table for its CNN at (3, 32, 32); the rows and totals must match exactly. */
    @Test
    void cifarCnnReproducesSeed002sTableRowByRow() {
        Summary s = Summary.of(Zoo.create("cifar-cnn"), 3, 32, 32);
        List<String> seed = List.of(
                "Conv2d-1 [-1, 7, 28, 28] 532",
                "BatchNorm2d-2 [-1, 7, 28, 28] 14",
                "ReLU-3 [-1, 7, 28, 28] 0",
                "MaxPool2d-4 [-1, 7, 14, 14] 0",
                "Conv2d-5 [-1, 15, 14, 14] 2,640",
                "BatchNorm2d-6 [-1, 15, 14, 14] 30",
                "ReLU-7 [-1, 15, 14, 14] 0",
                "MaxPool2d-8 [-1, 15, 7, 7] 0",
                "Linear-9 [-1, 300] 220,800",
                "Linear-10 [-1, 10] 3,010");
        List<String> rows = s.rows().stream().map(r -> r.name() + " " + r.shapeString() + " " + Summary.thousands(r.params())).toList();
        assertEquals(seed, rows);
        String expected = """
                ----------------------------------------------------------------
                        Layer (type)               Output Shape         Param #
                ================================================================
                            Conv2d-1            [-1, 7, 28, 28]             532
                       BatchNorm2d-2            [-1, 7, 28, 28]              14
                              ReLU-3            [-1, 7, 28, 28]               0
                         MaxPool2d-4            [-1, 7, 14, 14]               0
                            Conv2d-5           [-1, 15, 14, 14]           2,640
                       BatchNorm2d-6           [-1, 15, 14, 14]              30
                              ReLU-7           [-1, 15, 14, 14]               0
                         MaxPool2d-8             [-1, 15, 7, 7]               0
                            Linear-9                  [-1, 300]         220,800
                           Linear-10                   [-1, 10]           3,010
                ================================================================
                Total params: 227,026
                Trainable params: 227,026
                Non-trainable params: 0
                ----------------------------------------------------------------
                Input size (MB): 0.01
                Forward/backward pass size (MB): 0.21
                Params size (MB): 0.87
                Estimated Total Size (MB): 1.09
                ----------------------------------------------------------------
                """;
        assertEquals(expected, s.table());
    }

    @Test
    void kerasCnnKerasStyleMatchesSeed003sColumnsAndTotals() {
        KerasSummary k = KerasSummary.of(Zoo.create("keras-cnn"), "keras-cnn", KerasSummary.ALL_LEVELS, 1, 28, 28);
        String expected = """
                Model: "keras-cnn"
                _________________________________________________________________
                Layer (type)                 Output Shape              Param #
                =================================================================
                input (InputLayer)           [(None, 1, 28, 28)]       0
                _________________________________________________________________
                conv2d (Conv2d)              (None, 32, 28, 28)        320
                _________________________________________________________________
                re_lu (ReLU)                 (None, 32, 28, 28)        0
                _________________________________________________________________
                conv2d_1 (Conv2d)            (None, 64, 26, 26)        18496
                _________________________________________________________________
                re_lu_1 (ReLU)               (None, 64, 26, 26)        0
                _________________________________________________________________
                max_pool2d (MaxPool2d)       (None, 64, 13, 13)        0
                _________________________________________________________________
                flatten (Flatten)            (None, 10816)             0
                _________________________________________________________________
                linear (Linear)              (None, 100)               1081700
                _________________________________________________________________
                re_lu_2 (ReLU)               (None, 100)               0
                _________________________________________________________________
                dropout (Dropout)            (None, 100)               0
                _________________________________________________________________
                linear_1 (Linear)            (None, 10)                1010
                =================================================================
                Total params: 1,101,526
                Trainable params: 1,101,526
                Non-trainable params: 0
                _________________________________________________________________
                """;
        assertEquals(expected, k.table());
    }

    @Test
    void nestedModulesShowWithDepthAndContainerTotals() {
        KerasSummary k = KerasSummary.of(Zoo.create("resnet18-cifar"), "resnet18-cifar", KerasSummary.ALL_LEVELS, 3, 32, 32);
        KerasSummary.Row layer2 = k.rows().stream().filter(r -> r.path().equals("layer2")).findFirst().orElseThrow();
        assertEquals(1, layer2.depth());
        assertEquals("Sequential", layer2.type());
        assertEquals(525_568, layer2.params());
        assertEquals("(None, 128, 4, 4)", layer2.shapeString());
        KerasSummary.Row block = k.rows().get(k.rows().indexOf(layer2) + 1);
        assertEquals("layer2.0", block.path());
        assertEquals("BasicBlock", block.type());
        assertEquals(2, block.depth());
        KerasSummary.Row conv = k.rows().get(k.rows().indexOf(layer2) + 2);
        assertEquals("layer2.0.conv1", conv.path());
        assertEquals(3, conv.depth());
        KerasSummary.Row ds = k.rows().stream().filter(r -> r.path().equals("layer2.0.downsample.0")).findFirst().orElseThrow();
        assertEquals(4, ds.depth());
        assertTrue(k.table().contains("\n    conv1 (Conv2d)           (None, 128, 4, 4)         73728\n"), k.table());
        assertEquals(11_181_642, k.totalParams());

        // depth 1: only the model's children; their params still add up to the total
        KerasSummary top = KerasSummary.of(Zoo.create("resnet18-cifar"), "r", 1, 3, 32, 32);
        assertEquals(List.of("conv1", "bn1", "relu", "maxpool", "layer1", "layer2", "layer3", "layer4", "avgpool", "fc"),
                top.rows().stream().map(KerasSummary.Row::path).toList());
        assertEquals(11_181_642, top.rows().stream().mapToLong(KerasSummary.Row::params).sum());
        assertThrows(IllegalArgumentException.class, () -> KerasSummary.of(Zoo.create("cifar-cnn"), "c", 0, 3, 32, 32));
    }

    @Test
    void frozenLayersAreNonTrainableInBothStyles() {
        // seed 002's transfer learning: ResNet-18 with fc 512->2 and everything else frozen: 1,026 trainable
        Module r = Zoo.create("resnet18", 2);
        r.requiresGrad(false);
        r.namedModules().get("fc").requiresGrad(true);
        KerasSummary k = KerasSummary.of(r, "resnet18", 1, 3, 64, 64);
        assertEquals(11_177_538, k.totalParams());
        assertEquals(1_026, k.trainableParams());
        assertEquals(11_176_512, k.nonTrainableParams());
        assertTrue(k.table().contains("Total params: 11,177,538\nTrainable params: 1,026\nNon-trainable params: 11,176,512\n"));
        assertEquals(0, k.rows().get(0).trainable());
        Summary t = Summary.of(r, 3, 64, 64);
        assertEquals(1_026, t.trainableParams());
        assertEquals(11_176_512, t.nonTrainableParams());
    }
}
