package dev.tpo.workers.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The demo's results: a table for the terminal, JSON for machines, and an HTML page with a chart for people. */
public final class DemoReport {
    private static final String[] STEPS = {"generate", "judge", "reference", "train", "evaluate"};

    private final String preset;
    private final Map<DemoArm, List<DemoRow>> arms = new LinkedHashMap<>();
    private final Map<DemoArm, String> runIds = new LinkedHashMap<>();
    private final Map<DemoArm, double[]> orchestration = new LinkedHashMap<>();
    private final Map<String, Object> seedPreparation = new LinkedHashMap<>();
    private double wallSeconds;

    public DemoReport(String preset) {
        this.preset = preset;
    }

    public void add(DemoArm arm, String runId, List<DemoRow> rows) {
        arms.put(arm, List.copyOf(rows));
        runIds.put(arm, runId);
    }

    /**
     * @param runWallSeconds   from starting the run to its result, at the client
     * @param activityBusySeconds time at least one of its activities was working, from its history
     */
    public void orchestration(DemoArm arm, double runWallSeconds, double activityBusySeconds) {
        orchestration.put(arm, new double[] {runWallSeconds, activityBusySeconds});
    }

    /** Facts about how the seed was made (e.g. a format warm-up), shown under the table and in the JSON. */
    public void seedPreparation(Map<String, ?> facts) {
        seedPreparation.putAll(facts);
    }

    public void wallSeconds(double seconds) {
        wallSeconds = seconds;
    }

