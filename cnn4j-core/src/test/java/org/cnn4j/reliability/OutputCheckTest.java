package org.cnn4j.reliability;

import org.cnn4j.io.AtomicFiles;
import org.cnn4j.train.RunDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Before training: an output directory that cannot be written, or a disk without room, is a clear error. */
class OutputCheckTest {
    @Test
    void tooLittleFreeSpaceNamesTheDirectoryTheNeedAndTheSpace(@TempDir Path dir) throws IOException {
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.requireFreeSpace(dir, 12L << 20, 3L << 20, "the model and run files"));
        assertTrue(e.getMessage().contains("not enough free space for the model and run files in " + dir), e.getMessage());
        assertTrue(e.getMessage().contains("need about 12.0 MB, the file system has 3.0 MB free"), e.getMessage());
        AtomicFiles.requireFreeSpace(dir, 3L << 20, 3L << 20, "x"); // exactly enough: fine
        // the real file store: nobody has 8 EB free; a directory not yet created is checked on its nearest existing parent
        IOException real = assertThrows(IOException.class, () -> AtomicFiles.requireFreeSpace(dir.resolve("a/b"), Long.MAX_VALUE, "x"));
        assertTrue(real.getMessage().contains("not enough free space"), real.getMessage());
        AtomicFiles.requireFreeSpace(dir.resolve("a/b"), 1, "x");
    }

    @Test
    void anUnwritableRunDirectoryFailsBeforeTraining() {
        Path proc = Path.of("/proc/self");
        assumeTrue(Files.isDirectory(proc), "needs Linux /proc (not writable even for root)");
        IOException e = assertThrows(IOException.class, () -> RunDirectory.prepare(Path.of("/proc/cnn4j-run"), false));
        assertTrue(e.getMessage().contains("cannot create the run directory /proc/cnn4j-run") || e.getMessage().contains("not writable"), e.getMessage());
    }
}
