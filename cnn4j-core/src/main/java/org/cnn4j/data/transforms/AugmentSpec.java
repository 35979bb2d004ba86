package org.cnn4j.data.transforms;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A one-line augmentation recipe for the command line, e.g.
 * {@code "hflip,rotate=10,zoom=0.1,cutout=8,shift=0.1,brightness=0.2"}: comma-separated tokens
 * {@code key} or {@code key=value}, applied left to right. The geometric keys (rotate, shift, wshift,
 * hshift, shear, zoom, fill) are gathered into one {@link KerasAffine} (one resampling, bilinear) at the
 * place of the first of them. Every key may appear once.
 *
 * <pre>
 * hflip[=P]           horizontal flip with probability P (default 0.5)
 * vflip[=P]           vertical flip with probability P (default 0.5)
 * rotate=DEG          rotation uniform in [-DEG, DEG] degrees
 * shift=F             width and height shift, F of the size (< 1) or pixels (>= 1)
 * wshift=F, hshift=F  width or height shift only
 * shear=DEG           shear uniform in [-DEG, DEG] degrees
 * zoom=Z              zoom factors uniform in [1 - Z, 1 + Z] (0 <= Z < 1)
 * fill=MODE           border of the geometric keys: constant (zeros), nearest (default), reflect, wrap
 * crop=PAD            random crop back to the input size after padding PAD zeros on every side
 * resized-crop=S      random resized crop back to the input size, area scale in [S, 1]
 * perspective=D       torchvision's RandomPerspective, distortion D in [0, 1], probability 0.5
 * brightness=B        brightness factor in [1 - B, 1 + B]        (images in [0, 1])
 * contrast=C          contrast factor in [1 - C, 1 + C]          (images in [0, 1])
 * saturation=S        saturation factor in [1 - S, 1 + S]        (RGB images in [0, 1])
 * hue=H               hue shift in [-H, H] turns, H <= 0.5       (RGB images in [0, 1])
 * gamma=G             gamma in [1 - G, 1 + G]                    (images in [0, 1])
 * rgbshift=L          per-channel shift in [-L, L], clipped      (images in [0, 1])
 * grayscale=P         grey with probability P
 * blur=SIGMA          Gaussian blur, sigma in [0.1, SIGMA], kernel 2 ceil(2 SIGMA) + 1
 * median=K            median blur, K x K (odd)
 * boxblur=K           box blur, K x K (odd)
 * sharpen=F           sharpness factor F with probability 0.5    (images in [0, 1])
 * noise=STD           Gaussian noise N(0, STD^2), clipped to [0, 1]
 * cutout=SIZE         one SIZE x SIZE hole of zeros (DeVries and Taylor)
 * erase=P             torchvision's RandomErasing with probability P
 * equalize[=P]        histogram equalization with probability P (default 1)
 * invert[=P]          1 - x with probability P (default 0.5)
 * solarize=T          invert values >= T with probability 0.5
 * posterize=BITS      keep BITS bits with probability 0.5
 * rescale=F           multiply by F
 * normalize=MEAN:STD  (x - MEAN) / STD
 * </pre>
 *
 * Errors name the offending token, its position and, for an unknown key, the valid keys.
 */
public final class AugmentSpec {
    private AugmentSpec() {}

    /** The keys and a short description of each, in documentation order. */
    public static final Map<String, String> KEYS;

    private static final Set<String> GEOMETRIC = Set.of("rotate", "shift", "wshift", "hshift", "shear", "zoom", "fill");

