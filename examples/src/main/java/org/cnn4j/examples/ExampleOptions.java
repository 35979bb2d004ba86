package org.cnn4j.examples;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The command-line options of an example: {@code --name value} or {@code --name=value}, each with a
 * default declared by the example; a flag ({@code --synthetic}) is an option whose default is
 * {@code "false"} given without a value. An unknown option or a malformed number fails with a message
 * naming it and listing the known ones; {@code --help} is answered by {@link #helpRequested()}.
 *
 * <p>Options every training example knows ({@link #training}): {@code --epochs}, {@code --limit} (training
 * images: the first N of the set), {@code --test-limit}, {@code --batch-size}, {@code --lr},
 * {@code --seed}, {@code --data-dir} (where Fashion-MNIST is looked for first), {@code --out} (where
 * pictures and CSV files go) and {@code --synthetic} (small generated images instead of Fashion-MNIST:
 * what the tests use).
 */
public final class ExampleOptions {
    private final String example;
    private final Map<String, String> defaults;
    private final Map<String, String> values = new LinkedHashMap<>();
    private boolean help;

    private ExampleOptions(String example, Map<String, String> defaults) {
        this.example = example;
        this.defaults = defaults;
    }

    /** The options of a training example, with the given defaults overriding the common ones. */
    public static Map<String, String> training(String example, int epochs, int limit, int testLimit, int batchSize, Object... more) {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("epochs", Integer.toString(epochs));
        d.put("limit", Integer.toString(limit));
        d.put("test-limit", Integer.toString(testLimit));
        d.put("batch-size", Integer.toString(batchSize));
        d.put("lr", "0.001");
        d.put("seed", "42");
        d.put("data-dir", "");
        d.put("out", "runs/examples/" + example);
        d.put("synthetic", "false");
        for (int i = 0; i + 1 < more.length; i += 2) d.put((String) more[i], String.valueOf(more[i + 1]));
        return d;
    }

    /** Parses {@code args} against {@code defaults} (option name without dashes to its default text). */
    public static ExampleOptions parse(String example, Map<String, String> defaults, String... args) {
        ExampleOptions o = new ExampleOptions(example, new LinkedHashMap<>(defaults));
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                o.help = true;
                continue;
            }
            if (!a.startsWith("--"))
                throw new IllegalArgumentException(example + ": unexpected argument '" + a + "'; options are " + o.known());
            String name = a.substring(2), value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (!defaults.containsKey(name))
                throw new IllegalArgumentException(example + ": unknown option '--" + name + "'; options are " + o.known());
            boolean flag = "false".equals(defaults.get(name)) || "true".equals(defaults.get(name));
            if (value == null) {
                if (flag && (i + 1 >= args.length || args[i + 1].startsWith("--"))) value = "true";
                else if (i + 1 < args.length) value = args[++i];
                else throw new IllegalArgumentException(example + ": option '--" + name + "' needs a value");
            }
            o.values.put(name, value);
        }
        return o;
    }

    public boolean helpRequested() {
        return help;
    }

    /** One line per option with its default, for {@code --help}. */
    public String usage() {
        StringBuilder sb = new StringBuilder("usage: " + example + " [options]\n");
        defaults.forEach((k, v) -> sb.append(String.format(Locale.ROOT, "  --%-12s default: %s%n", k, v.isEmpty() ? "(none)" : v)));
        return sb.toString();
    }

    private String known() {
        StringBuilder sb = new StringBuilder();
        for (String k : defaults.keySet()) sb.append(sb.isEmpty() ? "" : ", ").append("--").append(k);
        return sb.toString();
    }

    public String string(String name) {
        if (!defaults.containsKey(name)) throw new IllegalArgumentException(example + ": no option '" + name + "' is declared");
        return values.getOrDefault(name, defaults.get(name));
    }

    public int integer(String name) {
        String s = string(name);
        try {
            return Integer.parseInt(s.replace("_", "").replace(",", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(example + ": --" + name + " must be an integer. Received: " + s, e);
        }
    }

    /** A positive integer option. */
    public int positive(String name) {
        int v = integer(name);
        if (v < 1) throw new IllegalArgumentException(example + ": --" + name + " must be a positive integer. Received: " + v);
        return v;
    }

    public double number(String name) {
        String s = string(name);
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(example + ": --" + name + " must be a number. Received: " + s, e);
        }
    }

    public boolean flag(String name) {
        String s = string(name).toLowerCase(Locale.ROOT);
        if (!s.equals("true") && !s.equals("false"))
            throw new IllegalArgumentException(example + ": --" + name + " takes true or false. Received: " + s);
        return s.equals("true");
    }

    /** A comma-separated list of integers, e.g. {@code --batch-sizes 32,128,512}. */
    public int[] integers(String name) {
        String[] parts = string(name).split(",");
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(example + ": --" + name + " must be integers separated by commas. Received: " + string(name), e);
            }
            if (out[i] < 1) throw new IllegalArgumentException(example + ": --" + name + " values must be positive. Received: " + string(name));
        }
        return out;
    }

    /** A path option, or null when empty. */
    public Path path(String name) {
        String s = string(name);
        return s.isBlank() ? null : Path.of(s);
    }

    public int epochs() {
        return positive("epochs");
    }

    public int batchSize() {
        return positive("batch-size");
    }

    public float lr() {
        double v = number("lr");
        if (!(v > 0)) throw new IllegalArgumentException(example + ": --lr must be a positive number. Received: " + v);
        return (float) v;
    }

    public long seed() {
        return Long.parseLong(string("seed"));
    }

    public Path out() {
        return path("out");
    }

    public String example() {
        return example;
    }

    /** The settings as one line, for the report. */
    public String settings() {
        StringBuilder sb = new StringBuilder();
        defaults.forEach((k, v) -> {
            String val = values.getOrDefault(k, v);
            if (k.equals("out") || k.equals("data-dir") || val.isEmpty()) return;
            if (k.equals("synthetic") && val.equals("false")) return;
            sb.append(sb.isEmpty() ? "" : " ").append("--").append(k).append(' ').append(val);
        });
        return sb.toString();
    }
}
