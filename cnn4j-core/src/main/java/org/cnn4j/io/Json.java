package org.cnn4j.io;

import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small, strict JSON (RFC 8259) reader and writer with no dependencies.
 *
 * <p>Parsing maps objects to {@link LinkedHashMap}{@code <String, Object>} (key order kept; a duplicate key
 * is an error), arrays to {@link List}{@code <Object>}, integers that fit to {@link Long}, other numbers to
 * {@link Double}, strings, {@link Boolean} and {@code null}. Nothing lenient is accepted: no comments,
 * trailing commas, single quotes, leading zeros, NaN, unescaped control characters or trailing content.
 * Nesting depth is bounded by {@link #MAX_DEPTH} and input length by {@link #MAX_LENGTH}. Errors are
 * {@link ParseException}s carrying the character offset.
 *
 * <p>Writing accepts maps (keys written with {@code String.valueOf}), collections, arrays (object and
 * primitive), numbers, strings, characters, booleans, enums (by name) and null. {@link #write} pretty-prints
 * with a 2-space indent; {@link #writeCompact} has no whitespace at all. Non-finite numbers are rejected,
 * since JSON cannot express them.
 */
public final class Json {
    /** Deepest nesting of arrays and objects accepted by the parser. */
    public static final int MAX_DEPTH = 256;
    /** Longest input accepted by the parser, in chars. */
    public static final int MAX_LENGTH = 100_000_000;

    private Json() {}

    /** A JSON syntax error at a character {@link #offset()} of the input. */
    public static final class ParseException extends IllegalArgumentException {
        private final int offset;

        public ParseException(String message, int offset) {
            super(message + " at offset " + offset);
            this.offset = offset;
        }

        /** The char index in the parsed string where the problem was found. */
        public int offset() {
            return offset;
        }
    }

    // ================================================================ parsing

    /** Parses one JSON value that must span the whole of {@code s} (surrounding whitespace allowed). */
    public static Object parse(String s) {
        if (s.length() > MAX_LENGTH)
            throw new ParseException("input of " + s.length() + " chars exceeds the limit of " + MAX_LENGTH, 0);
        Parser p = new Parser(s);
        p.skipWs();
        Object v = p.value(0);
        p.skipWs();
        if (p.pos < s.length()) throw p.error("unexpected " + p.describe() + " after the JSON value");
        return v;
    }

    private static final class Parser {
        final String s;
        int pos;

        Parser(String s) {
            this.s = s;
        }

        ParseException error(String msg) {
            return new ParseException(msg, pos);
        }

        String describe() {
            if (pos >= s.length()) return "end of input";
            char c = s.charAt(pos);
            if (c >= 0x20 && c < 0x7f) return "'" + c + "'";
            return String.format("character U+%04X", (int) c);
        }

        void skipWs() {
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == ' ' || c == '\t' || c == '\n' || c == '\r') pos++;
                else break;
            }
        }

        Object value(int depth) {
            if (pos >= s.length()) throw error("expected a value but found end of input");
            char c = s.charAt(pos);
            switch (c) {
                case '{':
                    return object(depth + 1);
                case '[':
                    return array(depth + 1);
                case '"':
                    return string();
                case 't':
                    literal("true");
                    return Boolean.TRUE;
                case 'f':
                    literal("false");
                    return Boolean.FALSE;
                case 'n':
                    literal("null");
                    return null;
                default:
                    if (c == '-' || (c >= '0' && c <= '9')) return number();
                    throw error("expected a value but found " + describe());
            }
        }

        void literal(String word) {
            if (!s.startsWith(word, pos)) throw error("expected '" + word + "'");
            pos += word.length();
        }

        Map<String, Object> object(int depth) {
            if (depth > MAX_DEPTH) throw error("nesting deeper than " + MAX_DEPTH);
            pos++; // '{'
            LinkedHashMap<String, Object> map = new LinkedHashMap<>();
            skipWs();
            if (pos < s.length() && s.charAt(pos) == '}') {
                pos++;
                return map;
            }
            while (true) {
                skipWs();
                if (pos >= s.length() || s.charAt(pos) != '"')
                    throw error("expected a string key but found " + describe());
                int keyPos = pos;
                String key = string();
                skipWs();
                expect(':');
                skipWs();
                Object v = value(depth);
                if (map.containsKey(key)) throw new ParseException("duplicate key \"" + key + "\"", keyPos);
                map.put(key, v);
                skipWs();
                if (pos < s.length() && s.charAt(pos) == ',') {
                    pos++;
                    continue;
                }
                expect('}');
                return map;
            }
        }

        List<Object> array(int depth) {
            if (depth > MAX_DEPTH) throw error("nesting deeper than " + MAX_DEPTH);
            pos++; // '['
            List<Object> list = new ArrayList<>();
            skipWs();
            if (pos < s.length() && s.charAt(pos) == ']') {
                pos++;
                return list;
            }
            while (true) {
                skipWs();
                list.add(value(depth));
                skipWs();
                if (pos < s.length() && s.charAt(pos) == ',') {
                    pos++;
                    continue;
                }
                expect(']');
                return list;
            }
        }

        void expect(char c) {
            if (pos >= s.length() || s.charAt(pos) != c)
                throw error("expected '" + c + "' but found " + describe());
            pos++;
        }

        String string() {
            pos++; // opening quote
            StringBuilder sb = null;
            int start = pos;
            while (true) {
                if (pos >= s.length()) throw error("unterminated string");
                char c = s.charAt(pos);
                if (c == '"') {
                    String out = sb == null ? s.substring(start, pos) : sb.append(s, start, pos).toString();
                    pos++;
                    return out;
                }
                if (c < 0x20) throw error("unescaped control character U+" + String.format("%04X", (int) c) + " in string");
                if (c == '\\') {
                    if (sb == null) sb = new StringBuilder();
                    sb.append(s, start, pos);
                    pos++;
                    if (pos >= s.length()) throw error("unterminated escape");
                    char e = s.charAt(pos);
                    switch (e) {
                        case '"' -> sb.append('"');
                        case '\\' -> sb.append('\\');
                        case '/' -> sb.append('/');
                        case 'b' -> sb.append('\b');
                        case 'f' -> sb.append('\f');
                        case 'n' -> sb.append('\n');
                        case 'r' -> sb.append('\r');
                        case 't' -> sb.append('\t');
                        case 'u' -> {
                            if (pos + 4 >= s.length()) throw error("truncated \\u escape");
                            int cp = 0;
                            for (int i = 1; i <= 4; i++) {
                                int d = Character.digit(s.charAt(pos + i), 16);
                                if (d < 0) throw new ParseException("invalid hex digit in \\u escape", pos + i);
                                cp = cp * 16 + d;
                            }
                            sb.append((char) cp);
                            pos += 4;
                        }
                        default -> throw error("invalid escape '\\" + e + "'");
                    }
                    pos++;
                    start = pos;
                } else {
                    pos++;
                }
            }
        }

        Object number() {
            int start = pos;
            if (s.charAt(pos) == '-') pos++;
            if (pos >= s.length()) throw error("expected a digit");
            char c = s.charAt(pos);
            if (c == '0') {
                pos++;
                if (pos < s.length() && isDigit(s.charAt(pos))) throw error("leading zero in number");
            } else if (c >= '1' && c <= '9') {
                while (pos < s.length() && isDigit(s.charAt(pos))) pos++;
            } else {
                throw error("expected a digit but found " + describe());
            }
            boolean integral = true;
            if (pos < s.length() && s.charAt(pos) == '.') {
                integral = false;
                pos++;
                if (pos >= s.length() || !isDigit(s.charAt(pos))) throw error("expected a digit after '.'");
                while (pos < s.length() && isDigit(s.charAt(pos))) pos++;
            }
            if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
                integral = false;
                pos++;
                if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) pos++;
                if (pos >= s.length() || !isDigit(s.charAt(pos))) throw error("expected a digit in the exponent");
                while (pos < s.length() && isDigit(s.charAt(pos))) pos++;
            }
            String text = s.substring(start, pos);
            if (integral) {
                try {
                    return Long.parseLong(text);
                } catch (NumberFormatException overflow) {
                    return Double.parseDouble(text);
                }
            }
            return Double.parseDouble(text);
        }

        static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }
    }

    // ================================================================ writing

    /** Pretty-printed JSON with a 2-space indent and no trailing newline. */
    public static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        new Writer(sb, true).value(value, 0, 0);
        return sb.toString();
    }

    /** JSON without any whitespace (as headers of binary formats want it). */
    public static String writeCompact(Object value) {
        StringBuilder sb = new StringBuilder();
        new Writer(sb, false).value(value, 0, 0);
        return sb.toString();
    }

    private record Writer(StringBuilder sb, boolean pretty) {
        void value(Object v, int indent, int depth) {
            if (depth > MAX_DEPTH) throw new IllegalArgumentException("value nested deeper than " + MAX_DEPTH + " (a cycle?)");
            if (v == null) sb.append("null");
            else if (v instanceof String str) string(str);
            else if (v instanceof Character ch) string(ch.toString());
            else if (v instanceof Boolean b) sb.append(b);
            else if (v instanceof Number n) number(n);
            else if (v instanceof Enum<?> e) string(e.name());
            else if (v instanceof Map<?, ?> m) object(m, indent, depth);
            else if (v instanceof Collection<?> c) array(new ArrayList<>(c), indent, depth);
            else if (v.getClass().isArray()) {
                int n = Array.getLength(v);
                List<Object> list = new ArrayList<>(n);
                for (int i = 0; i < n; i++) list.add(Array.get(v, i));
                array(list, indent, depth);
            } else throw new IllegalArgumentException("cannot write a " + v.getClass().getName() + " as JSON");
        }

        void number(Number n) {
            if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte
                    || n instanceof BigInteger) {
                sb.append(n);
            } else if (n instanceof Float f) {
                if (!Float.isFinite(f)) throw new IllegalArgumentException("JSON cannot represent " + f);
                sb.append(Float.toString(f));
            } else if (n instanceof BigDecimal d) {
                sb.append(d.toString());
            } else {
                double d = n.doubleValue();
                if (!Double.isFinite(d)) throw new IllegalArgumentException("JSON cannot represent " + d);
                sb.append(Double.toString(d));
            }
        }

        void newline(int indent) {
            if (!pretty) return;
            sb.append('\n');
            for (int i = 0; i < indent; i++) sb.append(' ');
        }

        void object(Map<?, ?> m, int indent, int depth) {
            if (m.isEmpty()) {
                sb.append("{}");
                return;
            }
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) sb.append(',');
                first = false;
                newline(indent + 2);
                string(String.valueOf(e.getKey()));
                sb.append(pretty ? ": " : ":");
                value(e.getValue(), indent + 2, depth + 1);
            }
            newline(indent);
            sb.append('}');
        }

        void array(List<?> list, int indent, int depth) {
            if (list.isEmpty()) {
                sb.append("[]");
                return;
            }
            sb.append('[');
            boolean first = true;
            for (Object o : list) {
                if (!first) sb.append(',');
                first = false;
                newline(indent + 2);
                value(o, indent + 2, depth + 1);
            }
            newline(indent);
            sb.append(']');
        }

        void string(String s) {
            sb.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"' -> sb.append("\\\"");
                    case '\\' -> sb.append("\\\\");
                    case '\n' -> sb.append("\\n");
                    case '\r' -> sb.append("\\r");
                    case '\t' -> sb.append("\\t");
                    case '\b' -> sb.append("\\b");
                    case '\f' -> sb.append("\\f");
                    default -> {
                        boolean loneSurrogate = Character.isSurrogate(c) && !(Character.isHighSurrogate(c)
                                && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1)));
                        if (Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(s.charAt(i - 1)))
                            loneSurrogate = false;
                        if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029' || loneSurrogate)
                            sb.append(String.format("\\u%04x", (int) c));
                        else sb.append(c);
                    }
                }
            }
            sb.append('"');
        }
    }
}
