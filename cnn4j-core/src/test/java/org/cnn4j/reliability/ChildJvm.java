package org.cnn4j.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starts a JVM with this JVM's java binary and class path (and the Vector API module), as a child process. */
final class ChildJvm {
    private ChildJvm() {}

    record Result(int exitCode, String output) {}

    static List<String> command(List<String> jvmOptions, Class<?> main, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--add-modules=jdk.incubator.vector");
        cmd.add("-XX:+UseSerialGC"); // small, predictable heaps in the children
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        return cmd;
    }

    static ProcessBuilder builder(List<String> jvmOptions, Class<?> main, String... args) {
        return new ProcessBuilder(command(jvmOptions, main, args)).redirectErrorStream(true);
    }

    /** Runs to completion (at most 120 s) and returns the exit code and the output (stdout and stderr). */
    static Result run(List<String> jvmOptions, Class<?> main, String... args) throws IOException, InterruptedException {
        Process p = builder(jvmOptions, main, args).start();
        byte[][] out = new byte[1][];
        Thread reader = new Thread(() -> {
            try {
                out[0] = p.getInputStream().readAllBytes();
            } catch (IOException e) {
                out[0] = ("(reading the child's output failed: " + e + ")").getBytes(StandardCharsets.UTF_8);
            }
        });
        reader.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            reader.join(5000);
            throw new AssertionError("child " + main.getSimpleName() + " " + String.join(" ", args) + " did not finish in 120 s");
        }
        reader.join(10_000);
        return new Result(p.exitValue(), out[0] == null ? "" : new String(out[0], StandardCharsets.UTF_8));
    }
}
