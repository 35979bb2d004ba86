package org.cnn4j.cli;

import org.cnn4j.data.DataLoader;
import org.cnn4j.data.Dataset;
import org.cnn4j.io.Json;
import org.cnn4j.kernels.Parallel;
import org.cnn4j.models.ModelSpec;
import org.cnn4j.models.Zoo;
import org.cnn4j.nn.Module;
import org.cnn4j.optim.Adam;
import org.cnn4j.optim.Optimizer;
import org.cnn4j.optim.SGD;
import org.cnn4j.tensor.Rng;
import org.cnn4j.train.EpochResult;
import org.cnn4j.train.RunDirectory;
import org.cnn4j.train.Trainer;
import org.cnn4j.train.TrainingListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code cnn4j train}: trains a zoo model on Fashion-MNIST as the seed does (batch 100, Adam lr 0.001,
 * cross-entropy), evaluates on the test images after every epoch and writes a {@link RunDirectory}.
 */
@Command(name = "train", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Train a model on Fashion-MNIST, evaluating on the test images after each epoch, and write a run "
                + "directory with model.safetensors, history.csv and metrics.json.")
final class TrainCommand implements Callable<Integer> {
    /** Default epochs: 5 epochs of FashionCNN take a few minutes on 2 cores. */
    static final int DEFAULT_EPOCHS = 5;

    enum OptimizerName { adam, sgd }

    @Spec
    CommandSpec spec;

    @Mixin
    DebugOption debugOption;

    @Option(names = "--model", paramLabel = "NAME", defaultValue = "fashion-cnn", completionCandidates = ModelNames.class,
            description = "Model to train: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "" + DEFAULT_EPOCHS,
            description = "Number of passes over the training images (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "100",
            description = "Images per training and evaluation batch (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--lr", paramLabel = "RATE", defaultValue = "0.001",
            description = "Learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--optimizer", paramLabel = "NAME", defaultValue = "adam",
            description = "Optimizer: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}). Adam uses PyTorch's betas (0.9, 0.999) and eps 1e-8.")
    OptimizerName optimizer;

    @Option(names = "--momentum", paramLabel = "M", defaultValue = "0.9",
            description = "SGD momentum (default: ${DEFAULT-VALUE}; used with --optimizer sgd).")
    double momentum;

    @Option(names = "--weight-decay", paramLabel = "W", defaultValue = "0",
            description = "SGD weight decay, the L2 penalty added to the gradient (default: ${DEFAULT-VALUE}; used with --optimizer sgd).")
    double weightDecay;

