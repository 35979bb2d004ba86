package org.cnn4j.examples;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What an example produced: a title, the data and settings it ran with, a table (numbers kept as
 * numbers so tests can check them), free-form text (summary tables, worked arithmetic), notes and the
 * files it wrote. {@link #markdown()} is what {@code main} prints and RESULTS.md quotes.
 */
public final class Report {
    private final String title;
    private String data = "";
    private String settings = "";
    private final List<String> columns = new ArrayList<>();
    private final List<List<Object>> rows = new ArrayList<>();
    private final List<String> text = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final List<Path> files = new ArrayList<>();

    public Report(String title) {
        this.title = title;
    }

    public Report data(String d) {
        data = d;
        return this;
    }

    public Report settings(String s) {
        settings = s;
        return this;
    }

    public Report columns(String... names) {
        columns.clear();
        columns.addAll(Arrays.asList(names));
        return this;
    }

    public Report row(Object... cells) {
        if (cells.length != columns.size())
            throw new IllegalArgumentException("row of " + cells.length + " cells for " + columns.size() + " columns " + columns);
        rows.add(List.of(cells));
        return this;
    }

    /** A preformatted block (a summary table, the worked arithmetic). */
    public Report text(String block) {
        text.add(block);
        return this;
    }

    public Report note(String n) {
        notes.add(n);
        return this;
    }

    public Report file(Path p) {
        files.add(p);
        return this;
    }

    public String title() {
        return title;
    }

    public List<String> columns() {
        return List.copyOf(columns);
    }

    public int rowCount() {
        return rows.size();
    }

    public List<Object> row(int i) {
        return rows.get(i);
    }

    public List<String> texts() {
        return List.copyOf(text);
    }

    public List<String> notes() {
        return List.copyOf(notes);
    }

    public List<Path> files() {
        return List.copyOf(files);
    }

    /** The cell of row {@code i} in {@code column} as a number. */
    public double number(int i, String column) {
        int c = columns.indexOf(column);
        if (c < 0) throw new IllegalArgumentException("no column '" + column + "' in " + columns);
        Object v = rows.get(i).get(c);
        if (v instanceof Number n) return n.doubleValue();
        throw new IllegalArgumentException("cell (" + i + ", " + column + ") is not a number: " + v);
    }

    /** The cell of row {@code i} in {@code column} as text. */
    public String cell(int i, String column) {
        int c = columns.indexOf(column);
        if (c < 0) throw new IllegalArgumentException("no column '" + column + "' in " + columns);
        return format(rows.get(i).get(c));
    }

    static String format(Object v) {
        if (v instanceof Double d) return Double.isNaN(d) ? "-" : String.format(Locale.ROOT, "%.4f", d);
        if (v instanceof Float f) return String.format(Locale.ROOT, "%.4f", f);
        if (v instanceof Long || v instanceof Integer) return String.format(Locale.ROOT, "%,d", ((Number) v).longValue());
        return String.valueOf(v);
    }

    public String markdown() {
        StringBuilder sb = new StringBuilder("## ").append(title).append("\n\n");
        if (!data.isEmpty()) sb.append("Data: ").append(data).append("  \n");
        if (!settings.isEmpty()) sb.append("Settings: `").append(settings).append("`\n");
        sb.append('\n');
        if (!columns.isEmpty()) {
            sb.append('|');
            for (String c : columns) sb.append(' ').append(c).append(" |");
            sb.append("\n|");
            for (int i = 0; i < columns.size(); i++) sb.append("---|");
            sb.append('\n');
            for (List<Object> r : rows) {
                sb.append('|');
                for (Object v : r) sb.append(' ').append(format(v)).append(" |");
                sb.append('\n');
            }
            sb.append('\n');
        }
        for (String t : text) sb.append("```\n").append(t.stripTrailing()).append("\n```\n\n");
        for (String n : notes) sb.append("- ").append(n).append('\n');
        if (!notes.isEmpty()) sb.append('\n');
        for (Path f : files) sb.append("Wrote ").append(f).append('\n');
        return sb.toString();
    }

    @Override
    public String toString() {
        return markdown();
    }
}
