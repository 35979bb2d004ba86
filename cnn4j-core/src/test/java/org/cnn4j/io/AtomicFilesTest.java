package org.cnn4j.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

class AtomicFilesTest {
    @TempDir
    Path dir;

    private List<Path> listing() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    @Test
    void writesAndReplaces() throws IOException {
        Path f = dir.resolve("sub/deeper/a.txt");
        AtomicFiles.writeString(f, "first");
        assertEquals("first", Files.readString(f));
        AtomicFiles.writeString(f, "second é");
        assertEquals("second é", Files.readString(f));
        try (Stream<Path> s = Files.list(f.getParent())) {
            assertEquals(List.of(f), s.toList(), "no temporary file left behind");
        }
    }

    @Test
    void writerMayCloseTheStream() throws IOException {
        Path f = dir.resolve("b.bin");
        AtomicFiles.write(f, out -> {
            out.write(new byte[] {1, 2, 3});
            out.close();
        });
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(f));
    }

    @Test
    void failingWriterLeavesTargetUntouchedAndNoTemp() throws IOException {
        Path f = dir.resolve("c.txt");
        AtomicFiles.writeString(f, "old");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(f, out -> {
            out.write(new byte[100_000]); // more than the buffer, so some bytes did reach the temp file
            throw new IOException("boom");
        }));
        assertEquals("boom", e.getMessage());
        assertEquals("old", Files.readString(f));
        assertEquals(List.of(f), listing());

        Path g = dir.resolve("new.txt");
        assertThrows(IllegalStateException.class, () -> AtomicFiles.write(g, out -> {
            out.write(1);
            throw new IllegalStateException("unchecked too");
        }));
        assertFalse(Files.exists(g));
        assertEquals(List.of(f), listing());
    }

    @Test
    void finalFileIsNotOwnerOnly() throws IOException {
        Path f = dir.resolve("perm.txt");
        AtomicFiles.writeString(f, "x");
        if (f.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            var perms = Files.getPosixFilePermissions(f);
            Files.writeString(dir.resolve("plain.txt"), "x");
            assertEquals(Files.getPosixFilePermissions(dir.resolve("plain.txt")), perms,
                    "same permissions as a file created normally (umask), not createTempFile's 0600");
        }
    }
}
