package dev.tpo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The smollm2 demo's plumbing on the real model (smollm2-smoke: a handful of prompts, short outputs, one step of
 * warm-up and of DPO): the format warm-up makes a seed from the converted folder, both arms run through the
 * pipeline, and the report carries the warm-up's facts and every per-iteration figure. It learns nothing; the
 * full preset's numbers are in the README. Tagged parity because it needs scripts/fetch-smollm2.sh's folder.
 */
@Tag("parity")
@Timeout(value = 30, unit = TimeUnit.MINUTES)
class Smollm2DemoTest {
    @TempDir
    Path dir;

    @Test
    void smokePresetRunsBothArmsFromTheWarmedSeed() throws Exception {
        Peers.smollm2();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Path json = dir.resolve("demo.json");
        int code = TpoCommand.execute(
                new PrintWriter(out, true),
                new PrintWriter(err, true),
                "demo",
                "--preset",
                "smollm2-smoke",
                "--output",
                dir.resolve("out").toString(),
                "--cache",
                dir.resolve("cache").toString(),
                "--json",
                json.toString());
        assertEquals(0, code, out + "\n" + err);

        JsonNode report = Peers.JSON.readTree(json.toFile());
        assertEquals("smollm2-smoke", report.path("preset").asText());
        JsonNode warmup = report.path("seed_preparation");
        assertEquals(8, warmup.path("raw_seed_thought_samples").asInt(), "4 warm-up prompts x 2 samples: " + warmup);
        assertTrue(warmup.path("raw_seed_well_formed").asInt() <= 8, warmup.toString());
        int examples = warmup.path("warmup_examples").asInt();
        assertTrue(examples >= 1 && examples <= 4, "one example per warm-up prompt at most: " + warmup);
        assertTrue(warmup.path("warmup_sft_steps").asInt() >= 1, warmup.toString());
        for (String arm : List.of("tpo", "drb")) {
            JsonNode first = report.path(arm).path(0);
            assertEquals(1, first.path("iteration").asInt(), arm + ": " + report);
            double score = first.path("eval_score").asDouble(-1);
            assertTrue(score >= 0 && score <= 100, arm + " eval score " + first);
            assertTrue(first.path("generate_tokens_per_second").asDouble() > 0, arm + ": " + first);
            assertTrue(first.path("sample_malformed_rate").isNumber(), arm + ": " + first);
            assertTrue(
                    first.path("step_seconds").has("generate")
                            && first.path("step_seconds").has("evaluate"),
                    arm + ": " + first);
        }
        assertTrue(Files.isRegularFile(dir.resolve("out/demo-report.html")));
        assertTrue(out.toString().contains("seed warmup_examples"), out.toString());
    }
}
