package org.cnn4j.reliability.fuzz;

import org.cnn4j.data.Cifar;
import org.cnn4j.data.CifarLoader;
import org.cnn4j.data.DatasetFormatException;
import org.cnn4j.data.Idx;
import org.cnn4j.data.ImageDecoder;
import org.cnn4j.io.Json;
import org.cnn4j.io.SafeTensors;
import org.cnn4j.io.SafeTensorsFormatException;
import org.cnn4j.io.TarFormatException;
import org.cnn4j.io.TarReader;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * A parser of untrusted files, as the fuzzers call it: what it reads (a file, written fresh for every
 * input), which exceptions it documents, and how much it may allocate for an input of {@code n} bytes.
 */
enum ParserTarget {
    IDX_IMAGES("idx-images", Set.of(DatasetFormatException.class)) {
        @Override
        void parse(Path file) throws IOException {
            Idx.readImages(file);
        }

        @Override
        long allocationBound(byte[] data) {
            return gzip(data) ? 1100L * data.length + (4 << 20) : 2L * data.length + (2 << 20);
        }
    },
    IDX_LABELS("idx-labels", Set.of(DatasetFormatException.class)) {
        @Override
        void parse(Path file) throws IOException {
            Idx.readLabels(file);
        }

        @Override
        long allocationBound(byte[] data) {
            return IDX_IMAGES.allocationBound(data);
        }
    },
    SAFETENSORS("safetensors", Set.of(SafeTensorsFormatException.class)) {
        @Override
        void parse(Path file) throws IOException {
            SafeTensors.read(file);
        }

        @Override
        long allocationBound(byte[] data) {
            // header: UTF-8 -> chars -> JSON objects (about 32 bytes per input byte at worst); data: a U8/BOOL byte becomes a 4-byte float
            return 64L * data.length + (2 << 20);
        }
    },
    JSON("json", Set.of(Json.ParseException.class)) {
        @Override
        void parse(Path file) throws IOException {
            Json.parse(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
        }

        @Override
        long allocationBound(byte[] data) {
            return 64L * data.length + (1 << 20);
        }
    },
    TAR("tar", Set.of(TarFormatException.class)) {
        @Override
        void parse(Path file) throws IOException {
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file));
                 TarReader tar = new TarReader(in, file.toString(), new TarReader.Limits(1L << 30, 4L << 30, 1000, 1 << 16))) {
                byte[] sink = new byte[4096];
                for (TarReader.Entry e; (e = tar.next()) != null; ) {
                    e.isSafeRelativePath();
                    e.baseName();
                    if (e.isFile()) {
                        InputStream c = tar.content();
                        while (c.read(sink) >= 0) { /* drain */ }
                    }
                }
            }
        }

        @Override
        long allocationBound(byte[] data) {
            return 4L * data.length + (1 << 20); // long-name and PAX records are capped at 64 KiB
        }
    },
    CIFAR10("cifar10", Set.of(DatasetFormatException.class)) {
        @Override
        void parse(Path file) throws IOException {
            Path dir = file.getParent();
            Files.move(file, dir.resolve("test_batch.bin"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            CifarLoader.load("fuzz", Cifar.CIFAR10, dir, List.of("test_batch.bin"), CifarLoader.Labels.FINE);
        }

        @Override
        long allocationBound(byte[] data) {
            return 2L * data.length + (1 << 20);
        }
    },
    IMAGE("image", Set.of(DatasetFormatException.class)) {
        @Override
        void parse(Path file) throws IOException {
            ImageDecoder.read(file, 3);
        }

        @Override
        long allocationBound(byte[] data) {
            // the raster (up to 8 bytes a pixel for 16-bit RGBA), getRGB's ints and the output bytes, for at most maxPixelsFor(n) pixels
            return 20L * ImageDecoder.maxPixelsFor(data.length) + (16 << 20);
        }
    };

    final String dir;
    final Set<Class<? extends Exception>> documented;

    ParserTarget(String dir, Set<Class<? extends Exception>> documented) {
        this.dir = dir;
        this.documented = documented;
    }

    /** Parses {@code file}, a fresh file in a directory of its own. */
    abstract void parse(Path file) throws IOException;

    /** The most bytes parsing {@code data} may allocate. */
    abstract long allocationBound(byte[] data);

    static boolean gzip(byte[] d) {
        return d.length >= 2 && (d[0] & 0xFF) == 0x1f && (d[1] & 0xFF) == 0x8b;
    }

    boolean isDocumented(Throwable t) {
        for (Class<? extends Exception> c : documented) if (c.isInstance(t)) return true;
        return false;
    }
}
