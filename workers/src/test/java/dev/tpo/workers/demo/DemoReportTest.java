package dev.tpo.workers.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tpo.api.steps.EvalResult;
import dev.tpo.api.steps.IterationSummary;
import dev.tpo.api.steps.PairSummary;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DemoReportTest {
    private static final EvalResult EVAL = new EvalResult(40, "accuracy", 25.0, null, null, 25.0, 10.0, 80.0, 12.0,
            Map.of("addition", 50.0));

    private static IterationSummary iteration(Map<String, Double> trainMetrics) {
        return new IterationSummary(1, "specific", null, 16, 128, 32, 9600,
                new PairSummary(16, 7, 5, 4, 32, 128, 12.0, 14.0, 1.0), trainMetrics, 0, EVAL,
                Map.of("generate", 50.0, "train", 20.0), Map.of("generate", 40.0, "train", 18.0), null);
    }

    @Test
    void rowsCarryThroughputAndSampleMalformedRate() {
        DemoRow row = DemoRow.of(iteration(Map.of("train_tokens_per_second", 321.0, "rewards/margins", 0.5)));
        assertEquals(240.0, row.generateTokensPerSecond(), 1e-9, "9600 tokens in 40 s of generate compute");
        assertEquals(25.0, row.sampleMalformedRate(), 1e-9, "32 of 128 samples");
        assertEquals(321.0, row.trainTokensPerSecond());
        assertEquals(7, row.pairs());
        assertNull(DemoRow.of(iteration(Map.of())).trainTokensPerSecond(), "no pairs, no training");
        assertNull(DemoRow.seed(EVAL).generateTokensPerSecond());
    }

    @Test
    void seedPreparationShowsInTableAndJson() {
        DemoReport report = new DemoReport("smollm2");
        report.seedPreparation(Map.of("raw_seed_well_formed", 0));
        report.add(DemoArm.TPO, "run-1", List.of(DemoRow.seed(EVAL),
                DemoRow.of(iteration(Map.of("train_tokens_per_second", 321.0)))));
        JsonNode json = report.json(new ObjectMapper());
        assertEquals(0, json.path("seed_preparation").path("raw_seed_well_formed").asInt(), json.toString());
        JsonNode first = json.path("tpo").path(0);
        assertEquals(240.0, first.path("generate_tokens_per_second").asDouble(), 1e-9, first.toString());
        assertEquals(25.0, first.path("sample_malformed_rate").asDouble(), 1e-9, first.toString());
        String table = report.table();
        assertTrue(table.contains("seed raw_seed_well_formed: 0"), table);
        assertTrue(table.contains("25.0%") && table.contains(" 240 "), table);
    }
}
