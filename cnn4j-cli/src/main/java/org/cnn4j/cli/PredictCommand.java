package org.cnn4j.cli;

import org.cnn4j.autograd.Autograd;
import org.cnn4j.data.ByteImageDataset;
import org.cnn4j.data.ImageDecoder;
import org.cnn4j.io.Json;
import org.cnn4j.nn.Module;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.train.Checkpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code cnn4j predict}: top-k classes with probabilities for image files, from a saved model (train's
 * model.safetensors) or a checkpoint. Images are decoded and resized to the model's input as
 * {@code --dataset folder:} does ({@link ImageDecoder}), scaled to [0, 1] as {@link ByteImageDataset}.
 */
@Command(name = "predict", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Classify image files with a saved model: prints the top-k classes with their probabilities.")
final class PredictCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DebugOption debugOption;

    @Option(names = "--model-file", paramLabel = "FILE", required = true,
            description = "model.safetensors written by train/finetune, or a checkpoint directory (or a run directory with checkpoints).")
    Path modelFile;

    @Option(names = "--top", paramLabel = "K", defaultValue = "5", description = "Classes to print per image (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--json", negatable = false, description = "Print one JSON object per image (default: text).")
    boolean json;

    @Parameters(paramLabel = "IMAGE", arity = "1..*", description = "Image files (PNG, JPEG, BMP, GIF).")
    List<Path> images;

    @Override
    public Integer call() throws IOException {
        Options.positive(spec, "--top", top);
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        Module net;
        List<String> classNames;
        int[] inputShape;
        if (Files.isDirectory(modelFile)) {
            Checkpoint.Loaded c = Checkpoint.load(TrainingCheckpoints.locate(modelFile));
            net = c.buildModel();
            classNames = names(c.metadata().get("class_names"));
            String json = c.metadata().get("input_shape");
            if (json == null)
                throw new FileProblem(modelFile + " does not record its input shape (metadata input_shape); it was not written by cnn4j train");
            inputShape = SavedModel.inputShape(modelFile, json);
        } else {
            SavedModel saved = SavedModel.load(modelFile, null, err);
            net = saved.net();
            classNames = saved.classNames();
            inputShape = saved.inputShape();
        }
        net.eval();
        for (Path image : images) {
            if (!Files.isRegularFile(image)) throw new java.nio.file.NoSuchFileException(image.toString(), null, "image not found");
        }
        for (Path image : images) {
            ImageDecoder.Pixels p = ImageDecoder.read(image, inputShape[0]);
            p = ImageDecoder.resize(p, inputShape[1], inputShape[2]);
            ByteImageDataset one = new ByteImageDataset(image.toString(), p.data(), inputShape, new int[1], List.of("?"));
            float[] x = new float[one.sampleSize()];
            one.copySample(0, x, 0);
            float[] logits;
            try (var ignored = Autograd.noGrad()) {
                logits = net.call(new Tensor(x, 1, inputShape[0], inputShape[1], inputShape[2])).data();
            }
            double[] prob = softmax(logits);
            Integer[] order = new Integer[prob.length];
            for (int i = 0; i < order.length; i++) order[i] = i;
            java.util.Arrays.sort(order, (a, b) -> Double.compare(prob[b], prob[a]));
            int k = Math.min(top, prob.length);
            if (json) {
                List<Object> tops = new ArrayList<>();
                for (int i = 0; i < k; i++)
                    tops.add(new java.util.LinkedHashMap<>(java.util.Map.of("class", name(classNames, order[i]), "index", order[i],
                            "probability", prob[order[i]])));
                out.println(Json.writeCompact(new java.util.LinkedHashMap<>(java.util.Map.of("image", image.toString(), "top", tops))));
            } else {
                out.println(image);
                for (int i = 0; i < k; i++)
                    out.printf(Locale.ROOT, "  %6.2f%%  %s%n", 100 * prob[order[i]], name(classNames, order[i]));
            }
        }
        out.flush();
        return Main.EXIT_OK;
    }

    private static String name(List<String> names, int i) {
        return i < names.size() ? names.get(i) : "class " + i;
    }

    static double[] softmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (float v : logits) max = Math.max(max, v);
        double[] p = new double[logits.length];
        for (int i = 0; i < p.length; i++) sum += p[i] = Math.exp(logits[i] - max);
        for (int i = 0; i < p.length; i++) p[i] /= sum;
        return p;
    }

    private static List<String> names(String json) {
        List<String> out = new ArrayList<>();
        if (json != null && Json.parse(json) instanceof List<?> l) for (Object o : l) out.add(String.valueOf(o));
        return out;
    }
}
