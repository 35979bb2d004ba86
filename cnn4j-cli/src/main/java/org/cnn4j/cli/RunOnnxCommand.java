package org.cnn4j.cli;

import org.cnn4j.autograd.Autograd;
import org.cnn4j.io.SafeTensors;
import org.cnn4j.onnx.OnnxFormatException;
import org.cnn4j.onnx.OnnxImporter;
import org.cnn4j.onnx.OnnxModel;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code cnn4j run-onnx}: runs an ONNX model through the importer on named tensors. */
@Command(name = "run-onnx", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Run an ONNX model with cnn4j's importer (inference mode) on the tensors of a safetensors file, named as "
                + "the graph's inputs, and write the graph's outputs, named as its outputs, to another safetensors file. "
                + "For debugging interchange: compare the outputs with those of PyTorch or ONNX Runtime.")
final class RunOnnxCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DebugOption debugOption;

    @Parameters(index = "0", paramLabel = "MODEL.onnx", description = "The ONNX model file.")
    Path model;

    @Option(names = "--inputs", required = true, paramLabel = "IN.safetensors",
            description = "One float tensor per graph input, under the input's name.")
    Path inputs;

    @Option(names = "--outputs", required = true, paramLabel = "OUT.safetensors",
            description = "Where to write the graph outputs (written atomically).")
    Path outputs;

    @Override
    public Integer call() throws IOException {
        OnnxModel m;
        try {
            m = OnnxImporter.load(model);
        } catch (OnnxFormatException e) {
            throw new FileProblem(e.getMessage(), e);
        }
        Map<String, Tensor> in = SafeTensors.read(inputs).tensors(); // format errors are IOExceptions: exit code 3
        Map<String, Tensor> feed = new LinkedHashMap<>();
        for (String name : m.inputNames()) {
            Tensor t = in.get(name);
            if (t == null)
                throw new FileProblem(inputs + ": no tensor named '" + name + "'; the model's inputs are " + m.inputNames()
                        + ", the file has " + in.keySet());
            feed.put(name, t);
        }
        Map<String, Tensor> out;
        try (var ignored = Autograd.noGrad()) {
            out = m.run(feed);
        }
        SafeTensors.write(outputs, out, Map.of("producer", "cnn4j run-onnx", "model", model.getFileName().toString()));
        PrintWriter w = spec.commandLine().getOut();
        for (var e : out.entrySet()) w.println(e.getKey() + " " + Shape.str(e.getValue().shape()));
        w.println("wrote " + out.size() + " output" + (out.size() == 1 ? "" : "s") + " to " + outputs);
        w.flush();
        return Main.EXIT_OK;
    }
}