    static {
        Map<String, String> k = new LinkedHashMap<>();
        k.put("hflip", "[=P] horizontal flip with probability P (default 0.5)");
        k.put("vflip", "[=P] vertical flip with probability P (default 0.5)");
        k.put("rotate", "=DEG rotation in [-DEG, DEG] degrees");
        k.put("shift", "=F width and height shift, fraction (< 1) or pixels");
        k.put("wshift", "=F width shift");
        k.put("hshift", "=F height shift");
        k.put("shear", "=DEG shear in [-DEG, DEG] degrees");
        k.put("zoom", "=Z zoom in [1 - Z, 1 + Z]");
        k.put("fill", "=constant|nearest|reflect|wrap border of the geometric keys (default nearest)");
        k.put("crop", "=PAD random crop to the input size after zero padding PAD");
        k.put("resized-crop", "=S random resized crop to the input size, scale [S, 1]");
        k.put("perspective", "=D random perspective, distortion D in [0, 1], probability 0.5");
        k.put("brightness", "=B brightness factor in [1 - B, 1 + B]");
        k.put("contrast", "=C contrast factor in [1 - C, 1 + C]");
        k.put("saturation", "=S saturation factor in [1 - S, 1 + S]");
        k.put("hue", "=H hue shift in [-H, H], H <= 0.5");
        k.put("gamma", "=G gamma in [1 - G, 1 + G]");
        k.put("rgbshift", "=L per-channel shift in [-L, L]");
        k.put("grayscale", "=P grey with probability P");
        k.put("blur", "=SIGMA Gaussian blur, sigma in [0.1, SIGMA]");
        k.put("median", "=K median blur K x K");
        k.put("boxblur", "=K box blur K x K");
        k.put("sharpen", "=F sharpness factor F with probability 0.5");
        k.put("noise", "=STD Gaussian noise, clipped to [0, 1]");
        k.put("cutout", "=SIZE one SIZE x SIZE hole of zeros");
        k.put("erase", "=P random erasing with probability P");
        k.put("equalize", "[=P] histogram equalization (default P 1)");
        k.put("invert", "[=P] 1 - x (default P 0.5)");
        k.put("solarize", "=T invert values >= T with probability 0.5");
        k.put("posterize", "=BITS keep BITS bits with probability 0.5");
        k.put("rescale", "=F multiply by F");
        k.put("normalize", "=MEAN:STD (x - MEAN) / STD");
        KEYS = java.util.Collections.unmodifiableMap(k);
    }

    /** One token of a spec: key, value (null when absent), 1-based token number and 1-based column. */
    private record Token(String key, String value, int number, int column, String text) {}

    /** Parses {@code spec} into a transform; throws IllegalArgumentException naming the bad token. */
    public static Transform parse(String spec) {
        if (spec == null || spec.isBlank())
            throw new IllegalArgumentException("augment spec is empty; give comma-separated keys such as \"hflip,rotate=10\". "
                    + "Valid keys: " + String.join(", ", KEYS.keySet()));
        List<Token> tokens = tokenize(spec);
        Map<String, Token> geometric = new LinkedHashMap<>();
        Set<String> seen = new LinkedHashSet<>();
        List<Object> steps = new ArrayList<>(); // Transform, or the marker GEOMETRIC for the affine slot
        for (Token t : tokens) {
            if (!KEYS.containsKey(t.key))
                throw error(spec, t, "unknown key '" + t.key + "'" + suggestion(t.key) + "; valid keys: " + String.join(", ", KEYS.keySet()));
            if (!seen.add(t.key)) throw error(spec, t, "key '" + t.key + "' appears twice");
            if (GEOMETRIC.contains(t.key)) {
                if (geometric.isEmpty()) steps.add(GEOMETRIC);
                geometric.put(t.key, t);
                continue;
            }
            try {
                steps.add(build(t));
            } catch (IllegalArgumentException e) {
                throw error(spec, t, e.getMessage());
            }
        }
        List<Transform> out = new ArrayList<>();
        for (Object s : steps) out.add(s == GEOMETRIC ? affine(spec, geometric) : (Transform) s);
        return out.size() == 1 ? out.getFirst() : new Compose(out);
    }

