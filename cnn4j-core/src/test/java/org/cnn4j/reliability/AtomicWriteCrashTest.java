package org.cnn4j.reliability;

import org.cnn4j.io.AtomicFiles;
import org.cnn4j.io.SafeTensors;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A child JVM rewrites an 8 MiB model (SafeTensors.write) and a 3 MiB blob (AtomicFiles.writeBytes) in a
 * loop; the test kills it with SIGKILL ({@code destroyForcibly}) at random moments, then checks that
 * each file is a complete version, the last one the child reported or the one it was writing, never a
 * torn mix, and that only recognisable temporary files are left over.
 */
class AtomicWriteCrashTest {
    static final int KILLS = 6;

    @Test
    void aKilledWriterLeavesTheOldOrTheNewFileNeverATornOne(@TempDir Path dir) throws Exception {
        Random random = new Random(20240607);
        int lastSeen = 0;
        int[] versionsFound = new int[KILLS];
        for (int k = 0; k < KILLS; k++) {
            Process p = ChildJvm.builder(List.of("-Xmx256m"), Children.class, "atomic", dir.toString()).start();
            java.util.concurrent.atomic.AtomicInteger reported = new java.util.concurrent.atomic.AtomicInteger();
            Thread reader = new Thread(() -> { // destroyForcibly closes our end of the pipe: read on the side
                try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = out.readLine()) != null; )
                        if (line.startsWith("WROTE ")) reported.set(Integer.parseInt(line.substring(6)));
                } catch (IOException closed) {
                    // the kill closed the stream
                }
            });
            reader.setDaemon(true);
            reader.start();
            try {
                long deadline = System.nanoTime() + 60_000_000_000L;
                while (reported.get() < 1 && p.isAlive() && System.nanoTime() < deadline) Thread.sleep(5);
                assertTrue(reported.get() >= 1, "child did not complete a first write");
                Thread.sleep(random.nextInt(400)); // a random moment within the next writes
            } finally {
                p.destroyForcibly(); // SIGKILL: no shutdown hooks, no finally blocks in the child
                assertTrue(p.waitFor(30, TimeUnit.SECONDS), "child did not die");
            }
            reader.join(2000);
            int model = checkModel(dir.resolve("model.safetensors"));
            int blob = checkBlob(dir.resolve("blob.bin"));
            // The child writes model v, then blob v, then reports v (a report may be lost with the pipe at the kill): so
            // model >= the last report, and the blob is the model's version or the one before. Each child starts again from 1.
            assertTrue(model >= reported.get(), "model version " + model + ", child reported " + reported.get());
            assertTrue(blob == model || blob == model - 1, "blob version " + blob + ", model " + model);
            versionsFound[k] = model;
            lastSeen = Math.max(lastSeen, reported.get());
            try (var files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    String n = f.getFileName().toString();
                    assertTrue(n.equals("model.safetensors") || n.equals("blob.bin") || AtomicFiles.isTempFile(f),
                            "unexpected file after the kill: " + n);
                }
            }
        }
        System.out.println("atomic writes: " + KILLS + " SIGKILLs, versions found " + Arrays.toString(versionsFound)
                + ", up to " + lastSeen + " complete pairs reported by one child");
        assertTrue(lastSeen >= 1);
    }

    /** Reads the model completely; every float must equal the version in its metadata. */
    private static int checkModel(Path file) throws IOException {
        SafeTensors.Loaded l = SafeTensors.read(file); // a torn file fails the format's size checks
        int v = Integer.parseInt(l.metadata().get("version"));
        assertEquals(4, l.tensors().size());
        for (Tensor t : l.tensors().values()) {
            assertEquals(1 << 19, t.numel());
            for (float x : t.data()) if (x != v) throw new AssertionError("model " + file + " mixes versions: " + x + " in version " + v);
        }
        return v;
    }

    private static int checkBlob(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        ByteBuffer bb = ByteBuffer.wrap(b);
        int v = bb.getInt(), n = bb.getInt();
        assertEquals(n, b.length, "blob length");
        assertArrayEquals(Children.blobVersion(v), b, "blob content of version " + v);
        return v;
    }
}
