package org.cnn4j.train;

import org.cnn4j.data.ArrayDataset;
import org.cnn4j.data.DataLoader;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.Sequential;
import org.cnn4j.optim.SGD;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NonFiniteLossTest {
    @Test
    void nanInTheDataStopsTrainingWithAMessage() {
        float[] x = new float[8 * 4];
        x[5] = Float.NaN;
        ArrayDataset ds = new ArrayDataset(x, new int[] {4}, new int[] {0, 1, 0, 1, 0, 1, 0, 1}, List.of("a", "b"));
        Sequential model = new Sequential(new Linear(4, 2));
        Trainer trainer = new Trainer(model, new SGD(model.parameters(), 0.1f));
        NonFiniteLossException e = assertThrows(NonFiniteLossException.class,
                () -> trainer.fit(DataLoader.builder(ds).batchSize(4).build(), null, 1));
        assertTrue(e.getMessage().contains("epoch 1, batch 1"), e.getMessage());
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
    }
}
