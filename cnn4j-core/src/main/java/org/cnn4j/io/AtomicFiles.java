package org.cnn4j.io;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Atomic file writes: the content goes to a temporary file in the target's directory, is flushed and
 * fsynced, then renamed over the target with {@code ATOMIC_MOVE} (falling back to
 * {@code REPLACE_EXISTING} where the file system cannot move atomically), and finally the directory is
 * fsynced where the platform allows it. A reader therefore sees either the old file or the complete new
 * one, never a partial write; if the writer throws, the temporary file is deleted and the target is
 * untouched.
 *
 * <p>Temporary files are named {@code .<target name>.<random>.tmp}, so they are hidden and easy to
 * recognise. The final file gets the platform's default permissions (not the 0600 of
 * {@link Files#createTempFile}).
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /**
     * Writes {@code target} atomically with whatever {@code writer} puts into the stream it is given
     * (buffered; the writer need not close it, and closing it is harmless). Creates missing parent
     * directories.
     */
    public static void write(Path target, IoConsumer<OutputStream> writer) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir == null) throw new IOException(target + ": cannot write a file without a parent directory");
        Files.createDirectories(dir);
        Path temp = newTempPath(dir, abs.getFileName().toString());
        boolean moved = false;
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                OutputStream raw = Channels.newOutputStream(channel);
                BufferedOutputStream buffered = new BufferedOutputStream(new NonClosing(raw), 1 << 16);
                writer.accept(buffered);
                buffered.flush();
                channel.force(true);
            }
            try {
                Files.move(temp, abs, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
            fsyncDirectory(dir);
        } finally {
            if (!moved) Files.deleteIfExists(temp);
        }
    }

    /** Writes {@code s} as UTF-8, atomically. */
    public static void writeString(Path target, String s) throws IOException {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        write(target, out -> out.write(bytes));
    }

    /** Writes {@code bytes}, atomically. */
    public static void writeBytes(Path target, byte[] bytes) throws IOException {
        write(target, out -> out.write(bytes));
    }

    /**
     * Checks, before a long job writes its results, that {@code dir}'s file system has room for
     * {@code neededBytes} (for an atomic rewrite, count the old and the new file: both exist until the
     * rename). Throws an {@link IOException} naming the directory, the need and the free space.
     *
     * @param what what will be written, for the message (e.g. "the model and run files")
     */
    public static void requireFreeSpace(Path dir, long neededBytes, String what) throws IOException {
        Path abs = dir.toAbsolutePath();
        Path existing = abs;
        while (existing != null && !Files.exists(existing)) existing = existing.getParent();
        if (existing == null) return;
        long usable;
        try {
            usable = Files.getFileStore(existing).getUsableSpace();
        } catch (IOException | SecurityException | UnsupportedOperationException e) {
            return; // cannot tell: the writes themselves will report a full disk
        }
        requireFreeSpace(dir, neededBytes, usable, what);
    }

    /** {@link #requireFreeSpace(Path, long, String)} with the usable space given (tests). */
    public static void requireFreeSpace(Path dir, long neededBytes, long usableBytes, String what) throws IOException {
        if (usableBytes >= neededBytes) return;
        throw new IOException("not enough free space for " + what + " in " + dir + ": need about " + human(neededBytes)
                + ", the file system has " + human(usableBytes) + " free; free some space or choose another directory");
    }

    private static String human(long b) {
        if (b < 1024) return b + " bytes";
        String[] units = {"KB", "MB", "GB", "TB"};
        double v = b;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /** Whether {@code file}'s name looks like one of our temporary files (for clean-up and tests). */
    public static boolean isTempFile(Path file) {
        String n = file.getFileName().toString();
        return n.startsWith(".") && n.endsWith(".tmp");
    }

    private static Path newTempPath(Path dir, String name) {
        String suffix = Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        return dir.resolve("." + name + "." + suffix + ".tmp");
    }

    /** Makes the rename durable on POSIX systems; silently skipped where directories cannot be opened. */
    private static void fsyncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Windows and some file systems do not allow opening or syncing a directory; the data itself is synced.
        }
    }

    /** Lets the writer call close() without closing the channel before we fsync it. */
    private static final class NonClosing extends FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