    @Option(names = "--nesterov", description = "Use Nesterov momentum with SGD (default: off).")
    boolean nesterov;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
            description = "Seed for weight initialisation, dropout and shuffling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Directory with the four Fashion-MNIST IDX files (raw or .gz). Default: $CNN4J_DATA/fashion-mnist, "
                    + "~/.cnn4j/datasets/fashion-mnist, /usr/share/datasets/fashion-mnist, else download to ~/.cnn4j/datasets.")
    Path dataDir;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Run directory to write (default: runs/<model>-<yyyyMMdd-HHmmss>).")
    Path out;

    @Option(names = "--overwrite", description = "Allow writing into a run directory that already holds a run (default: refuse).")
    boolean overwrite;

    @Option(names = "--limit", paramLabel = "N",
            description = "Train on the first N training images only, for quick tries (default: all 60,000).")
    Integer limit;

    @Option(names = "--test-limit", paramLabel = "N",
            description = "Evaluate on the first N test images only (default: all 10,000).")
    Integer testLimit;

    @Option(names = "--threads", paramLabel = "N",
            description = "Compute threads (default: $CNN4J_THREADS, else the number of cores).")
    Integer threads;

    @Option(names = "--no-progress", negatable = false,
            description = "Show no progress within an epoch, only the line after each epoch (default: a progress bar on a terminal, a line every 10%% otherwise).")
    boolean noProgress;

    @Override
    public Integer call() throws IOException {
        validate();
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        long started = System.nanoTime();
        OffsetDateTime startDate = OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS);

        if (threads != null) System.setProperty("cnn4j.threads", Integer.toString(threads));
        int usedThreads = Parallel.threads();
        if (threads != null && usedThreads != threads)
            stderr.println("cnn4j: note: the compute pool already runs " + usedThreads + " threads; --threads " + threads
                    + " applies only to a fresh process");

        // The output directory first: a typo should cost seconds, not an epoch.
        Path outDir = out != null ? out
                : Path.of("runs", model + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        if (!overwrite)
            for (String f : List.of(RunDirectory.MODEL_FILE, RunDirectory.HISTORY_FILE, RunDirectory.METRICS_FILE))
                if (Files.exists(outDir.resolve(f)))
                    throw new FileProblem("the run directory " + outDir + " already holds " + f
                            + "; choose another --out or pass --overwrite");
        RunDirectory run = RunDirectory.prepare(outDir, overwrite);

        FashionData data = FashionData.open(dataDir, stderr);
        Dataset train = FashionData.first(spec, data.train(), limit, "--limit", "training");
        Dataset test = FashionData.first(spec, data.test(), testLimit, "--test-limit", "test");
        int[] inputShape = train.sampleShape();
        if (inputShape.length != 3)
            throw new IllegalArgumentException("the dataset's samples have shape " + Arrays.toString(inputShape) + "; the zoo's models take C,H,W");

        Rng.manualSeed(seed); // before the model: its initial weights come from the seeded generator
        // Every zoo model is built for the data's channels, size and classes (a model that cannot take them says so).
        Module net = Zoo.create(model, new ModelSpec(inputShape[0], inputShape[1], inputShape[2], train.numClasses()));
        Optimizer opt = switch (optimizer) {
            case adam -> new Adam(net.parameters(), (float) lr);
            case sgd -> new SGD(net.parameters(), (float) lr, (float) momentum, 0f, (float) weightDecay, nesterov);
        };
        DataLoader trainLoader = DataLoader.builder(train).batchSize(batchSize).shuffle(true).seed(seed).build();
        DataLoader testLoader = DataLoader.builder(test).batchSize(batchSize).shuffle(false).build();

        stdout.printf(Locale.ROOT, "training %s (%s parameters) on Fashion-MNIST from %s%n", model,
                Format.count(net.parameterCount()), data.dir);
        stdout.printf(Locale.ROOT, "  %s training images, %s test images; %d epoch%s, batch %d, %s, seed %d, %d thread%s%n",
                Format.count(train.size()), Format.count(test.size()), epochs, epochs == 1 ? "" : "s", batchSize, optimizerText(), seed, usedThreads,
                usedThreads == 1 ? "" : "s");
        stdout.printf("  run directory %s%n", run.path());
        stdout.flush();

        List<EpochResult> history = new ArrayList<>();
        TrainingListener historyWriter = new TrainingListener() {
            @Override
            public void onEpochEnd(EpochResult result) {
                history.add(result);
                try {
                    run.writeHistory(history);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
        Trainer trainer = new Trainer(net, opt)
                .addListener(new TrainingConsole(stdout, TrainingConsole.detect(!noProgress), test.size()))
                .addListener(historyWriter);
        trainer.fit(trainLoader, testLoader, epochs);

        EpochResult last = history.getLast();
        run.writeModel(net, modelMetadata(train));
        double seconds = (System.nanoTime() - started) / 1e9;
        run.writeMetrics(metrics(net, train, test, data.dir, history, usedThreads, startDate, seconds));

        stdout.printf(Locale.ROOT, "test accuracy %.4f (loss %s) after %d epoch%s, %.1f s%n", last.testAccuracy(),
                Format.loss(last.testLoss()), epochs, epochs == 1 ? "" : "s", seconds);
        stdout.printf("wrote %s%n", run.path());
        stdout.flush();
        return Main.EXIT_OK;
    }

    private void validate() {
        Options.checkModel(spec, model);
        Options.positive(spec, "--epochs", epochs);
        Options.positive(spec, "--batch-size", batchSize);
        Options.positive(spec, "--lr", lr);
        Options.nonNegative(spec, "--momentum", momentum);
        Options.nonNegative(spec, "--weight-decay", weightDecay);
        if (limit != null) Options.positive(spec, "--limit", limit);
        if (testLimit != null) Options.positive(spec, "--test-limit", testLimit);
        if (threads != null) Options.positive(spec, "--threads", threads);
        if (optimizer == OptimizerName.sgd && nesterov && momentum == 0)
            throw new ParameterException(spec.commandLine(), "--nesterov needs a momentum > 0 (--momentum)");
        if (optimizer != OptimizerName.sgd && (nesterov || spec.commandLine().getParseResult().hasMatchedOption("--momentum")
                || spec.commandLine().getParseResult().hasMatchedOption("--weight-decay")))
            throw new ParameterException(spec.commandLine(), "--momentum, --weight-decay and --nesterov apply to --optimizer sgd only");
    }

    private String optimizerText() {
        return switch (optimizer) {
            case adam -> "Adam lr " + lr;
            case sgd -> "SGD lr " + lr + " momentum " + momentum + " weight decay " + weightDecay + (nesterov ? " nesterov" : "");
        };
    }

    private Map<String, String> modelMetadata(Dataset train) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.put("model", model);
        meta.put("num_classes", Integer.toString(train.numClasses()));
        meta.put("input_shape", Json.writeCompact(train.sampleShape()));
        meta.put("class_names", Json.writeCompact(train.classNames()));
        meta.put("dataset", "fashion-mnist");
        meta.put("cnn4j_version", Main.version());
        return meta;
    }

    private Map<String, Object> metrics(Module net, Dataset train, Dataset test, Path dataDirUsed, List<EpochResult> history,
                                        int usedThreads, OffsetDateTime date, double seconds) {
        EpochResult last = history.getLast();
        double meanIps = history.stream().mapToDouble(EpochResult::trainImagesPerSecond).average().orElse(Double.NaN);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", model);
        m.put("dataset", "fashion-mnist");
        m.put("epochs", epochs);
        m.put("parameters", net.parameterCount());
        m.put("trainable_parameters", net.trainableParameterCount());
        m.put("test_accuracy", last.testAccuracy());
        m.put("test_loss", last.testLoss());
        m.put("train_accuracy", last.trainAccuracy());
        m.put("train_loss", last.trainLoss());
        m.put("train_images_per_second_statistic", "mean over epochs");
        m.put("train_images_per_second", round1(meanIps));
        m.put("train_images_per_second_mean", round1(meanIps));
        m.put("train_images_per_second_last_epoch", round1(last.trainImagesPerSecond()));
        m.put("seed", seed);
        m.put("batch_size", batchSize);
        m.put("lr", lr);
        m.put("optimizer", optimizer.name());
        if (optimizer == OptimizerName.sgd) {
            m.put("momentum", momentum);
            m.put("weight_decay", weightDecay);
            m.put("nesterov", nesterov);
        }
        m.put("threads", usedThreads);
        m.put("limit", limit);
        m.put("test_limit", testLimit);
        m.put("train_images", train.size());
        m.put("test_images", test.size());
        m.put("data_dir", dataDirUsed.toAbsolutePath().toString());
        m.put("java_version", System.getProperty("java.version"));
        m.put("java_vendor", System.getProperty("java.vendor"));
        m.put("cnn4j_version", Main.version());
        m.put("date", date.toString());
        m.put("duration_seconds", Math.round(seconds * 10) / 10.0);
        return m;
    }

    private static double round1(double v) {
        return Double.isFinite(v) ? Math.round(v * 10) / 10.0 : v;
    }
}
