package org.cnn4j.vision;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The classic hand-made kernels of the seeds (001, 002, 004) and of the usual image-processing tables,
 * by name, and a parser for kernels written inline as {@code "r,r,r;r,r,r;r,r,r"}.
 *
 * <table>
 *   <caption>named filters</caption>
 *   <tr><td>identity</td><td>{@code [[0,0,0],[0,1,0],[0,0,0]]}</td></tr>
 *   <tr><td>edge</td><td>8-neighbour Laplacian {@code [[-1,-1,-1],[-1,8,-1],[-1,-1,-1]]} (seed 002's edge detector)</td></tr>
 *   <tr><td>laplacian</td><td>4-neighbour {@code [[0,1,0],[1,-4,1],[0,1,0]]}</td></tr>
 *   <tr><td>edge-diagonal</td><td>{@code [[1,0,-1],[0,0,0],[-1,0,1]]} (seed 004's first edge kernel)</td></tr>
 *   <tr><td>sobel-x, sobel-y</td><td>{@code [[-1,0,1],[-2,0,2],[-1,0,1]]} and its transpose (positive where brightness rises
 *       to the right / downwards)</td></tr>
 *   <tr><td>sobel</td><td>gradient magnitude {@code sqrt(sobel-x^2 + sobel-y^2)}</td></tr>
 *   <tr><td>prewitt-x, prewitt-y, prewitt</td><td>as Sobel with weights 1 instead of 2</td></tr>
 *   <tr><td>sharpen</td><td>{@code [[0,-1,0],[-1,5,-1],[0,-1,0]]}</td></tr>
 *   <tr><td>emboss</td><td>{@code [[-2,-1,0],[-1,1,1],[0,1,2]]}</td></tr>
 *   <tr><td>box, boxN</td><td>N x N mean (default 3)</td></tr>
 *   <tr><td>gaussian, gaussianN</td><td>N x N normalised Gaussian (default 5), sigma given or OpenCV's
 *       {@code 0.3 * ((N - 1) / 2 - 1) + 0.8}</td></tr>
 *   <tr><td>vertical-line, horizontal-line</td><td>seed 001's 7x7 line filters: ones in the middle column / row</td></tr>
 * </table>
 */
public final class Filters {
    private Filters() {}

    private static final Map<String, String> DESCRIPTIONS = new LinkedHashMap<>();

    static {
        DESCRIPTIONS.put("identity", "3x3 identity: the image unchanged");
        DESCRIPTIONS.put("edge", "8-neighbour Laplacian [[-1,-1,-1],[-1,8,-1],[-1,-1,-1]], seed 002's edge detector");
        DESCRIPTIONS.put("laplacian", "4-neighbour Laplacian [[0,1,0],[1,-4,1],[0,1,0]]");
        DESCRIPTIONS.put("edge-diagonal", "[[1,0,-1],[0,0,0],[-1,0,1]], seed 004's first edge kernel");
        DESCRIPTIONS.put("sobel-x", "Sobel horizontal gradient [[-1,0,1],[-2,0,2],[-1,0,1]] (vertical edges)");
        DESCRIPTIONS.put("sobel-y", "Sobel vertical gradient [[-1,-2,-1],[0,0,0],[1,2,1]] (horizontal edges)");
        DESCRIPTIONS.put("sobel", "Sobel gradient magnitude sqrt(sobel-x^2 + sobel-y^2)");
        DESCRIPTIONS.put("prewitt-x", "Prewitt horizontal gradient [[-1,0,1],[-1,0,1],[-1,0,1]]");
        DESCRIPTIONS.put("prewitt-y", "Prewitt vertical gradient [[-1,-1,-1],[0,0,0],[1,1,1]]");
        DESCRIPTIONS.put("prewitt", "Prewitt gradient magnitude sqrt(prewitt-x^2 + prewitt-y^2)");
        DESCRIPTIONS.put("sharpen", "sharpen [[0,-1,0],[-1,5,-1],[0,-1,0]]");
        DESCRIPTIONS.put("emboss", "emboss [[-2,-1,0],[-1,1,1],[0,1,2]]");
        DESCRIPTIONS.put("box", "box blur, the mean of an N x N window: box (3x3), box5, box7, ...");
        DESCRIPTIONS.put("gaussian", "Gaussian blur: gaussian (5x5), gaussian3, gaussian7, ...; sigma from --sigma, "
                + "else OpenCV's 0.3*((N-1)/2-1)+0.8");
        DESCRIPTIONS.put("vertical-line", "seed 001's 7x7 vertical line filter: ones in the middle column");
        DESCRIPTIONS.put("horizontal-line", "seed 001's 7x7 horizontal line filter: ones in the middle row");
    }

    /** Filter names with a one-line description each (box and gaussian also take a size suffix). */
    public static Map<String, String> descriptions() {
        return java.util.Collections.unmodifiableMap(DESCRIPTIONS);
    }

    /** The 3x3 identity kernel. */
    public static Kernel identity() {
        return k("identity", new float[][] {{0, 0, 0}, {0, 1, 0}, {0, 0, 0}});
    }

    public static Kernel sobelX() {
        return k("sobel-x", new float[][] {{-1, 0, 1}, {-2, 0, 2}, {-1, 0, 1}});
    }

    public static Kernel sobelY() {
        return k("sobel-y", new float[][] {{-1, -2, -1}, {0, 0, 0}, {1, 2, 1}});
    }

    public static Kernel prewittX() {
        return k("prewitt-x", new float[][] {{-1, 0, 1}, {-1, 0, 1}, {-1, 0, 1}});
    }

    public static Kernel prewittY() {
        return k("prewitt-y", new float[][] {{-1, -1, -1}, {0, 0, 0}, {1, 1, 1}});
    }

    /** N x N mean filter: every weight 1/N^2. */
    public static Kernel box(int size) {
        checkSize("box", size);
        float[] w = new float[size * size];
        java.util.Arrays.fill(w, 1f / (size * size));
        return new Kernel("box" + size, size, size, w);
    }

    /** OpenCV's default sigma for a Gaussian of this size: {@code 0.3 * ((size - 1) * 0.5 - 1) + 0.8}. */
    public static double defaultSigma(int size) {
        return 0.3 * ((size - 1) * 0.5 - 1) + 0.8;
    }

    /** N x N Gaussian {@code exp(-(dx^2 + dy^2) / (2 sigma^2))} about the centre, normalised to sum 1. */
    public static Kernel gaussian(int size, double sigma) {
        checkSize("gaussian", size);
        if (!(sigma > 0) || !Double.isFinite(sigma))
            throw new IllegalArgumentException("gaussian: sigma must be a positive number. Received: sigma=" + sigma);
        double c = (size - 1) / 2.0, sum = 0;
        double[] w = new double[size * size];
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++) {
                double d2 = (y - c) * (y - c) + (x - c) * (x - c);
                w[y * size + x] = Math.exp(-d2 / (2 * sigma * sigma));
                sum += w[y * size + x];
            }
        float[] f = new float[w.length];
        for (int i = 0; i < w.length; i++) f[i] = (float) (w[i] / sum);
        return new Kernel("gaussian" + size, size, size, f);
    }

    /** Seed 001's 7x7 line filters: ones in the middle column (vertical) or row (horizontal), zeros elsewhere. */
    public static Kernel line(boolean vertical) {
        float[] w = new float[49];
        for (int i = 0; i < 7; i++) w[vertical ? i * 7 + 3 : 3 * 7 + i] = 1;
        return new Kernel(vertical ? "vertical-line" : "horizontal-line", 7, 7, w);
    }

    /**
     * A filter by name ({@link #descriptions()}), or an inline kernel {@code "r,r,r;r,r,r;r,r,r"} (rows split
     * by {@code ;}, values by {@code ,} or spaces).
     *
     * @param sigma the Gaussian's sigma, or NaN for the size's default
     */
    public static Filter named(String spec, double sigma) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        if (s.isEmpty()) throw new IllegalArgumentException("kernel: empty name. Valid: " + String.join(", ", DESCRIPTIONS.keySet())
                + ", or rows such as \"0,-1,0;-1,5,-1;0,-1,0\"");
        if (s.indexOf(';') >= 0 || s.indexOf(',') >= 0 || Character.isDigit(s.charAt(0)) || s.charAt(0) == '-' || s.charAt(0) == '.'
                || s.charAt(0) == '[')
            return Filter.of(parse(spec));
        switch (s) {
            case "identity": return Filter.of(identity());
            case "edge": return Filter.of(k("edge", new float[][] {{-1, -1, -1}, {-1, 8, -1}, {-1, -1, -1}}));
            case "laplacian": return Filter.of(k("laplacian", new float[][] {{0, 1, 0}, {1, -4, 1}, {0, 1, 0}}));
            case "edge-diagonal": return Filter.of(k("edge-diagonal", new float[][] {{1, 0, -1}, {0, 0, 0}, {-1, 0, 1}}));
            case "sobel-x": return Filter.of(sobelX());
            case "sobel-y": return Filter.of(sobelY());
            case "sobel": return Filter.magnitude("sobel", sobelX(), sobelY());
            case "prewitt-x": return Filter.of(prewittX());
            case "prewitt-y": return Filter.of(prewittY());
            case "prewitt": return Filter.magnitude("prewitt", prewittX(), prewittY());
            case "sharpen": return Filter.of(k("sharpen", new float[][] {{0, -1, 0}, {-1, 5, -1}, {0, -1, 0}}));
            case "emboss": return Filter.of(k("emboss", new float[][] {{-2, -1, 0}, {-1, 1, 1}, {0, 1, 2}}));
            case "vertical-line": return Filter.of(line(true));
            case "horizontal-line": return Filter.of(line(false));
            default: break;
        }
        if (s.startsWith("box")) return Filter.of(box(sizeSuffix(spec, s.substring(3), 3)));
        if (s.startsWith("gaussian")) {
            int n = sizeSuffix(spec, s.substring(8), 5);
            return Filter.of(gaussian(n, Double.isNaN(sigma) ? defaultSigma(n) : sigma));
        }
        throw new IllegalArgumentException("kernel: unknown name '" + spec + "'. Valid: " + String.join(", ", DESCRIPTIONS.keySet())
                + " (box and gaussian take a size, e.g. box5), or rows such as \"0,-1,0;-1,5,-1;0,-1,0\"");
    }

    /** Parses {@code "r,r,r;r,r,r"} (brackets allowed: {@code "[[1,0],[0,1]]"}) into a kernel named "custom". */
    public static Kernel parse(String text) {
        String t = text.trim();
        if (t.startsWith("[")) t = t.replaceAll("^\\[\\s*\\[", "").replaceAll("]\\s*]$", "").replaceAll("]\\s*,\\s*\\[", ";");
        String[] rowTexts = t.split(";");
        List<float[]> rows = new ArrayList<>();
        for (String rt : rowTexts) {
            String r = rt.trim();
            if (r.isEmpty()) continue;
            String[] vals = r.split("\\s*,\\s*|\\s+");
            float[] row = new float[vals.length];
            for (int i = 0; i < vals.length; i++) {
                try {
                    row[i] = Float.parseFloat(vals[i]);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("kernel \"" + text + "\": '" + vals[i] + "' is not a number (write rows as "
                            + "\"r,r,r;r,r,r\", e.g. \"0,-1,0;-1,5,-1;0,-1,0\")");
                }
                if (!Float.isFinite(row[i])) throw new IllegalArgumentException("kernel \"" + text + "\": '" + vals[i] + "' is not finite");
            }
            rows.add(row);
        }
        if (rows.isEmpty()) throw new IllegalArgumentException("kernel \"" + text + "\": no values");
        return Kernel.of("custom", rows.toArray(new float[0][]));
    }

    private static int sizeSuffix(String spec, String suffix, int dflt) {
        if (suffix.isEmpty()) return dflt;
        try {
            int n = Integer.parseInt(suffix);
            checkSize(spec, n);
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("kernel '" + spec + "': the size after the name must be a positive integer, e.g. box5");
        }
    }

    private static void checkSize(String what, int size) {
        if (size < 1 || size > 99)
            throw new IllegalArgumentException(what + ": size must be between 1 and 99. Received: " + size);
    }

    private static Kernel k(String name, float[][] rows) {
        return Kernel.of(name, rows);
    }
}
