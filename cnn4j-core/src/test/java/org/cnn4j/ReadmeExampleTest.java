package org.cnn4j;

import org.cnn4j.data.Batch;
import org.cnn4j.data.DataLoader;
import org.cnn4j.data.Dataset;
import org.cnn4j.data.FashionMnist;
import org.cnn4j.data.IdxDatasetLoader;
import org.cnn4j.loss.CrossEntropyLoss;
import org.cnn4j.nn.BatchNorm2d;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Flatten;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.MaxPool2d;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.ReLU;
import org.cnn4j.nn.Sequential;
import org.cnn4j.optim.Adam;
import org.cnn4j.tensor.Rng;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.train.Trainer;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The README's "library in 20 lines", statement for statement, on a 2,000-image subset so it stays true. */
class ReadmeExampleTest {
    @Test
    void readmeExampleTrainsAModel() throws IOException {
        IdxDatasetLoader available = IdxDatasetLoader.builder(FashionMnist.SPEC).download(false).build();
        try {
            available.locate();
        } catch (IOException e) {
            assumeTrue(false, "no copy of Fashion-MNIST in " + available.searchPath());
        }
        // --- README ---
        Rng.manualSeed(42);
        Module model = new Sequential(
                new Conv2d(1, 32, 3, 1, 1), new BatchNorm2d(32), new ReLU(), new MaxPool2d(2),
                new Flatten(), new Linear(32 * 14 * 14, 10));
        Dataset train = FashionMnist.train(null).subset(0, 2000), test = FashionMnist.test(null).subset(0, 1000);
        DataLoader trainLoader = DataLoader.builder(train).batchSize(100).shuffle(true).seed(42).build();
        DataLoader testLoader = DataLoader.builder(test).batchSize(100).build();
        Adam optimizer = new Adam(model.parameters(), 1e-3f);
        var loss = new CrossEntropyLoss();
        for (Batch batch : trainLoader) {
            Tensor l = loss.apply(model.call(batch.inputs()), batch.labels());
            optimizer.zeroGrad();
            l.backward();
            optimizer.step();
        }
        double accuracy = Trainer.evaluate(model, testLoader).accuracy();
        // --- end ---
        assertTrue(accuracy > 0.6, "accuracy " + accuracy);
    }
}
