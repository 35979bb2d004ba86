package org.cnn4j.cli;

import org.cnn4j.io.Json;
import org.cnn4j.io.SafeTensors;
import org.cnn4j.models.ModelSpec;
import org.cnn4j.models.Zoo;
import org.cnn4j.nn.Module;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A model file as {@code cnn4j train} writes it (safetensors with PyTorch names and metadata: model name,
 * class count and names) loaded into its zoo architecture, as {@code evaluate} loads it.
 */
record SavedModel(String name, Module net, int numClasses, List<String> classNames, int[] inputShape, String dataset) {
    /**
     * Loads a model file: the architecture from {@code model} or the name recorded in the file, built for the
     * recorded input shape and class count (else the zoo's defaults), with the recorded class names and dataset.
     *
     * @param model the architecture, or null for the one recorded in the file
     */
    static SavedModel load(Path modelFile, String model, PrintWriter err) throws IOException {
        if (!Files.isRegularFile(modelFile)) {
            if (Files.isDirectory(modelFile))
                throw new FileProblem(modelFile + " is a directory; pass the model file, e.g. " + modelFile.resolve("model.safetensors"));
            throw new NoSuchFileException(modelFile.toString(), null, "model file not found");
        }
        SafeTensors.Loaded loaded = SafeTensors.read(modelFile);
        Map<String, String> meta = loaded.metadata();
        String recorded = meta.get("model");
        String name = model;
        if (name == null) {
            if (recorded == null)
                throw new FileProblem(modelFile + " does not record its model; pass --model (" + String.join(", ", Zoo.names()) + ")");
            if (!Zoo.contains(recorded))
                throw new FileProblem(modelFile + " records the model '" + recorded + "', which this cnn4j does not know; pass --model");
            name = recorded;
        } else if (recorded != null && !recorded.equals(name)) {
            err.println("cnn4j: note: " + modelFile + " records the model '" + recorded + "', loading it as " + name);
        }
        int numClasses = Zoo.entry(name).defaultClasses();
        String recordedClasses = meta.get("num_classes");
        if (recordedClasses != null) {
            try {
                numClasses = Integer.parseInt(recordedClasses.trim());
            } catch (NumberFormatException e) {
                throw new FileProblem(modelFile + ": metadata num_classes '" + recordedClasses + "' is not a number");
            }
        }
        List<String> names = new ArrayList<>();
        String namesJson = meta.get("class_names");
        if (namesJson != null) {
            try {
                if (Json.parse(namesJson) instanceof List<?> l) for (Object o : l) names.add(String.valueOf(o));
            } catch (Json.ParseException e) {
                names.clear();
            }
        }
        if (names.size() != numClasses) {
            names.clear();
            for (int i = 0; i < numClasses; i++) names.add("class " + i);
        }
        int[] shape = meta.containsKey("input_shape") ? inputShape(modelFile, meta.get("input_shape")) : Zoo.entry(name).inputShape();
        Module net = Zoo.create(name, new ModelSpec(shape[0], shape[1], shape[2], numClasses));
        try {
            net.loadStateDict(loaded.tensors(), true);
        } catch (IllegalArgumentException e) {
            throw new FileProblem(modelFile + " does not hold " + name + " weights: " + e.getMessage(), e);
        }
        net.eval();
        return new SavedModel(name, net, numClasses, List.copyOf(names), shape, meta.get("dataset"));
    }

    /** The metadata {@code input_shape} cnn4j train records, e.g. {@code [1,28,28]}. */
    static int[] inputShape(Path modelFile, String json) {
        try {
            if (Json.parse(json) instanceof List<?> l && l.size() == 3) {
                int[] s = new int[3];
                for (int i = 0; i < 3; i++) {
                    if (!(l.get(i) instanceof Number n) || n.intValue() <= 0 || n.intValue() > 1 << 14) throw new FileProblem("");
                    s[i] = n.intValue();
                }
                return s;
            }
        } catch (RuntimeException e) {
            // reported below
        }
        throw new FileProblem(modelFile + ": metadata input_shape " + json + " is not C,H,W");
    }
}
