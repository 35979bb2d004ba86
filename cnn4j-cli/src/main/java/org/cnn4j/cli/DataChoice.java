package org.cnn4j.cli;

import org.cnn4j.data.Cifar;
import org.cnn4j.data.CifarLoader;
import org.cnn4j.data.CifarSpec;
import org.cnn4j.data.Dataset;
import org.cnn4j.data.FashionMnist;
import org.cnn4j.data.IdxDatasetLoader;
import org.cnn4j.data.IdxDatasetSpec;
import org.cnn4j.data.ImageFolder;
import org.cnn4j.data.Kmnist;
import org.cnn4j.data.Mnist;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The dataset a command works on, chosen by {@code --dataset}: a built-in one (downloaded when no copy is
 * found) or {@code folder:PATH}, an {@link ImageFolder} ({@code PATH/<class>/<image>}, or
 * {@code PATH/train} + {@code PATH/val}). Loader notes (downloads, skipped files) go to stderr.
 */
final class DataChoice {
    /** The names {@code --dataset} accepts, for help texts. */
    static final List<String> NAMES = List.of("fashion-mnist", "mnist", "kmnist", "cifar10", "cifar100", "folder:PATH");
    static final String DEFAULT = "fashion-mnist";

    /** As given on the command line ({@code cifar10}, {@code folder:/data/pets}). */
    final String name;
    /** For messages: "Fashion-MNIST", "CIFAR-10", "folder /data/pets". */
    final String title;
    /** Where the files were read from. */
    final Path dir;
    final Dataset train;
    /** Null for a folder without a val/ part. */
    final Dataset test;
    /** Files an ImageFolder left out (skip mode); empty otherwise. */
    final List<ImageFolder.Skipped> skipped;

    private DataChoice(String name, String title, Path dir, Dataset train, Dataset test, List<ImageFolder.Skipped> skipped) {
        this.name = name;
        this.title = title;
        this.dir = dir;
        this.train = train;
        this.test = test;
        this.skipped = skipped;
    }

    /** Whether {@code name} is a known dataset name or {@code folder:...}. */
    static void check(CommandSpec spec, String name) {
        if (name.startsWith("folder:")) {
            if (name.length() == "folder:".length())
                throw new ParameterException(spec.commandLine(), "Invalid value for option '--dataset': 'folder:' needs a path, e.g. folder:data/pets");
            return;
        }
        if (!NAMES.contains(name.toLowerCase(Locale.ROOT)))
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--dataset': '" + name
                    + "' is not a known dataset; known: " + String.join(", ", NAMES));
    }

    /**
     * Opens the dataset. {@code folderShape} ({@code {C, H, W}}, nullable) is what folder images are
     * converted to (C 1 gray or 3 RGB, resized to H x W); null keeps RGB at the images' own size.
     */
    static DataChoice open(String name, Path dataDir, int[] folderShape, boolean skipCorrupt, PrintWriter err) throws IOException {
        Consumer<String> log = note -> {
            err.println("cnn4j: " + note);
            err.flush();
        };
        String key = name.toLowerCase(Locale.ROOT);
        if (name.startsWith("folder:")) return folder(name, Path.of(name.substring("folder:".length())), folderShape, skipCorrupt, log);
        return switch (key) {
            case "fashion-mnist" -> idx(name, "Fashion-MNIST", FashionMnist.SPEC, dataDir, log, err);
            case "mnist" -> idx(name, "MNIST", Mnist.SPEC, dataDir, log, err);
            case "kmnist" -> idx(name, "KMNIST", Kmnist.SPEC, dataDir, log, err);
            case "cifar10" -> cifar(name, "CIFAR-10", Cifar.CIFAR10, dataDir, log, err);
            case "cifar100" -> cifar(name, "CIFAR-100", Cifar.CIFAR100, dataDir, log, err);
            default -> throw new IllegalArgumentException("unknown dataset '" + name + "'; known: " + String.join(", ", NAMES));
        };
    }

    private static DataChoice idx(String name, String title, IdxDatasetSpec spec, Path dataDir, Consumer<String> log, PrintWriter err)
            throws IOException {
        IdxDatasetLoader loader = IdxDatasetLoader.builder(spec).dataDir(dataDir).log(log).build();
        Path dir = loader.locate();
        noteOtherDir(dataDir, dir, title, err);
        return new DataChoice(name, title, dir, loader.train(), loader.test(), List.of());
    }

    private static DataChoice cifar(String name, String title, CifarSpec spec, Path dataDir, Consumer<String> log, PrintWriter err)
            throws IOException {
        CifarLoader loader = CifarLoader.builder(spec).dataDir(dataDir).log(log).build();
        Path dir = loader.locate();
        if (dataDir != null && !dir.toAbsolutePath().normalize().startsWith(dataDir.toAbsolutePath().normalize()))
            noteOtherDir(dataDir, dir, title, err);
        return new DataChoice(name, title, dir, loader.train(), loader.test(), List.of());
    }

    private static DataChoice folder(String name, Path root, int[] shape, boolean skipCorrupt, Consumer<String> log) throws IOException {
        if (!Files.isDirectory(root)) throw new FileProblem("--dataset " + name + ": " + root + " is not a directory");
        ImageFolder.Builder b = ImageFolder.builder(root).skipCorrupt(skipCorrupt).log(log);
        if (shape != null) {
            if (shape.length != 3 || (shape[0] != 1 && shape[0] != 3))
                throw new IllegalArgumentException("an image folder can feed models taking 1 (gray) or 3 (RGB) channels x H x W, not "
                        + java.util.Arrays.toString(shape));
            b.channels(shape[0]).size(shape[1], shape[2]);
        }
        String title = "folder " + root;
        if (ImageFolder.hasSplitFolders(root)) {
            ImageFolder.Split s = b.buildSplit();
            List<ImageFolder.Skipped> skipped = new java.util.ArrayList<>(s.train().skipped());
            skipped.addAll(s.val().skipped());
            return new DataChoice(name, title, root, s.train(), s.val(), List.copyOf(skipped));
        }
        ImageFolder all = b.build();
        return new DataChoice(name, title, root, all, null, all.skipped());
    }

    private static void noteOtherDir(Path dataDir, Path dir, String title, PrintWriter err) {
        if (dataDir != null && !dir.toAbsolutePath().normalize().equals(dataDir.toAbsolutePath().normalize())) {
            err.println("cnn4j: note: " + dataDir + " does not hold the " + title + " files; using " + dir);
            err.flush();
        }
    }
}
