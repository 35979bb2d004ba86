package org.cnn4j.cli;

import org.cnn4j.io.SafeTensors;
import org.cnn4j.train.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The acceptance test: a training run killed with SIGKILL mid-epoch (a real child process) and
 * resumed with {@code --resume} ends with the same weights, byte for byte, as an uninterrupted run.
 */
class ResumeAfterKillTest {
    @TempDir
    Path tmp;

    private static List<String> command(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--add-modules=jdk.incubator.vector");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static final String[] TRAIN = {"train", "--model", "fashion-cnn", "--limit", "800", "--test-limit", "200", "--epochs", "2",
            "--batch-size", "40", "--seed", "7", "--threads", "2", "--no-pictures", "--quiet", "--data-dir", MainTest.FASHION.toString()};

    private static String[] with(String... more) {
        List<String> a = new ArrayList<>(List.of(TRAIN));
        a.addAll(List.of(more));
        return a.toArray(new String[0]);
    }

    private Process start(Path log, String... args) throws IOException {
        return new ProcessBuilder(command(args)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    @Test
    void aRunKilledMidEpochAndResumedEndsWithTheSameWeights() throws Exception {
        MainTest.assumeFashionMnist();
        Path full = tmp.resolve("full"), killed = tmp.resolve("killed");
        Process p = start(tmp.resolve("full.log"), with("--out", full.toString()));
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "uninterrupted run timed out");
        assertEquals(0, p.exitValue(), Files.readString(tmp.resolve("full.log")));

        Process k = start(tmp.resolve("killed.log"), with("--out", killed.toString(), "--checkpoint-every", "5"));
        Path ckpts = killed.resolve("checkpoints");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (Checkpoint.latest(ckpts).isEmpty() && k.isAlive() && System.nanoTime() < deadline) Thread.sleep(5);
        k.destroyForcibly(); // SIGKILL
        k.waitFor(60, TimeUnit.SECONDS);
        assertFalse(Files.exists(killed.resolve("model.safetensors")), "the run was killed before it ended");
        Path at = Checkpoint.latest(ckpts).orElseThrow();
        Checkpoint.Loaded c = Checkpoint.load(at);
        assertEquals(0, c.progress().epochsDone(), "killed in the first epoch");
        assertTrue(c.progress().batchesDone() > 0 && c.progress().batchesDone() < 20, "mid-epoch: " + c.progress());

        Process r = start(tmp.resolve("resumed.log"), "train", "--resume", killed.toString(), "--quiet");
        assertTrue(r.waitFor(300, TimeUnit.SECONDS), "resumed run timed out");
        assertEquals(0, r.exitValue(), Files.readString(tmp.resolve("resumed.log")));

        byte[] a = Files.readAllBytes(full.resolve("model.safetensors")), b = Files.readAllBytes(killed.resolve("model.safetensors"));
        var ta = SafeTensors.read(full.resolve("model.safetensors")).tensors();
        var tb = SafeTensors.read(killed.resolve("model.safetensors")).tensors();
        for (String key : ta.keySet()) assertArrayEquals(ta.get(key).data(), tb.get(key).data(), key);
        assertArrayEquals(a, b, "model.safetensors byte for byte");
        // the history of both epochs matches too (the throughput column aside)
        List<String> ha = Files.readAllLines(full.resolve("history.csv")), hb = Files.readAllLines(killed.resolve("history.csv"));
        assertEquals(3, ha.size());
        for (int i = 0; i < ha.size(); i++)
            assertEquals(ha.get(i).substring(0, ha.get(i).lastIndexOf(',')), hb.get(i).substring(0, hb.get(i).lastIndexOf(',')));
        assertTrue(Checkpoint.list(ckpts).size() <= 3, "keeps the newest 3");
    }

    @Test
    void resumeRejectsChangedSettingsAndMissingCheckpoints() throws IOException {
        MainTest.Run r = MainTest.run("train", "--resume", tmp.toString());
        assertEquals(Main.EXIT_FILE, r.code(), r.err());
        assertTrue(r.err().contains("holds no checkpoint"), r.err());
        r = MainTest.run("train", "--resume", tmp.toString(), "--lr", "0.1");
        assertEquals(Main.EXIT_USAGE, r.code(), r.err());
        assertTrue(r.err().contains("--lr cannot be changed"), r.err());
    }
}
