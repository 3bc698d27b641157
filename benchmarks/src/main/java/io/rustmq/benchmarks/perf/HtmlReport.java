package io.rustmq.benchmarks.perf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The HTML report of {@code rustmq-perf}: one self-contained page (no network: the charts are inline SVG drawn by a
 * small script bundled into the page) with, per run, throughput over time (records/s and MB/s per second, with the
 * raw transport's MB/s as a ceiling line when it was measured), the latency percentile distribution on
 * HdrHistogram's log scale, client CPU per record by thread group, and the settings. Several runs, live or loaded
 * from {@code --json} files, are drawn side by side.
 */
public final class HtmlReport {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One run to draw.
     *
     * @param source where it comes from (a file name or a title), shown when several runs are compared
     * @param summary the run
     * @param ceilingMBps the raw transport's one-way MB/s measured with it, or {@code null}
     */
    public record Run(String source, JsonNode summary, Double ceilingMBps) {
        /**
         * A run measured in this process.
         *
         * @param source a title
         * @param summary the run
         * @param ceilingMBps the transport ceiling, or {@code null}
         */
        public Run(String source, Summary summary, Double ceilingMBps) {
            this(source, JSON.valueToTree(summary), ceilingMBps);
        }
    }

    private HtmlReport() {
    }

    /**
     * Reads the runs of a file written with {@code --json}: one summary (produce, consume, latency), or the
     * transport result and the runs of {@code all}.
     *
     * @param file the file
     * @return its runs, with the transport ceiling where the file has one
     * @throws IOException if the file cannot be read, is not JSON, or is not a {@code rustmq-perf} summary (the
     *     message names the file)
     */
    public static List<Run> load(Path file) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        String source = String.valueOf(file.getFileName());
        List<Run> runs = new ArrayList<>();
        if (root != null && root.has("runs") && root.get("runs").isArray()) {
            JsonNode transport = root.path("transport");
            Double ceiling = transport.has("oneWayMBps") ? transport.get("oneWayMBps").asDouble() : null;
            for (JsonNode r : root.get("runs")) {
                runs.add(new Run(source, requireSummary(r, file), ceiling));
            }
        } else if (root != null && root.has("test")) {
            runs.add(new Run(source, requireSummary(root, file), null));
        }
        if (runs.isEmpty()) {
            throw new IOException(file + " is not a rustmq-perf summary (write one with --json from produce, "
                    + "consume, latency or all)");
        }
        return runs;
    }

    private static JsonNode requireSummary(JsonNode node, Path file) throws IOException {
        if (!node.has("test") || !node.has("recordsPerSec")) {
            throw new IOException(file + " holds a run without 'test' and 'recordsPerSec': not a rustmq-perf "
                    + "summary");
        }
        return node;
    }

    /**
     * Writes the page.
     *
     * @param page the file to write (its folder must exist)
     * @param title the page title
     * @param runs the runs to draw, in order
     * @throws IOException if the file cannot be written
     * @throws IllegalArgumentException if there is no run
     */
    public static void write(Path page, String title, List<Run> runs) throws IOException {
        Files.writeString(page, render(title, runs));
    }

    /**
     * The page as text.
     *
     * @param title the page title
     * @param runs the runs to draw
     * @return the HTML
     * @throws IllegalArgumentException if there is no run
     */
    public static String render(String title, List<Run> runs) {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("a report needs at least one run");
        }
        ArrayNode data = JSON.createArrayNode();
        for (Run r : runs) {
            ObjectNode o = r.summary().deepCopy();
            o.put("source", r.source());
            if (r.ceilingMBps() != null) {
                o.put("ceilingMBps", r.ceilingMBps());
            }
            data.add(o);
        }
        String json;
        try {
            json = JSON.writeValueAsString(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // inside <script>, "</" would end the element: JSON allows "<\/" for the same text
        json = json.replace("</", "<\\/");
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + escape(title)
                + "</title>\n<style>\n" + resource("report.css") + "</style>\n</head>\n<body>\n<h1>" + escape(title)
                + "</h1>\n<p class=\"note\">MB = 1,048,576 payload bytes. Latency percentiles from HdrHistogram (within "
                + "1 %). CPU per record counts every thread of the client process, grouped by role.</p>\n"
                + "<main id=\"report\"></main>\n<script type=\"application/json\" id=\"rustmq-perf-data\">" + json
                + "</script>\n<script>\n" + resource("report.js") + "</script>\n</body>\n</html>\n";
    }

    /**
     * A file-name-safe form of a test name: lower case, runs of other characters as one dash.
     *
     * @param test the test name, e.g. {@code produce 100 B}
     * @return e.g. {@code produce-100-b}
     */
    public static String slug(String test) {
        String s = test.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
        return s.isEmpty() ? "run" : s;
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String resource(String name) {
        try (InputStream in = HtmlReport.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
