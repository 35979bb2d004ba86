package org.cnn4j.cli;

import org.cnn4j.data.DataLoader;
import org.cnn4j.data.Dataset;
import org.cnn4j.data.Datasets;
import org.cnn4j.train.EvalResult;
import org.cnn4j.data.transforms.AugmentSpec;
import org.cnn4j.data.transforms.BatchTransform;
import org.cnn4j.data.transforms.CutMix;
import org.cnn4j.data.transforms.MixUp;
import org.cnn4j.data.transforms.Transform;
import org.cnn4j.io.Json;
import org.cnn4j.kernels.Parallel;
import org.cnn4j.models.ModelSpec;
import org.cnn4j.models.Zoo;
import org.cnn4j.nn.Module;
import org.cnn4j.optim.Adagrad;
import org.cnn4j.optim.Adam;
import org.cnn4j.optim.AdamW;
import org.cnn4j.optim.NAdam;
import org.cnn4j.optim.Optimizer;
import org.cnn4j.optim.RMSprop;
import org.cnn4j.optim.SGD;
import org.cnn4j.optim.schedule.LRScheduler;
import org.cnn4j.optim.schedule.Schedulers;
import org.cnn4j.tensor.Rng;
import org.cnn4j.train.EpochResult;
import org.cnn4j.train.RunDirectory;
import org.cnn4j.train.Trainer;
import org.cnn4j.train.TrainingListener;
import org.cnn4j.viz.TrainingLog;
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
 * {@code cnn4j train}: trains a zoo model on Fashion-MNIST (or another {@code --dataset}) as the seed does (batch 100, Adam lr 0.001,
 * cross-entropy), evaluates on the test images after every epoch and writes a {@link RunDirectory}.
 */
@Command(name = "train", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Train a model on Fashion-MNIST (or --dataset), evaluating on the test images after each epoch, and write a run "
                + "directory with model.safetensors, history.csv and metrics.json.")
class TrainCommand implements Callable<Integer> {
    /** Default epochs: 5 epochs of FashionCNN take a few minutes on 2 cores. */
    static final int DEFAULT_EPOCHS = 5;

