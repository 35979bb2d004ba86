package org.cnn4j.train;

import org.cnn4j.models.ModelSpec;
import org.cnn4j.models.Zoo;
import org.cnn4j.nn.*;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.functional.ConvOptions;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A model's architecture as JSON-ready maps, and the model rebuilt from them without code (Keras'
 * {@code get_config} / {@code from_config}). Two forms:
 * <ul>
 *   <li>a zoo model: {@code {"type": "zoo", "name": "resnet18", "spec": {...}, "replaced": {"fc": LAYER}}}
 *       (name and {@link ModelSpec}, plus the children {@link Module#replace replaced} since, e.g. a new
 *       head for fine-tuning);</li>
 *   <li>a {@link Sequential} of catalogue layers: {@code {"type": "sequential", "layers": [LAYER, ...]}},
 *       each LAYER {@code {"class": "Conv2d", "config": {...}}} (nested Sequentials allowed).</li>
 * </ul>
 * The catalogue: Conv2d, Linear, BatchNorm1d/2d, MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, Flatten,
 * Dropout, Dropout2d, ReLU, ReLU6, LeakyReLU, Sigmoid, Tanh, GELU, SiLU, ELU, Softmax, LogSoftmax,
 * Identity, Sequential. Any other module type (a custom subclass, a functional graph.Model) is an
 * {@link IllegalArgumentException} at save time naming its path and class, never a file that cannot
 * be loaded. Parsing checks every field's type and range and names the offending key.
 */
public final class ModelConfig {
    private ModelConfig() {}

    /** The config of a zoo model built with {@code spec}, with {@code replaced} children (path -> module; may be empty). */
    public static Map<String, Object> zoo(String name, ModelSpec spec, Map<String, Module> replaced) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "zoo");
        m.put("name", Zoo.entry(name).name());
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("in_channels", spec.inChannels());
        s.put("height", spec.height());
        s.put("width", spec.width());
        s.put("num_classes", spec.numClasses());
        m.put("spec", s);
        Map<String, Object> r = new LinkedHashMap<>();
        for (var e : replaced.entrySet()) r.put(e.getKey(), layer(e.getKey(), e.getValue()));
        m.put("replaced", r);
        return m;
    }

    /** The config of a Sequential of catalogue layers (see the class comment). */
    public static Map<String, Object> of(Module model) {
        if (!(model instanceof Sequential))
            throw new IllegalArgumentException("cannot describe a " + model.getClass().getName() + " as a config: only zoo models "
                    + "(ModelConfig.zoo) and Sequentials of catalogue layers are supported");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "sequential");
        m.put("layers", layer("", model).get("config") instanceof Map<?, ?> c ? c.get("layers") : List.of());
        return m;
    }

    /** Builds the model a config describes (fresh weights from {@link org.cnn4j.tensor.Rng#global()}). */
    public static Module build(Map<String, Object> config) {
        String type = str(config, "type", "architecture");
        switch (type) {
            case "zoo" -> {
                String name = str(config, "name", "architecture");
                if (!Zoo.contains(name)) throw new IllegalArgumentException("architecture: unknown zoo model '" + name + "'; known: " + Zoo.names());
                Map<String, Object> s = map(config.get("spec"), "architecture.spec");
                Module net = Zoo.create(name, new ModelSpec(integer(s, "in_channels", "spec"), integer(s, "height", "spec"),
                        integer(s, "width", "spec"), integer(s, "num_classes", "spec")));
                Object r = config.get("replaced");
                if (r != null)
                    for (var e : map(r, "architecture.replaced").entrySet())
                        net.replace(e.getKey(), buildLayer(map(e.getValue(), "replaced." + e.getKey()), "replaced." + e.getKey()));
                return net;
            }
            case "sequential" -> {
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("layers", config.get("layers"));
                return buildLayer(Map.of("class", "Sequential", "config", c), "architecture");
            }
            default -> throw new IllegalArgumentException("architecture: unknown type '" + type + "' (zoo or sequential)");
        }
    }

    /** One layer's {@code {"class", "config"}}. */
    static Map<String, Object> layer(String path, Module m) {
        Map<String, Object> c = new LinkedHashMap<>();
        String cls = m.getClass().getSimpleName();
        switch (m) {
            case Sequential s -> {
                List<Object> layers = new ArrayList<>();
                for (var e : s.children().entrySet()) layers.add(layer(path.isEmpty() ? e.getKey() : path + "." + e.getKey(), e.getValue()));
                c.put("layers", layers);
            }
            case Conv2d conv -> {
                ConvOptions o = conv.options();
                c.put("in_channels", conv.inChannels());
                c.put("out_channels", conv.outChannels());
                c.put("kernel", ints(conv.kernelSize()));
                c.put("stride", ints(ConvOptions.perAxis("stride", o.stride(), 2)));
                Padding p = o.padding();
                c.put("padding", p.mode() == Padding.Mode.EXPLICIT ? ints(p.values()) : p.mode().name().toLowerCase(Locale.ROOT));
                c.put("dilation", ints(ConvOptions.perAxis("dilation", o.dilation(), 2)));
                c.put("groups", conv.groups());
                c.put("padding_mode", o.paddingMode().name().toLowerCase(Locale.ROOT));
                c.put("bias", conv.bias() != null);
            }
            case Linear l -> {
                c.put("in_features", l.inFeatures());
                c.put("out_features", l.outFeatures());
                c.put("bias", l.bias() != null);
            }
            case BatchNorm bn when bn instanceof BatchNorm1d || bn instanceof BatchNorm2d -> {
                c.put("num_features", bn.numFeatures());
                c.put("eps", (double) bn.eps());
                c.put("momentum", bn.momentum() == null ? null : (double) bn.momentum());
                c.put("affine", bn.affine());
                c.put("track_running_stats", bn.trackRunningStats());
            }
            case MaxPool2d p -> pool(c, p);
            case AvgPool2d p -> {
                pool(c, p);
                c.put("count_include_pad", p.countIncludePad());
            }
            case AdaptiveAvgPool2d p -> c.put("output_size", ints(p.outputSize()));
            case Flatten f -> {
                c.put("start_dim", f.startDim());
                c.put("end_dim", f.endDim());
            }
            case Dropout d when m.getClass() == Dropout.class || m.getClass() == Dropout2d.class -> c.put("p", (double) d.p());
            case LeakyReLU l -> c.put("negative_slope", (double) l.negativeSlope());
            case Softmax s -> c.put("dim", s.dim());
            case LogSoftmax s -> c.put("dim", s.dim());
            case ReLU r -> {}
            case ReLU6 r -> {}
            case Sigmoid r -> {}
            case Tanh r -> {}
            case GELU r -> {}
            case SiLU r -> {}
            case Identity r -> {}
            default -> throw new IllegalArgumentException("cannot save the architecture: '" + (path.isEmpty() ? "(root)" : path) + "' is a "
                    + m.getClass().getName() + ", which the config catalogue does not know (it knows Conv2d, Linear, BatchNorm1d/2d, "
                    + "MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, Flatten, Dropout, Dropout2d, ReLU, ReLU6, LeakyReLU, Sigmoid, Tanh, "
                    + "GELU, SiLU, Softmax, LogSoftmax, Identity and Sequential, and zoo models by name)");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("class", cls);
        out.put("config", c);
        return out;
    }

    private static void pool(Map<String, Object> c, PoolNd p) {
        c.put("kernel", ints(p.kernelSize()));
        c.put("stride", ints(p.stride()));
        c.put("padding", ints(p.padding()));
        if (p instanceof MaxPool2d) c.put("dilation", ints(p.dilation()));
        c.put("ceil_mode", p.ceilMode());
    }

    private static List<Object> ints(int[] values) {
        List<Object> l = new ArrayList<>();
        for (int v : values) l.add(v);
        return l;
    }

    static Module buildLayer(Map<String, Object> layer, String where) {
        String cls = str(layer, "class", where);
        Map<String, Object> c = layer.get("config") == null ? Map.of() : map(layer.get("config"), where + ".config");
        String w = where + " (" + cls + ")";
        return switch (cls) {
            case "Sequential" -> {
                Sequential s = new Sequential();
                Object ls = c.get("layers");
                if (!(ls instanceof List<?> list)) throw new IllegalArgumentException(w + ": 'layers' must be a list");
                for (int i = 0; i < list.size(); i++) s.add(buildLayer(map(list.get(i), where + "." + i), where + "." + i));
                yield s;
            }
            case "Conv2d" -> {
                Object p = c.get("padding");
                Padding pad = p instanceof String ps ? Padding.parse(ps) : Padding.of(intList(c, "padding", w));
                int[] k = pair(c, "kernel", w);
                Conv2d.Builder b = Conv2d.builder(integer(c, "in_channels", w), integer(c, "out_channels", w), k[0]).kernel(k)
                        .stride(pair(c, "stride", w)).padding(pad).bias(bool(c, "bias", w));
                if (c.containsKey("dilation")) b.dilation(pair(c, "dilation", w));
                if (c.containsKey("groups")) b.groups(integer(c, "groups", w));
                if (c.containsKey("padding_mode")) b.paddingMode(str(c, "padding_mode", w));
                yield b.build();
            }
            case "Linear" -> new Linear(integer(c, "in_features", w), integer(c, "out_features", w), bool(c, "bias", w), Init.PYTORCH_DEFAULT);
            case "BatchNorm1d", "BatchNorm2d" -> {
                int n = integer(c, "num_features", w);
                float eps = (float) number(c, "eps", w);
                Float mom = c.get("momentum") == null ? null : (float) number(c, "momentum", w);
                boolean affine = bool(c, "affine", w), track = bool(c, "track_running_stats", w);
                yield cls.equals("BatchNorm1d") ? new BatchNorm1d(n, eps, mom, affine, track) : new BatchNorm2d(n, eps, mom, affine, track);
            }
            case "MaxPool2d" -> {
                var b = MaxPool2d.builder(pair(c, "kernel", w)).stride(pair(c, "stride", w)).padding(pair(c, "padding", w));
                if (c.containsKey("dilation")) b.dilation(pair(c, "dilation", w));
                if (c.containsKey("ceil_mode")) b.ceilMode(bool(c, "ceil_mode", w));
                yield b.build();
            }
            case "AvgPool2d" -> {
                var b = AvgPool2d.builder(pair(c, "kernel", w)).stride(pair(c, "stride", w)).padding(pair(c, "padding", w));
                if (c.containsKey("ceil_mode")) b.ceilMode(bool(c, "ceil_mode", w));
                if (c.containsKey("count_include_pad")) b.countIncludePad(bool(c, "count_include_pad", w));
                yield b.build();
            }
            case "AdaptiveAvgPool2d" -> {
                int[] o = pair(c, "output_size", w);
                yield new AdaptiveAvgPool2d(o[0], o[1]);
            }
            case "Flatten" -> new Flatten(integer(c, "start_dim", w), integer(c, "end_dim", w));
            case "Dropout" -> new Dropout((float) number(c, "p", w));
            case "Dropout2d" -> new Dropout2d((float) number(c, "p", w));
            case "LeakyReLU" -> new LeakyReLU((float) number(c, "negative_slope", w));
            case "Softmax" -> new Softmax(integer(c, "dim", w));
            case "LogSoftmax" -> new LogSoftmax(integer(c, "dim", w));
            case "ReLU" -> new ReLU();
            case "ReLU6" -> new ReLU6();
            case "Sigmoid" -> new Sigmoid();
            case "Tanh" -> new Tanh();
            case "GELU" -> new GELU();
            case "SiLU" -> new SiLU();
            case "Identity" -> new Identity();
            default -> throw new IllegalArgumentException(where + ": unknown layer class '" + cls + "'");
        };
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o, String where) {
        if (!(o instanceof Map<?, ?> m)) throw new IllegalArgumentException(where + ": expected a JSON object, got " + o);
        return (Map<String, Object>) m;
    }

    static String str(Map<String, Object> m, String key, String where) {
        if (!(m.get(key) instanceof String s)) throw new IllegalArgumentException(where + ": '" + key + "' must be a string, got " + m.get(key));
        return s;
    }

    static double number(Map<String, Object> m, String key, String where) {
        if (!(m.get(key) instanceof Number n) || !Double.isFinite(n.doubleValue()))
            throw new IllegalArgumentException(where + ": '" + key + "' must be a finite number, got " + m.get(key));
        return n.doubleValue();
    }

    static int integer(Map<String, Object> m, String key, String where) {
        double v = number(m, key, where);
        if (v != Math.rint(v) || Math.abs(v) > 1 << 30)
            throw new IllegalArgumentException(where + ": '" + key + "' must be an integer, got " + m.get(key));
        return (int) v;
    }

    static boolean bool(Map<String, Object> m, String key, String where) {
        if (!(m.get(key) instanceof Boolean b)) throw new IllegalArgumentException(where + ": '" + key + "' must be true or false, got " + m.get(key));
        return b;
    }

    private static int[] intList(Map<String, Object> m, String key, String where) {
        if (!(m.get(key) instanceof List<?> l) || l.isEmpty() || l.size() > 6)
            throw new IllegalArgumentException(where + ": '" + key + "' must be a list of 1 to 6 integers, got " + m.get(key));
        int[] out = new int[l.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(l.get(i) instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || Math.abs(n.doubleValue()) > 1 << 20)
                throw new IllegalArgumentException(where + ": '" + key + "' must be a list of integers, got " + m.get(key));
            out[i] = n.intValue();
        }
        return out;
    }

    private static int[] pair(Map<String, Object> m, String key, String where) {
        if (!(m.get(key) instanceof List<?> l) || l.size() != 2 || !(l.get(0) instanceof Number a) || !(l.get(1) instanceof Number b))
            throw new IllegalArgumentException(where + ": '" + key + "' must be a list of two integers, got " + m.get(key));
        return new int[] {a.intValue(), b.intValue()};
    }
}
