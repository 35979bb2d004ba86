package org.cnn4j.reliability.fuzz;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A seeded mutation fuzzer of structured binary files: from a valid seed it makes inputs by bit flips,
 * bytes set to boundary values, truncation, extension with garbage, rewrites of 2-, 4- and 8-byte
 * fields (big and little endian) with boundary and "length" values (0, 1, -1, 2^31-1, 2^31, 2^63-1,
 * the file length and its neighbours, large counts), copies of a block inside the file, and splices of
 * two seeds, one to four of these at a time. The same seed gives the same inputs.
 */
final class Mutator {
    private static final long[] INTERESTING = {0, 1, 2, 3, 7, 8, 16, 127, 128, 255, 256, 511, 512, 1023, 1024, 3072, 3073, 4096,
            65535, 65536, 0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFFL, 0x1_0000_0000L, 100_000_000L, Long.MAX_VALUE, -1, -2,
            Integer.MIN_VALUE, Long.MIN_VALUE};

    private final SplittableRandom rnd;
    private final List<byte[]> seeds;

    Mutator(long seed, List<byte[]> seeds) {
        this.rnd = new SplittableRandom(seed);
        this.seeds = seeds;
    }

    byte[] next() {
        byte[] d = seeds.get(rnd.nextInt(seeds.size())).clone();
        int n = 1 + rnd.nextInt(4);
        for (int i = 0; i < n; i++) d = mutate(d);
        return d;
    }

    private byte[] mutate(byte[] d) {
        if (d.length == 0) return new byte[] {(byte) rnd.nextInt(256)};
        switch (rnd.nextInt(9)) {
            case 0 -> { // bit flips
                int flips = 1 + rnd.nextInt(8);
                for (int i = 0; i < flips; i++) {
                    int p = rnd.nextInt(d.length);
                    d[p] ^= (byte) (1 << rnd.nextInt(8));
                }
            }
            case 1 -> d[rnd.nextInt(d.length)] = (byte) new int[] {0, 1, 0x7F, 0x80, 0xFF, ' ', '"', '{', '[', '0', '9', '-', '.', 'e'}[rnd.nextInt(14)];
            case 2 -> d = Arrays.copyOf(d, rnd.nextInt(d.length)); // truncate
            case 3 -> { // extend with garbage or zeros
                int extra = 1 + rnd.nextInt(rnd.nextBoolean() ? 16 : 1024);
                int old = d.length;
                d = Arrays.copyOf(d, old + extra);
                if (rnd.nextBoolean()) for (int i = old; i < d.length; i++) d[i] = (byte) rnd.nextInt(256);
            }
            case 4, 5 -> d = rewriteField(d);
            case 6 -> { // copy a block over another place
                int len = 1 + rnd.nextInt(Math.min(d.length, 64));
                int from = rnd.nextInt(d.length - len + 1), to = rnd.nextInt(d.length - len + 1);
                System.arraycopy(d.clone(), from, d, to, len);
            }
            case 7 -> { // splice: head of this, tail of another seed
                byte[] other = seeds.get(rnd.nextInt(seeds.size()));
                int cut = rnd.nextInt(d.length + 1), cut2 = other.length == 0 ? 0 : rnd.nextInt(other.length);
                byte[] s = Arrays.copyOf(d, cut + other.length - cut2);
                System.arraycopy(other, cut2, s, cut, other.length - cut2);
                d = s;
            }
            default -> { // insert or delete a run of bytes in the middle
                int at = rnd.nextInt(d.length);
                if (rnd.nextBoolean()) {
                    int len = 1 + rnd.nextInt(Math.min(32, d.length - at));
                    byte[] s = new byte[d.length - len];
                    System.arraycopy(d, 0, s, 0, at);
                    System.arraycopy(d, at + len, s, at, d.length - at - len);
                    d = s;
                } else {
                    int len = 1 + rnd.nextInt(32);
                    byte[] s = new byte[d.length + len];
                    System.arraycopy(d, 0, s, 0, at);
                    for (int i = 0; i < len; i++) s[at + i] = (byte) rnd.nextInt(256);
                    System.arraycopy(d, at, s, at + len, d.length - at);
                    d = s;
                }
            }
        }
        return d;
    }

    /** Overwrites a 2-, 4- or 8-byte field at a random (often aligned) offset with a boundary or length value. */
    private byte[] rewriteField(byte[] d) {
        int width = new int[] {2, 4, 4, 8}[rnd.nextInt(4)];
        if (d.length < width) return d;
        int pos = rnd.nextInt(d.length - width + 1);
        if (rnd.nextBoolean()) pos -= pos % width;
        long v = switch (rnd.nextInt(4)) {
            case 0, 1 -> INTERESTING[rnd.nextInt(INTERESTING.length)];
            case 2 -> d.length + rnd.nextInt(17) - 8L;
            default -> rnd.nextLong(1L << (8 * Math.min(width, 7)));
        };
        boolean big = rnd.nextBoolean();
        for (int i = 0; i < width; i++) {
            int shift = 8 * (big ? width - 1 - i : i);
            d[pos + i] = (byte) (v >>> shift);
        }
        return d;
    }
}