    public String table() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(
                Locale.ROOT,
                "%-4s %4s %8s %8s %7s %6s %8s %8s %9s %9s %7s %7s  %s%n",
                "arm",
                "iter",
                "eval %",
                "margin",
                "rw acc",
                "pairs",
                "thought",
                "response",
                "malformed",
                "samp malf",
                "gen t/s",
                "dpo t/s",
                "seconds: generate judge reference train eval"));
        arms.forEach((arm, rows) -> {
            for (DemoRow r : rows) {
                b.append(String.format(
                        Locale.ROOT,
                        "%-4s %4d %8.1f %8s %7s %6s %8.1f %8.1f %8.1f%% %9s %7s %7s  %s%n",
                        arm.key(),
                        r.iteration(),
                        r.evalScore(),
                        num(r.rewardMargin(), "%.3f"),
                        num(r.rewardAccuracy(), "%.2f"),
                        r.pairs() == null ? "-" : r.pairs().toString(),
                        r.meanThoughtChars(),
                        r.meanResponseChars(),
                        r.malformedRate(),
                        num(r.sampleMalformedRate(), "%.1f%%"),
                        num(r.generateTokensPerSecond(), "%.0f"),
                        num(r.trainTokensPerSecond(), "%.0f"),
                        seconds(r)));
            }
        });
        seedPreparation.forEach(
                (k, v) -> b.append("seed ").append(k).append(": ").append(v).append('\n'));
        orchestration.forEach((arm, o) -> b.append(String.format(
                Locale.ROOT,
                "%s run: %.1f s, activities working %.1f s, orchestration overhead %.1f s (%.1f%%)%n",
                arm.key(),
                o[0],
                o[1],
                o[0] - o[1],
                100 * (o[0] - o[1]) / o[0])));
        b.append(String.format(Locale.ROOT, "wall time %.0f s%n", wallSeconds));
        return b.toString();
    }

    private static String num(Double v, String format) {
        return v == null ? "-" : String.format(Locale.ROOT, format, v);
    }

    private static String seconds(DemoRow r) {
        if (r.stepSeconds().isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        for (String step : STEPS) {
            b.append(String.format(Locale.ROOT, " %6.1f", r.stepSeconds().getOrDefault(step, 0.0)));
        }
        return b.toString().strip();
    }

    /**
     * {"seed": {"eval_score": x, "eval_score_direct": y}, "seed_preparation": {...} (when the preset reports one),
     * "tpo": [{"iteration": 1, "eval_score": x, ...}], "drb": [...], "wall_seconds": x}; eval scores in percent.
     */
    public ObjectNode json(ObjectMapper mapper) {
        ObjectNode root = mapper.createObjectNode();
        root.put("preset", preset);
        ObjectNode seed = root.putObject("seed");
        first(DemoArm.TPO).ifPresent(r -> seed.put("eval_score", r.evalScore()));
        first(DemoArm.DRB).ifPresent(r -> seed.put("eval_score_direct", r.evalScore()));
        if (!seedPreparation.isEmpty()) {
            root.set("seed_preparation", mapper.valueToTree(seedPreparation));
        }
        arms.forEach((arm, rows) -> {
            ArrayNode list = root.putArray(arm.key());
            rows.stream().filter(r -> r.iteration() > 0).forEach(r -> list.add(mapper.valueToTree(r)));
            root.put(arm.key() + "_run_id", runIds.get(arm));
        });
        orchestration.forEach((arm, o) -> {
            ObjectNode node = root.putObject(arm.key() + "_orchestration");
            node.put("run_wall_seconds", o[0]);
            node.put("activity_busy_seconds", o[1]);
            node.put("overhead_percent", 100 * (o[0] - o[1]) / o[0]);
        });
        root.put("wall_seconds", wallSeconds);
        return root;
    }

    private java.util.Optional<DemoRow> first(DemoArm arm) {
        return arms.getOrDefault(arm, List.of()).stream()
                .filter(r -> r.iteration() == 0)
                .findFirst();
    }

    public void write(Path dir, Path jsonFile) {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        try {
            Files.createDirectories(dir);
            String json = mapper.writeValueAsString(json(mapper));
            atomic(dir.resolve("demo-report.json"), json);
            if (jsonFile != null) {
                atomic(jsonFile, json);
            }
            atomic(dir.resolve("demo-report.html"), html());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the demo report under " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void atomic(Path file, String text) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = parent.resolve("." + file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Eval accuracy per iteration for each arm as an inline SVG line chart, then the table. */
    String html() {
        int width = 560;
        int height = 300;
        int pad = 40;
        int maxIter = arms.values().stream()
                .flatMap(List::stream)
                .mapToInt(DemoRow::iteration)
                .max()
                .orElse(1);
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(
                Locale.ROOT, "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d'>", width, height));
        svg.append(String.format(
                Locale.ROOT,
                "<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='black'/>",
                pad,
                height - pad,
                width - pad,
                height - pad));
        svg.append(String.format(
                Locale.ROOT, "<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='black'/>", pad, pad, pad, height - pad));
        for (int y = 0; y <= 100; y += 25) {
            double py = height - pad - y / 100.0 * (height - 2 * pad);
            svg.append(String.format(Locale.ROOT, "<text x='5' y='%.0f' font-size='11'>%d%%</text>", py + 4, y));
        }
        for (int i = 0; i <= maxIter; i++) {
            double px = pad + (double) i / Math.max(1, maxIter) * (width - 2 * pad);
            svg.append(String.format(
                    Locale.ROOT,
                    "<text x='%.0f' y='%d' font-size='11'>%s</text>",
                    px - 8,
                    height - pad + 16,
                    i == 0 ? "seed" : "it " + i));
        }
        String[] colours = {"#c0392b", "#2c3e50"};
        int c = 0;
        for (Map.Entry<DemoArm, List<DemoRow>> e : arms.entrySet()) {
            StringBuilder points = new StringBuilder();
            for (DemoRow r : e.getValue()) {
                double px = pad + (double) r.iteration() / Math.max(1, maxIter) * (width - 2 * pad);
                double py = height - pad - r.evalScore() / 100.0 * (height - 2 * pad);
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", px, py));
            }
            String colour = colours[c++ % colours.length];
            svg.append(String.format(
                    Locale.ROOT,
                    "<polyline fill='none' stroke='%s' stroke-width='2' points='%s'/>",
                    colour,
                    points.toString().strip()));
            svg.append(String.format(
                    Locale.ROOT,
                    "<text x='%d' y='%d' fill='%s' font-size='12'>%s</text>",
                    width - pad - 40,
                    pad + 16 * c,
                    colour,
                    e.getKey().key()));
        }
        svg.append("</svg>");
        return "<!doctype html><html><head><meta charset='utf-8'><title>TPO demo</title></head><body>"
                + "<h1>TPO demo (" + preset + ")</h1><p>Eval accuracy (verifier, percent) of TPO and the "
                + "direct-response baseline (DRB) from the same seed.</p>" + svg + "<pre>"
                + table().replace("&", "&amp;").replace("<", "&lt;") + "</pre></body></html>";
    }
}
