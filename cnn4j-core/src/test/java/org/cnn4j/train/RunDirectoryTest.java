package org.cnn4j.train;

import org.cnn4j.io.Json;
import org.cnn4j.io.SafeTensors;
import org.cnn4j.models.FashionDNN;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunDirectoryTest {

    @Test
    void writesTheThreeFiles(@TempDir Path tmp) throws IOException {
        RunDirectory run = RunDirectory.prepare(tmp.resolve("a/b/run"), false);
        assertTrue(Files.isDirectory(run.path()));
        try (var files = Files.list(run.path())) {
            assertEquals(0, files.count(), "the write probe must not be left behind");
        }

        List<EpochResult> history = List.of(new EpochResult(1, 0.5, 0.8, 0.4, 0.85, 1234.56, 10),
                new EpochResult(2, 0.3, 0.9, Double.NaN, Double.NaN, 1500, 9));
        run.writeHistory(history);
        assertEquals("""
                epoch,train_loss,train_accuracy,test_loss,test_accuracy,images_per_second
                1,0.500000,0.800000,0.400000,0.850000,1234.6
                2,0.300000,0.900000,,,1500.0
                """, Files.readString(run.historyFile()));

        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("model", "fashion-dnn");
        metrics.put("test_accuracy", 0.85);
        run.writeMetrics(metrics);
        assertEquals(metrics, Json.parse(Files.readString(run.metricsFile())));

        FashionDNN model = new FashionDNN();
        run.writeModel(model, Map.of("model", "fashion-dnn"));
        SafeTensors.Loaded loaded = SafeTensors.read(run.modelFile());
        assertEquals(model.stateDict().keySet(), loaded.tensors().keySet());
        assertArrayEquals(model.stateDict().get("fc1.weight").data(), loaded.tensors().get("fc1.weight").data());
        assertEquals("fashion-dnn", loaded.metadata().get("model"));
    }

    @Test
    void refusesAnExistingRunUnlessOverwriting(@TempDir Path tmp) throws IOException {
        RunDirectory.prepare(tmp, false).writeHistory(List.of());
        IOException e = assertThrows(IOException.class, () -> RunDirectory.prepare(tmp, false));
        assertTrue(e.getMessage().contains("already holds history.csv"), e.getMessage());
        RunDirectory.prepare(tmp, true);
    }

    @Test
    void rejectsAPathUnderAFile(@TempDir Path tmp) throws IOException {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        IOException e = assertThrows(IOException.class, () -> RunDirectory.prepare(file.resolve("run"), false));
        assertTrue(e.getMessage().startsWith("cannot create the run directory"), e.getMessage());
        IOException e2 = assertThrows(IOException.class, () -> RunDirectory.prepare(file, false));
        assertTrue(e2.getMessage().contains("is not a directory"), e2.getMessage());
    }
}
