package org.cnn4j.data;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Describes one of the CIFAR datasets in its binary ("python-free") distribution: records of
 * {@code labelBytes} label bytes followed by 3072 pixel bytes (the 1024 red, 1024 green and 1024 blue
 * values of a 32x32 image, rows top to bottom), as in {@code cifar-10-binary.tar.gz} and
 * {@code cifar-100-binary.tar.gz}.
 *
 * @param name          directory name under the data roots and for messages ({@code "cifar-10"})
 * @param baseUrl       where {@link #archive} is downloaded from (a trailing slash is added if missing)
 * @param archive       the tarball's file name
 * @param archiveMd5    its MD5 (lower-case hex), or null to verify nothing (tests, custom mirrors)
 * @param folder        the directory the tarball unpacks to ({@code "cifar-10-batches-bin"})
 * @param trainFiles    the training record files, in order
 * @param testFiles     the test record files
 * @param labelBytes    1 (CIFAR-10: the label) or 2 (CIFAR-100: coarse label, fine label)
 * @param fineNamesFile text file with one class name a line for the (fine) labels, read when present
 * @param coarseNamesFile the same for CIFAR-100's coarse labels, or null
 * @param fineNames     built-in names used when {@code fineNamesFile} is absent
 * @param coarseNames   built-in coarse names, or an empty list
 */
public record CifarSpec(String name, String baseUrl, String archive, String archiveMd5, String folder,
                        List<String> trainFiles, List<String> testFiles, int labelBytes,
                        String fineNamesFile, String coarseNamesFile, List<String> fineNames, List<String> coarseNames) {
    /** Bytes of one image. */
    public static final int IMAGE_BYTES = 3 * 32 * 32;

    public CifarSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(archive, "archive");
        Objects.requireNonNull(folder, "folder");
        trainFiles = List.copyOf(trainFiles);
        testFiles = List.copyOf(testFiles);
        fineNames = List.copyOf(fineNames);
        coarseNames = List.copyOf(coarseNames);
        if (labelBytes != 1 && labelBytes != 2) throw new IllegalArgumentException("labelBytes must be 1 or 2. Received: " + labelBytes);
        if (labelBytes == 2 && coarseNames.isEmpty()) throw new IllegalArgumentException("two label bytes need coarse class names");
        if (archiveMd5 != null && !archiveMd5.matches("[0-9a-f]{32}"))
            throw new IllegalArgumentException("not a lower-case hex MD5: " + archiveMd5);
        if (!baseUrl.endsWith("/")) baseUrl = baseUrl + "/";
    }

    /** Bytes of one record: the label bytes and the image. */
    public int recordBytes() {
        return labelBytes + IMAGE_BYTES;
    }

    /** The record files, training first. */
    public List<String> dataFiles() {
        return java.util.stream.Stream.concat(trainFiles.stream(), testFiles.stream()).toList();
    }

    /** The same spec downloading from another base URL. */
    public CifarSpec withBaseUrl(String url) {
        return new CifarSpec(name, url, archive, archiveMd5, folder, trainFiles, testFiles, labelBytes, fineNamesFile,
                coarseNamesFile, fineNames, coarseNames);
    }

    /** The same spec with another expected archive MD5 (null verifies nothing). */
    public CifarSpec withArchiveMd5(String md5) {
        return new CifarSpec(name, baseUrl, archive, md5, folder, trainFiles, testFiles, labelBytes, fineNamesFile,
                coarseNamesFile, fineNames, coarseNames);
    }

    /** {@code CNN4J_CIFAR10_DIR} for "cifar-10": a directory holding the files, searched after the explicit one. */
    public String dirEnvVar() {
        return "CNN4J_" + name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "") + "_DIR";
    }

    /** {@code CNN4J_CIFAR10_URL} for "cifar-10": overrides {@link #baseUrl}. */
    public String urlEnvVar() {
        return "CNN4J_" + name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "") + "_URL";
    }
}
