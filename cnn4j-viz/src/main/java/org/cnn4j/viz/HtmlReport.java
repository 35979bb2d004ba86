package org.cnn4j.viz;

import org.cnn4j.io.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code report.html}: one self-contained page. Pictures are embedded as base64 {@code data:} URIs and the
 * style sheet is inline, so the page needs no network and no neighbouring file to display; the only links
 * are plain relative links to files that exist next to it (the CSVs, metrics, the model), checked when the
 * page is written.
 */
public final class HtmlReport {
    private sealed interface Section permits Table, Pre, Picture, Links, Paragraph {}

    private record Table(String heading, Map<String, ?> rows) implements Section {}

    private record Pre(String heading, String text) implements Section {}

    private record Picture(String heading, Path file, String caption) implements Section {}

    private record Links(String heading, List<String> files) implements Section {}

    private record Paragraph(String text) implements Section {}

    private final String title;
    private final List<Section> sections = new ArrayList<>();

    public HtmlReport(String title) {
        this.title = title;
    }

    /** A two-column table of settings or figures, in the map's order. */
    public HtmlReport table(String heading, Map<String, ?> rows) {
        sections.add(new Table(heading, rows));
        return this;
    }

    /** Preformatted text (a summary table). */
    public HtmlReport pre(String heading, String text) {
        sections.add(new Pre(heading, text));
        return this;
    }

    /** A picture file, embedded when the page is written; a missing file is left out. */
    public HtmlReport picture(String heading, Path file, String caption) {
        sections.add(new Picture(heading, file, caption));
        return this;
    }

    /** Links to files by name relative to the page's directory; names of files that do not exist are left out. */
    public HtmlReport links(String heading, List<String> fileNames) {
        sections.add(new Links(heading, List.copyOf(fileNames)));
        return this;
    }

    public HtmlReport paragraph(String text) {
        sections.add(new Paragraph(text));
        return this;
    }

    /** The page for a file in {@code dir} (links are resolved and checked against it). */
    public String html(Path dir) throws IOException {
        StringBuilder sb = new StringBuilder(64 * 1024);
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(esc(title)).append("</title>\n<style>\n")
                .append("body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;margin:24px auto;")
                .append("max-width:1320px;padding:0 16px;color:#222;background:#fff}\n")
                .append("h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #ddd;")
                .append("padding-bottom:.2em}\n")
                .append("table{border-collapse:collapse;font-size:.92em}td,th{border:1px solid #ddd;padding:3px 8px;text-align:left}")
                .append("td.k{color:#555}\n")
                .append("pre{background:#f6f8fa;padding:10px;overflow-x:auto;font-size:.85em;line-height:1.3}\n")
                .append("img{max-width:100%;height:auto;border:1px solid #eee}figure{margin:0}figcaption{color:#555;")
                .append("font-size:.9em;margin-top:4px}\n")
                .append(".note{color:#555}</style>\n</head>\n<body>\n<h1>").append(esc(title)).append("</h1>\n");
        for (Section s : sections) {
            switch (s) {
                case Table t -> {
                    sb.append("<h2>").append(esc(t.heading())).append("</h2>\n<table>\n");
                    for (var e : t.rows().entrySet())
                        sb.append("<tr><td class=\"k\">").append(esc(e.getKey())).append("</td><td>")
                                .append(esc(display(e.getValue()))).append("</td></tr>\n");
                    sb.append("</table>\n");
                }
                case Pre p -> sb.append("<h2>").append(esc(p.heading())).append("</h2>\n<pre>").append(esc(p.text())).append("</pre>\n");
                case Picture p -> {
                    if (!Files.isRegularFile(p.file())) continue;
                    sb.append("<h2>").append(esc(p.heading())).append("</h2>\n<figure><img alt=\"")
                            .append(esc(p.file().getFileName().toString())).append("\" src=\"").append(ImageFiles.dataUri(p.file()))
                            .append("\">");
                    if (p.caption() != null && !p.caption().isBlank())
                        sb.append("<figcaption>").append(esc(p.caption())).append("</figcaption>");
                    sb.append("</figure>\n");
                }
                case Links l -> {
                    List<String> present = l.files().stream().filter(f -> Files.isRegularFile(dir.resolve(f))).toList();
                    if (present.isEmpty()) continue;
                    sb.append("<h2>").append(esc(l.heading())).append("</h2>\n<ul>\n");
                    for (String f : present)
                        sb.append("<li><a href=\"").append(esc(urlPath(f))).append("\">").append(esc(f)).append("</a></li>\n");
                    sb.append("</ul>\n");
                }
                case Paragraph p -> sb.append("<p class=\"note\">").append(esc(p.text())).append("</p>\n");
            }
        }
        sb.append("</body>\n</html>\n");
        return sb.toString();
    }

    /** Writes the page atomically. */
    public Path write(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        AtomicFiles.writeString(file, html(dir));
        return file;
    }

    /** Floating-point values with at most 6 significant digits (0.50924 rather than 0.5092402189970017). */
    static String display(Object v) {
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (!Double.isFinite(d)) return String.valueOf(d);
            return new java.math.BigDecimal(d).round(new java.math.MathContext(6)).stripTrailingZeros().toPlainString();
        }
        return String.valueOf(v);
    }

    static String esc(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** A relative file name as a URL path: spaces and other unsafe characters percent-encoded. */
    static String urlPath(String name) {
        StringBuilder sb = new StringBuilder();
        for (byte b : name.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-._~/".indexOf(c) >= 0) sb.append((char) c);
            else sb.append(String.format("%%%02X", c));
        }
        return sb.toString();
    }
}