    private static List<Token> tokenize(String spec) {
        List<Token> tokens = new ArrayList<>();
        int pos = 0, number = 0;
        for (String raw : spec.split(",", -1)) {
            number++;
            int column = pos + 1;
            pos += raw.length() + 1;
            String text = raw.strip();
            int lead = raw.indexOf(text.isEmpty() ? raw : text);
            if (text.isEmpty())
                throw new IllegalArgumentException("augment spec \"" + spec + "\": token " + number + " (column " + column
                        + ") is empty; separate keys by single commas");
            int eq = text.indexOf('=');
            String key = (eq < 0 ? text : text.substring(0, eq)).strip().toLowerCase(Locale.ROOT);
            String value = eq < 0 ? null : text.substring(eq + 1).strip();
            tokens.add(new Token(key, value, number, column + Math.max(lead, 0), text));
        }
        return tokens;
    }

    private static IllegalArgumentException error(String spec, Token t, String what) {
        return new IllegalArgumentException("augment spec \"" + spec + "\": token " + t.number + " '" + t.text + "' (column "
                + t.column + "): " + what);
    }

    private static String suggestion(String key) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : KEYS.keySet()) {
            int d = distance(key, k);
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return bestDistance <= 2 ? " (did you mean '" + best + "'?)" : "";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1], cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++)
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private static double number(Token t, Double dflt, String meaning) {
        if (t.value == null || t.value.isEmpty()) {
            if (dflt != null) return dflt;
            throw new IllegalArgumentException("'" + t.key + "' needs a value: " + t.key + KEYS.get(t.key));
        }
        try {
            double v = Double.parseDouble(t.value);
            if (!Double.isFinite(v)) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + t.value + "' is not a number; expected " + meaning);
        }
    }

    private static int integer(Token t, String meaning) {
        double v = number(t, null, meaning);
        if (v != Math.rint(v) || Math.abs(v) > 1 << 20)
            throw new IllegalArgumentException("'" + t.value + "' is not an integer; expected " + meaning);
        return (int) v;
    }

    private static Transform build(Token t) {
        return switch (t.key) {
            case "hflip" -> new RandomHorizontalFlip(number(t, 0.5, "a probability in [0, 1]"));
            case "vflip" -> new RandomVerticalFlip(number(t, 0.5, "a probability in [0, 1]"));
            case "crop" -> {
                int pad = integer(t, "a padding in pixels >= 0");
                if (pad < 0) throw new IllegalArgumentException("crop padding must be >= 0. Received: " + pad);
                yield sameSize("RandomCrop(padding=" + pad + ")",
                        (img, rng) -> new RandomCrop(img.height(), img.width(), pad, false, PaddingMode.CONSTANT, 0f).apply(img, rng));
            }
            case "resized-crop" -> {
                double s = number(t, null, "a minimum area scale in (0, 1]");
                if (!(s > 0 && s <= 1)) throw new IllegalArgumentException("resized-crop scale must be in (0, 1]. Received: " + s);
                yield sameSize("RandomResizedCrop(scale=[" + s + ", 1])", (img, rng) -> new RandomResizedCrop(img.height(), img.width(),
                        s, 1.0, 3.0 / 4.0, 4.0 / 3.0, Interpolation.BILINEAR).apply(img, rng));
            }
            case "perspective" -> new RandomPerspective(number(t, null, "a distortion scale in [0, 1]"), 0.5);
            case "brightness" -> ColorJitter.brightness(number(t, null, "a factor range >= 0"));
            case "contrast" -> ColorJitter.contrast(number(t, null, "a factor range >= 0"));
            case "saturation" -> ColorJitter.saturation(number(t, null, "a factor range >= 0"));
            case "hue" -> ColorJitter.hue(number(t, null, "a hue range in [0, 0.5]"));
            case "gamma" -> {
                double g = number(t, null, "a gamma range in [0, 1)");
                if (!(g >= 0 && g < 1)) throw new IllegalArgumentException("gamma range must be in [0, 1). Received: " + g);
                yield new RandomGamma(1 - g, 1 + g);
            }
            case "rgbshift" -> new RGBShift(number(t, null, "a shift limit >= 0"));
            case "grayscale" -> new RandomGrayscale(number(t, null, "a probability in [0, 1]"));
            case "blur" -> {
                double s = number(t, null, "a maximum sigma >= 0.1");
                if (!(s >= 0.1)) throw new IllegalArgumentException("blur sigma must be >= 0.1. Received: " + s);
                int k = 2 * (int) Math.ceil(2 * s) + 1;
                yield new GaussianBlur(k, k, 0.1, s);
            }
            case "median" -> new MedianBlur(integer(t, "an odd kernel size"));
            case "boxblur" -> new BoxBlur(integer(t, "an odd kernel size"));
            case "sharpen" -> new RandomAdjustSharpness(number(t, null, "a sharpness factor >= 0"), 0.5);
            case "noise" -> new GaussianNoise(number(t, null, "a standard deviation >= 0"));
            case "cutout" -> new Cutout(integer(t, "a hole size in pixels >= 1"));
            case "erase" -> new RandomErasing(number(t, null, "a probability in [0, 1]"), 0.02, 0.33, 0.3, 3.3, new float[] {0f});
            case "equalize" -> new RandomEqualize(number(t, 1.0, "a probability in [0, 1]"));
            case "invert" -> new RandomInvert(number(t, 0.5, "a probability in [0, 1]"));
            case "solarize" -> new RandomSolarize(number(t, null, "a threshold in [0, 1]"), 0.5);
            case "posterize" -> new RandomPosterize(integer(t, "a number of bits in 0..8"), 0.5);
            case "rescale" -> new Rescale((float) number(t, null, "a factor"));
            case "normalize" -> {
                String v = t.value == null ? "" : t.value;
                int colon = v.indexOf(':');
                if (colon < 0) throw new IllegalArgumentException("'" + v + "' is not MEAN:STD, e.g. normalize=0.286:0.353");
                float mean, std;
                try {
                    mean = Float.parseFloat(v.substring(0, colon));
                    std = Float.parseFloat(v.substring(colon + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + v + "' is not MEAN:STD with two numbers, e.g. normalize=0.286:0.353");
                }
                yield new Normalize(mean, std);
            }
            default -> throw new IllegalStateException(t.key);
        };
    }

    private static Transform sameSize(String name, Transform t) {
        return new Transform() {
            @Override
            public Image apply(Image image, SplittableRandom rng) {
                return t.apply(image, rng);
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }

    private static Transform affine(String spec, Map<String, Token> g) {
        double rotate = 0, wshift = 0, hshift = 0, shear = 0, zoom = 0;
        FillMode fill = FillMode.NEAREST;
        for (Token t : g.values()) {
            try {
                switch (t.key) {
                    case "rotate" -> rotate = Check.nonNegative("rotate", number(t, null, "degrees >= 0"));
                    case "shift" -> wshift = hshift = Check.nonNegative("shift", number(t, null, "a fraction (< 1) or pixels (>= 1), >= 0"));
                    case "wshift" -> wshift = Check.nonNegative("wshift", number(t, null, "a fraction (< 1) or pixels (>= 1), >= 0"));
                    case "hshift" -> hshift = Check.nonNegative("hshift", number(t, null, "a fraction (< 1) or pixels (>= 1), >= 0"));
                    case "shear" -> shear = Check.nonNegative("shear", number(t, null, "degrees >= 0"));
                    case "zoom" -> {
                        zoom = number(t, null, "a zoom range in [0, 1)");
                        if (!(zoom >= 0 && zoom < 1)) throw new IllegalArgumentException("zoom must be in [0, 1). Received: " + zoom);
                    }
                    case "fill" -> {
                        if (t.value == null) throw new IllegalArgumentException("'fill' needs a value: constant, nearest, reflect or wrap");
                        fill = FillMode.parse(t.value);
                    }
                    default -> throw new IllegalStateException(t.key);
                }
            } catch (IllegalArgumentException e) {
                throw error(spec, t, e.getMessage());
            }
        }
        if (g.containsKey("shift") && (g.containsKey("wshift") || g.containsKey("hshift")))
            throw error(spec, g.get("shift"), "'shift' sets both shifts; give either shift or wshift/hshift");
        return new KerasAffine(rotate, wshift, hshift, shear, 1 - zoom, 1 + zoom, Interpolation.BILINEAR, fill, 0f);
    }
}
