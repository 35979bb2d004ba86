package org.cnn4j.train;

import org.cnn4j.data.ArrayDataset;
import org.cnn4j.data.Batch;
import org.cnn4j.data.DataLoader;
import org.cnn4j.models.ModelSpec;
import org.cnn4j.nn.BatchNorm2d;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Dropout;
import org.cnn4j.nn.Flatten;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.MaxPool2d;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.ReLU;
import org.cnn4j.nn.Sequential;
import org.cnn4j.optim.Adam;
import org.cnn4j.optim.Optimizer;
import org.cnn4j.optim.schedule.LRScheduler;
import org.cnn4j.optim.schedule.StepLR;
import org.cnn4j.tensor.Rng;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class CheckpointTest {
    @TempDir
    Path tmp;

    private static Sequential net() {
        return new Sequential(new Conv2d(1, 4, 3), new BatchNorm2d(4), new ReLU(), new MaxPool2d(2), new Flatten(),
                new Linear(4 * 3 * 3, 16), new ReLU(), new Dropout(0.3f), new Linear(16, 3));
    }

    private static DataLoader loader() {
        float[] x = new float[60 * 64];
        int[] y = new int[60];
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < 60; i++) {
            y[i] = i % 3;
            for (int j = 0; j < 64; j++) x[i * 64 + j] = (float) r.nextGaussian() + y[i] * (j % 3 == 0 ? 1 : 0);
        }
        return DataLoader.builder(new ArrayDataset(x, new int[] {1, 8, 8}, y, List.of("a", "b", "c"))).batchSize(7)
                .shuffle(true).seed(11).build();
    }

    private record Run(Module net, Optimizer opt, LRScheduler sched, Trainer trainer) {}

    private static Run run() {
        Rng.manualSeed(3);
        Module net = net();
        Optimizer opt = new Adam(net.parameters(), 0.01f);
        LRScheduler sched = new StepLR(opt, 1, 0.5);
        return new Run(net, opt, sched, new Trainer(net, opt).scheduler(sched));
    }

    @Test
    void resumingMidEpochFromACheckpointEndsWithBitIdenticalWeights() throws IOException {
        Run full = run();
        List<EpochResult> fullHistory = full.trainer().fit(loader(), loader(), 3);

        // the same run, checkpointing every 4 batches, "killed" after the checkpoint at step 13 (epoch 2, batch 4 of 9)
        Run first = run();
        Path dir = tmp.resolve("ckpt");
        Map<String, Object> arch = ModelConfig.of(first.net());
        class Killed extends RuntimeException {}
        first.trainer().checkpoints(4, p -> {
            try {
                Checkpoint.save(dir, 2, first.net(), arch, Map.of("model", "test"), first.opt(), first.sched(), p, Map.of("seed", 3));
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
            if (p.globalStep() == 16) throw new Killed();
        });
        assertThrows(Killed.class, () -> first.trainer().fit(loader(), loader(), 3));
        assertEquals(2, Checkpoint.list(dir).size(), "keeps the last 2");
        Path latest = Checkpoint.latest(dir).orElseThrow();
        assertEquals("step-000000016", latest.getFileName().toString());

        Rng.manualSeed(999); // a different process state: everything must come from the checkpoint
        Checkpoint.Loaded c = Checkpoint.load(latest);
        assertEquals(1, c.progress().epochsDone());
        assertEquals(7, c.progress().batchesDone());
        Module rebuilt = c.buildModel(); // from the architecture config alone
        Optimizer opt = new Adam(rebuilt.parameters(), 0.01f);
        LRScheduler sched = new StepLR(opt, 1, 0.5);
        TrainingProgress p = c.restore(rebuilt, opt, sched);
        List<EpochResult> resumed = new Trainer(rebuilt, opt).scheduler(sched).resume(p).fit(loader(), loader(), 3);

        Map<String, Tensor> a = full.net().stateDict(), b = rebuilt.stateDict();
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) assertArrayEquals(a.get(k).data(), b.get(k).data(), k);
        assertEquals(fullHistory.size(), resumed.size());
        for (int i = 0; i < fullHistory.size(); i++) {
            assertEquals(fullHistory.get(i).trainLoss(), resumed.get(i).trainLoss(), 1e-12, "epoch " + (i + 1) + " train loss");
            assertEquals(fullHistory.get(i).testAccuracy(), resumed.get(i).testAccuracy(), 0);
        }
        assertEquals(full.opt().learningRate(), opt.learningRate());
    }

    @Test
    void loaderStartingAtABatchGivesTheSameBatchesAsTheFullEpoch() {
        DataLoader l = loader();
        l.setEpoch(2);
        List<Batch> all = new ArrayList<>();
        l.iterator().forEachRemaining(all::add);
        l.setEpoch(2);
        var it = l.iterator(5);
        for (int b = 5; b < all.size(); b++) {
            Batch x = it.next();
            assertArrayEquals(all.get(b).labels(), x.labels());
            assertArrayEquals(all.get(b).inputs().data(), x.inputs().data());
        }
        assertFalse(it.hasNext());
        assertThrows(IllegalArgumentException.class, () -> loader().iterator(99));
    }

    @Test
    void architectureConfigRoundTripsAndUnknownModulesFailAtSaveTime() {
        Rng.manualSeed(1);
        Sequential s = net();
        Module copy = ModelConfig.build(ModelConfig.of(s));
        assertEquals(s.toString(), copy.toString());
        Module zoo = org.cnn4j.models.Zoo.create("resnet18", new ModelSpec(3, 32, 32, 10));
        zoo.replace("fc", new Linear(512, 2));
        Module z2 = ModelConfig.build(ModelConfig.zoo("resnet18", new ModelSpec(3, 32, 32, 10), Map.of("fc", new Linear(512, 2))));
        assertEquals(zoo.parameterCount(), z2.parameterCount());
        Module custom = new Module() {
            @Override
            public Tensor forward(Tensor input) {
                return input;
            }
        };
        var e = assertThrows(IllegalArgumentException.class, () -> ModelConfig.of(new Sequential(new ReLU(), custom)));
        assertTrue(e.getMessage().contains("'1'") && e.getMessage().contains("catalogue"), e.getMessage());
        var bad = assertThrows(IllegalArgumentException.class,
                () -> ModelConfig.build(Map.of("type", "sequential", "layers", List.of(Map.of("class", "Linear", "config", Map.of("in_features", 2L))))));
        assertTrue(bad.getMessage().contains("out_features"), bad.getMessage());
    }

    @Test
    void rejectsDirectoriesThatAreNotCheckpoints() throws IOException {
        Path d = Files.createDirectories(tmp.resolve("x"));
        assertThrows(java.nio.file.NoSuchFileException.class, () -> Checkpoint.load(d));
        Files.writeString(d.resolve(Checkpoint.STATE_FILE), "{\"format\": \"other\"}");
        var e = assertThrows(IOException.class, () -> Checkpoint.load(d));
        assertTrue(e.getMessage().contains("not a cnn4j checkpoint"), e.getMessage());
        Files.createDirectories(tmp.resolve("series/.step-000000001-1.tmp"));
        assertTrue(Checkpoint.latest(tmp.resolve("series")).isEmpty(), "a half-written checkpoint is ignored");
    }
}
