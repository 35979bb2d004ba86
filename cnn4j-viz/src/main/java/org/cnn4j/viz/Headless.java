package org.cnn4j.viz;

/** Drawing needs no display: every picture class sets {@code java.awt.headless=true} unless the user chose. */
final class Headless {
    private Headless() {}

    static void ensure() {
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }
}