    enum OptimizerName { adam, sgd, adamw, rmsprop, adagrad, nadam }

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
            description = "Optimizer: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}), each with PyTorch's defaults "
                    + "(Adam betas 0.9, 0.999, eps 1e-8; AdamW weight decay 0.01).")
    OptimizerName optimizer;

    @Option(names = "--momentum", paramLabel = "M", defaultValue = "0.9",
            description = "Momentum (default: ${DEFAULT-VALUE}; used with --optimizer sgd, and with rmsprop where it defaults to 0).")
    double momentum;

    @Option(names = "--weight-decay", paramLabel = "W", defaultValue = "0",
            description = "Weight decay: the L2 term added to the gradient, decoupled for adamw (default: ${DEFAULT-VALUE}; 0.01 for adamw).")
    double weightDecay;

    @Option(names = "--nesterov", description = "Use Nesterov momentum with SGD (default: off).")
    boolean nesterov;

    @Option(names = "--scheduler", paramLabel = "SPEC", defaultValue = "none",
            description = "Learning-rate schedule (PyTorch's): " + Schedulers.SYNTAX + ". Epoch schedules step after each "
                    + "epoch, warmup-cosine and onecycle after each batch; plateau watches the test loss (default: ${DEFAULT-VALUE}).")
    String scheduler;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
            description = "Seed for weight initialisation, dropout and shuffling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Directory to look in first for the dataset's files (for Fashion-MNIST the four IDX files, raw or .gz). "
                    + "Default: $CNN4J_DATA/<dataset>, ~/.cnn4j/datasets/<dataset>, /usr/share/datasets/<dataset>, else download "
                    + "to ~/.cnn4j/datasets (CIFAR: $CNN4J_CIFAR10_DIR / $CNN4J_CIFAR100_DIR second).")
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

    @Option(names = "--dataset", paramLabel = "NAME", defaultValue = DataChoice.DEFAULT,
            description = "Dataset: fashion-mnist (default), mnist, kmnist, cifar10, cifar100, or folder:PATH (images in "
                    + "PATH/<class>/, or PATH/train/<class>/ and PATH/val/<class>/, converted to the model's input channels and size).")
    String dataset;

    @Option(names = "--val-split", paramLabel = "FRACTION",
            description = "Hold out this fraction of each class of the training images (chosen with --seed) and report the "
                    + "accuracy on it after every epoch (default: none).")
    Double valSplit;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "0",
            description = "Background threads preparing the next training batches while the model trains (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--skip-corrupt", description = "With --dataset folder:PATH, leave out images that cannot be decoded, with a warning (default: fail).")
    boolean skipCorrupt;

    @Option(names = "--augment", paramLabel = "SPEC",
            description = "Augment the training images on the fly, e.g. \"hflip,rotate=10,zoom=0.1,cutout=8\" (default: none). "
                    + AugmentCommand.KEYS_HELP + " Preview with 'cnn4j augment'.")
    String augment;

    @Option(names = "--no-progress", negatable = false,
            description = "Show no progress within an epoch, only the line after each epoch (default: a progress bar on a terminal, a line every 10%% otherwise).")
    boolean noProgress;

    @Option(names = "--quiet", negatable = false,
            description = "Print nothing while training, only one final line (default: off).")
    boolean quiet;

    @Option(names = "--json", negatable = false,
            description = "Print one JSON object per epoch on stdout and nothing else (notes go to stderr; default: off).")
    boolean json;

    @Option(names = "--no-pictures", negatable = false,
            description = "Do not write the pictures and report.html (curves, confusion matrix, samples, filters, feature maps) "
                    + "into the run directory (default: write them).")
    boolean noPictures;

    private Transform augmentation;

    @Option(names = "--checkpoint-every", paramLabel = "N",
            description = "Write a checkpoint (weights, optimizer, scheduler, RNG and data position, history) into "
                    + "<run>/checkpoints every N batches and at every epoch end; 0: at epoch ends only (default: no checkpoints).")
    Integer checkpointEvery;

    @Option(names = "--keep-checkpoints", paramLabel = "K", defaultValue = "3",
            description = "Keep the newest K checkpoints (default: ${DEFAULT-VALUE}; 0 keeps all).")
    int keepCheckpoints;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "Continue a killed run from its newest checkpoint (DIR: the run directory, its checkpoints directory or one "
                    + "checkpoint), with the run's own settings; ends with the same weights as an uninterrupted run.")
    Path resume;

    /** The checkpoint being resumed (set on the command rebuilt from the checkpoint's settings). */
    org.cnn4j.train.Checkpoint.Loaded resumed;
    /** The settings to record in checkpoints: this command's options as given. */
    private List<String> givenArgs;

    @Option(names = "--mixup", paramLabel = "ALPHA",
            description = "MixUp each training batch with Beta(ALPHA, ALPHA) weights (soft targets; e.g. 0.2; default: off).")
    Double mixup;

    @Option(names = "--cutmix", paramLabel = "ALPHA",
            description = "CutMix each training batch with Beta(ALPHA, ALPHA) areas (soft targets; e.g. 1.0; default: off).")
    Double cutmix;

    @Option(names = "--detect-anomaly", negatable = false,
            description = "Check every layer's output, every gradient and every weight for NaN/Inf and stop at the first layer or "
                    + "parameter that produced one, naming it (slower; default: off, only the loss is checked).")
    boolean detectAnomaly;

    @Option(names = "--clip-norm", paramLabel = "X",
            description = "Scale the gradients after each backward so their total 2-norm is at most X (torch.nn.utils.clip_grad_norm_; default: off).")
    Double clipNorm;

    @Option(names = "--clip-value", paramLabel = "V",
            description = "Clamp every gradient element to [-V, V] after each backward, before --clip-norm (clip_grad_value_; default: off).")
    Double clipValue;

    @Override
    public Integer call() throws IOException {
        if (resume != null && resumed == null) return TrainingCheckpoints.resume(this);
        givenArgs = TrainingCheckpoints.givenArgs(spec);
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
        if (!overwrite && resumed == null)
            for (String f : List.of(RunDirectory.MODEL_FILE, RunDirectory.HISTORY_FILE, RunDirectory.METRICS_FILE))
                if (Files.exists(outDir.resolve(f)))
                    throw new FileProblem("the run directory " + outDir + " already holds " + f
                            + "; choose another --out or pass --overwrite");
        RunDirectory run = RunDirectory.prepare(outDir, overwrite || resumed != null);

        // Folder images are converted to the model's default input; built-in datasets keep their own shape.
        DataChoice data = DataChoice.open(dataset, dataDir, Zoo.entry(model).inputShape(), skipCorrupt, stderr);
        Dataset train = FashionData.first(spec, data.train, limit, "--limit", "training");
        Dataset test = data.test == null ? null : FashionData.first(spec, data.test, testLimit, "--test-limit", "test");
        int[] inputShape = train.sampleShape();
        if (inputShape.length != 3)
            throw new IllegalArgumentException(data.title + "'s samples have shape " + Arrays.toString(inputShape) + "; the zoo's models take C,H,W");
        Dataset val = null;
        if (valSplit != null) {
            List<Dataset> parts = Datasets.stratifiedSplit(train, valSplit, seed);
            train = parts.get(0);
            val = parts.get(1);
            if (val.size() == 0 || train.size() == 0)
                throw new ParameterException(spec.commandLine(), "--val-split " + valSplit + " leaves " + train.size() + " training and "
                        + val.size() + " validation images; choose another fraction");
        }

        Rng.manualSeed(seed); // before the model: its initial weights come from the seeded generator
        // Every zoo model is built for the data's channels, size and classes (a model that cannot take them says so).
        ModelSpec modelSpec = new ModelSpec(inputShape[0], inputShape[1], inputShape[2], train.numClasses());
        Module net;
        try {
            net = createModel(modelSpec, stderr);
        } catch (IllegalArgumentException e) { // the model cannot take the data's shape: a usage error naming both
            throw new ParameterException(spec.commandLine(), model + " cannot take " + data.title + "'s " + Arrays.toString(inputShape)
                    + " images: " + e.getMessage());
        }
        Optimizer opt = createOptimizer(net);
        // Room for the model (old and new copy during the atomic rename), history, metrics and pictures.
        org.cnn4j.io.AtomicFiles.requireFreeSpace(run.path(), 2 * (4 * net.parameterCount() + (1 << 16)) + (noPictures ? 1 << 20 : 16 << 20),
                "the model and run files");
        DataLoader trainLoader = DataLoader.builder(train).batchSize(batchSize).shuffle(true).seed(seed).workers(workers)
                .transform(augmentation).batchTransform(batchMixing(train.numClasses())).build(); // null: none
        DataLoader testLoader = test == null ? null : DataLoader.builder(test).batchSize(batchSize).shuffle(false).build();
        DataLoader valLoader = val == null ? null : DataLoader.builder(val).batchSize(batchSize).shuffle(false).build();
        LRScheduler schedule = Schedulers.parse(scheduler, opt, epochs, trainLoader.numBatches());

        TrainingConsole.Mode mode = json ? TrainingConsole.Mode.JSON : quiet ? TrainingConsole.Mode.QUIET
                : TrainingConsole.detect(!noProgress);
        boolean chatty = !quiet && !json;
        if (chatty) {
            stdout.printf(Locale.ROOT, "training %s (%s parameters) on %s from %s%n", model,
                    Format.count(net.parameterCount()), data.title, data.dir);
            stdout.printf(Locale.ROOT, "  %s training images, %s%s test images; %d epoch%s, batch %d, %s, seed %d, %d thread%s%s%n",
                    Format.count(train.size()), val == null ? "" : Format.count(val.size()) + " validation images, ",
                    test == null ? "no" : Format.count(test.size()), epochs, epochs == 1 ? "" : "s", batchSize, optimizerText(), seed, usedThreads,
                    usedThreads == 1 ? "" : "s", workers > 0 ? ", " + workers + " data worker" + (workers == 1 ? "" : "s") : "");
            if (!data.skipped.isEmpty()) stdout.printf("  %d unreadable image%s skipped%n", data.skipped.size(), data.skipped.size() == 1 ? "" : "s");
            if (augment != null) stdout.printf("  augmentation %s%n", augmentation);
            stdout.printf("  run directory %s%n", run.path());
            stdout.flush();
        }

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
        List<EvalResult> valHistory = new ArrayList<>();
        Dataset valSet = val;
        TrainingListener validator = new TrainingListener() {
            @Override
            public void onEpochEnd(EpochResult result) {
                EvalResult v = Trainer.evaluate(net, valLoader);
                valHistory.add(v);
                if (chatty) {
                    stdout.printf(Locale.ROOT, "  validation loss %s acc %.4f (%s images)%n", Format.loss(v.loss()), v.accuracy(),
                            Format.count(valSet.size()));
                    stdout.flush();
                }
            }
        };
        int testSize = test == null ? 0 : test.size();
        TrainingConsole console = new TrainingConsole(stdout, mode, testSize);
        TrainingLog log = new TrainingLog(batchSize, train.size());
        EvaluationRecorder evaluation = new EvaluationRecorder(testSize, epochs, console);
        Trainer trainer = new Trainer(net, opt).scheduler(schedule).detectAnomaly(detectAnomaly)
                .addListener(console)
                .addListener(historyWriter)
                .addListener(log)
                .addListener(evaluation);
        if (clipNorm != null) trainer.clipGradNorm(clipNorm);
        if (clipValue != null) trainer.clipGradValue(clipValue);
        if (valLoader != null) trainer.addListener(validator);
        if (resumed != null) {
            org.cnn4j.train.TrainingProgress progress = resumed.restore(net, opt, schedule);
            trainer.resume(progress);
            history.addAll(progress.history());
            if (chatty) stdout.printf("  resuming from %s (epoch %d, batch %d, step %d)%n", resumed.dir(), progress.epochsDone() + 1,
                    progress.batchesDone(), progress.globalStep());
        }
        if (checkpointEvery != null)
            TrainingCheckpoints.attach(this, trainer, run.path(), net, opt, schedule, modelSpec, modelMetadata(train), outDir);
        net.addForwardHook(evaluation); // on the root only: the fused paths inside stay on
        try {
            trainer.fit(trainLoader, testLoader, epochs);
        } finally {
            net.removeForwardHook(evaluation);
            trainLoader.close(); // stops data workers if training failed mid-epoch
        }

        EpochResult last = history.getLast();
        run.writeModel(net, modelMetadata(train));
        double seconds = (System.nanoTime() - started) / 1e9;
        Map<String, Object> metrics = metrics(net, train, test, data.dir, history, usedThreads, startDate, seconds);
        metrics.put("workers", workers);
        if (val != null) {
            EvalResult v = valHistory.getLast();
            metrics.put("val_split", valSplit);
            metrics.put("val_images", val.size());
            metrics.put("val_accuracy", v.accuracy());
            metrics.put("val_loss", v.loss());
            metrics.put("val_accuracy_history", valHistory.stream().map(EvalResult::accuracy).toList());
        }
        if (!data.skipped.isEmpty()) metrics.put("skipped_files", data.skipped.stream().map(f -> f.file().toString()).toList());
        run.writeMetrics(metrics);

        List<String> pictures = List.of();
        if (!noPictures && test != null) { // the pictures show test-set results
            int[] predictions = evaluation.lastPredictions();
            if (predictions == null) predictions = Trainer.evaluate(net, testLoader).predictions();
            try (ProgressMeter meter = new ProgressMeter(stdout,
                    mode == TrainingConsole.Mode.BAR ? mode : TrainingConsole.Mode.NONE, "Writing pictures",
                    RunPictures.STEPS, "files")) {
                pictures = RunPictures.write(run.path(), net, model, test, log, predictions, metrics, inputShape, 0, meter);
            }
        }

        StringBuilder result = new StringBuilder();
        if (val != null)
            result.append(String.format(Locale.ROOT, "validation accuracy %.4f (loss %s) on %s held-out images%n",
                    valHistory.getLast().accuracy(), Format.loss(valHistory.getLast().loss()), Format.count(val.size())));
        if (test != null)
            result.append(String.format(Locale.ROOT, "test accuracy %.4f (loss %s) after %d epoch%s, %.1f s", last.testAccuracy(),
                    Format.loss(last.testLoss()), epochs, epochs == 1 ? "" : "s", seconds));
        else
            result.append(String.format(Locale.ROOT, "train accuracy %.4f after %d epoch%s (no test set), %.1f s", last.trainAccuracy(),
                    epochs, epochs == 1 ? "" : "s", seconds));
        if (quiet) {
            stdout.printf("%s; wrote %s%n", result, run.path());
        } else if (json) {
            stderr.printf("cnn4j: wrote %s%n", run.path());
        } else {
            stdout.println(result);
            if (!pictures.isEmpty())
                stdout.printf("pictures: %s (open %s)%n", String.join(", ", pictures), run.path().resolve(RunPictures.REPORT));
            stdout.printf("wrote %s%n", run.path());
        }
        stdout.flush();
        stderr.flush();
        return Main.EXIT_OK;
    }

    private void validate() {
        Options.checkModel(spec, model);
        Options.positive(spec, "--epochs", epochs);
        if (checkpointEvery != null) Options.nonNegative(spec, "--checkpoint-every", checkpointEvery);
        Options.nonNegative(spec, "--keep-checkpoints", keepCheckpoints);
        Options.positive(spec, "--batch-size", batchSize);
        Options.positive(spec, "--lr", lr);
        Options.nonNegative(spec, "--momentum", momentum);
        Options.nonNegative(spec, "--weight-decay", weightDecay);
        if (limit != null) Options.positive(spec, "--limit", limit);
        if (testLimit != null) Options.positive(spec, "--test-limit", testLimit);
        if (threads != null) Options.positive(spec, "--threads", threads);
        if (clipNorm != null) Options.positive(spec, "--clip-norm", clipNorm);
        if (clipValue != null) Options.positive(spec, "--clip-value", clipValue);
        DataChoice.check(spec, dataset);
        if (valSplit != null && !(valSplit > 0 && valSplit < 1))
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--val-split': " + valSplit
                    + " (must be a fraction between 0 and 1, e.g. 0.1)");
        if (workers < 0)
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--workers': " + workers + " (must be 0 or more)");
        if (quiet && json) throw new ParameterException(spec.commandLine(), "--quiet and --json exclude each other");
        if (mixup != null && cutmix != null) throw new ParameterException(spec.commandLine(), "--mixup and --cutmix exclude each other");
        if (mixup != null) Options.positive(spec, "--mixup", (double) mixup);
        if (cutmix != null) Options.positive(spec, "--cutmix", (double) cutmix);
        if (augment != null) {
            try {
                augmentation = AugmentSpec.parse(augment);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "Invalid value for option '--augment': " + e.getMessage());
            }
        }
        if (optimizer == OptimizerName.sgd && nesterov && momentum == 0)
            throw new ParameterException(spec.commandLine(), "--nesterov needs a momentum > 0 (--momentum)");
        if (optimizer != OptimizerName.sgd && nesterov)
            throw new ParameterException(spec.commandLine(), "--nesterov applies to --optimizer sgd only");
        if (optimizer != OptimizerName.sgd && optimizer != OptimizerName.rmsprop
                && spec.commandLine().getParseResult().hasMatchedOption("--momentum"))
            throw new ParameterException(spec.commandLine(), "--momentum applies to --optimizer sgd and rmsprop only");
        try { // the spec's syntax now, not after loading the data (its sizes are checked again then)
            Schedulers.parse(scheduler, new SGD(List.of(new org.cnn4j.nn.Parameter(new float[1], 1)), 0.1f, 0.9f, 0f, 0f, false),
                    epochs, 1);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--scheduler: " + e.getMessage());
        }
    }

    /** The model to train, built for the data ({@code finetune} loads and adapts a pretrained one). */
    Module createModel(ModelSpec modelSpec, PrintWriter err) throws IOException {
        return Zoo.create(model, modelSpec);
    }

    /** Children replaced after building the zoo model (recorded in the checkpoint's architecture). */
    Map<String, Module> replacedModules(Module net) {
        return Map.of();
    }

    /** This command's options as given (for checkpoints), without --resume. */
    List<String> givenArgs() {
        return givenArgs;
    }

    /** The batch transform of --mixup / --cutmix, or null. */
    private BatchTransform batchMixing(int numClasses) {
        if (mixup != null) return new MixUp(numClasses, mixup);
        if (cutmix != null) return new CutMix(numClasses, cutmix);
        return null;
    }

    /** --weight-decay when given, else PyTorch's default for the optimizer (0.01 for AdamW, 0 otherwise). */
    private double effectiveWeightDecay() {
        if (spec.commandLine().getParseResult().hasMatchedOption("--weight-decay")) return weightDecay;
        return optimizer == OptimizerName.adamw ? 0.01 : 0;
    }

    /** --momentum for SGD (default 0.9); for RMSprop only when given (PyTorch's default 0). */
    private double effectiveMomentum() {
        if (optimizer == OptimizerName.rmsprop && !spec.commandLine().getParseResult().hasMatchedOption("--momentum")) return 0;
        return momentum;
    }

    private Optimizer createOptimizer(Module net) {
        float r = (float) lr, wd = (float) effectiveWeightDecay(), m = (float) effectiveMomentum();
        return switch (optimizer) {
            case adam -> new Adam(net.parameters(), r, 0.9f, 0.999f, 1e-8f, wd, false);
            case sgd -> new SGD(net.parameters(), r, m, 0f, wd, nesterov);
            case adamw -> new AdamW(net.parameters(), r, 0.9f, 0.999f, 1e-8f, wd, false);
            case rmsprop -> new RMSprop(net.parameters(), r, 0.99f, 1e-8f, wd, m, false);
            case adagrad -> new Adagrad(net.parameters(), r, 0f, wd, 0f, 1e-10f);
            case nadam -> new NAdam(net.parameters(), r, 0.9f, 0.999f, 1e-8f, wd, 4e-3f);
        };
    }

    private String optimizerText() {
        String wd = effectiveWeightDecay() != 0 ? " weight decay " + effectiveWeightDecay() : "";
        String text = switch (optimizer) {
            case adam -> "Adam lr " + lr + wd;
            case sgd -> "SGD lr " + lr + " momentum " + momentum + " weight decay " + effectiveWeightDecay() + (nesterov ? " nesterov" : "");
            case adamw -> "AdamW lr " + lr + wd;
            case rmsprop -> "RMSprop lr " + lr + (effectiveMomentum() != 0 ? " momentum " + effectiveMomentum() : "") + wd;
            case adagrad -> "Adagrad lr " + lr + wd;
            case nadam -> "NAdam lr " + lr + wd;
        };
        return scheduler.equalsIgnoreCase("none") ? text : text + ", schedule " + scheduler;
    }

    private Map<String, String> modelMetadata(Dataset train) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.put("model", model);
        meta.put("num_classes", Integer.toString(train.numClasses()));
        meta.put("input_shape", Json.writeCompact(train.sampleShape()));
        meta.put("class_names", Json.writeCompact(train.classNames()));
        meta.put("dataset", dataset);
        meta.put("cnn4j_version", Main.version());
        return meta;
    }

    private Map<String, Object> metrics(Module net, Dataset train, Dataset test, Path dataDirUsed, List<EpochResult> history,
                                        int usedThreads, OffsetDateTime date, double seconds) {
        EpochResult last = history.getLast();
        double meanIps = history.stream().mapToDouble(EpochResult::trainImagesPerSecond).average().orElse(Double.NaN);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", model);
        m.put("dataset", dataset);
        m.put("epochs", epochs);
        m.put("parameters", net.parameterCount());
        m.put("trainable_parameters", net.trainableParameterCount());
        if (test != null) {
            m.put("test_accuracy", last.testAccuracy());
            m.put("test_loss", last.testLoss());
        }
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
        if (optimizer == OptimizerName.sgd || optimizer == OptimizerName.rmsprop) m.put("momentum", effectiveMomentum());
        m.put("weight_decay", effectiveWeightDecay());
        if (optimizer == OptimizerName.sgd) m.put("nesterov", nesterov);
        m.put("scheduler", scheduler);
        if (augment != null) m.put("augment", augment);
        if (mixup != null) m.put("mixup", mixup);
        if (cutmix != null) m.put("cutmix", cutmix);
        m.put("threads", usedThreads);
        m.put("limit", limit);
        m.put("test_limit", testLimit);
        m.put("train_images", train.size());
        m.put("test_images", test == null ? 0 : test.size());
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
