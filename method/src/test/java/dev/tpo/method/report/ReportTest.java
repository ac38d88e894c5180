package dev.tpo.method.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tpo.api.spec.ThoughtMode;
import dev.tpo.method.eval.CategoryResult;
import dev.tpo.method.eval.EvalSummary;
import dev.tpo.method.eval.ScoreKind;
import dev.tpo.method.pairs.PairStats;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportTest {
    private static EvalSummary eval(double winRate) {
        return new EvalSummary(
                50,
                ScoreKind.WIN_RATE,
                winRate,
                winRate,
                winRate - 3.25,
                20,
                5,
                25,
                Map.of("writing", new CategoryResult(10, 6, 0, 4, 60.0, null)),
                812.4,
                1530.9,
                1402.0,
                4.0,
                0,
                null,
                null);
    }

    private static IterationReport first() {
        return new IterationReport(
                1,
                ThoughtMode.SPECIFIC,
                new PairStats(100, 87, 6, 7, 12, 1, 0, 1200.5, 1350.25, 0.731),
                Map.of("loss", 0.6123, "rewards/accuracies", 0.71),
                eval(45.0),
                Map.of("generate", 120.0, "judge", 30.5, "train", 300.0),
                Map.of("samples", 800L));
    }

    @Test
    void jsonIsSnakeCaseAndRoundTrips() throws Exception {
        ReportJson io = new ReportJson();
        String text = io.write(first());
        JsonNode root = new ObjectMapper().readTree(text);
        assertEquals("specific", root.get("thought_mode").asText());
        assertEquals(6, root.get("pair_stats").get("dropped_all_tied").asInt());
        assertEquals(
                7, root.get("pair_stats").get("dropped_too_few_well_formed").asInt());
        assertEquals(41.75, root.get("eval").get("lc_win_rate").asDouble(), 1e-12);
        assertEquals("win_rate", root.get("eval").get("score_kind").asText());
        assertEquals(
                60.0,
                root.get("eval")
                        .get("per_category")
                        .get("writing")
                        .get("win_rate")
                        .asDouble());
        assertEquals(
                0.71, root.get("training_metrics").get("rewards/accuracies").asDouble());
        assertEquals(300.0, root.get("step_seconds").get("train").asDouble());
        assertFalse(root.get("eval").has("policy_accuracy"), "absent accuracy is left out, not null");
        assertEquals(first(), io.read(text));
        assertThrows(
                UncheckedIOException.class,
                () -> io.read("{\"iteration\":1,\"thought_mode\":\"none\"," + "\"surprise\":1}"));
    }

    @Test
    void tableHasOneAlignedRowPerIteration() {
        IterationReport seed = new IterationReport(0, ThoughtMode.SPECIFIC, null, null, eval(17.3), null, null);
        String table = ReportTable.render(List.of(seed, first()));
        List<String> lines = table.lines().toList();
        assertEquals(4, lines.size(), table);
        assertTrue(lines.get(0).startsWith("iter  mode"), lines.get(0));
        assertTrue(
                lines.get(0).contains("loss")
                        && lines.get(0).contains("rewards/accuracies")
                        && lines.get(0).contains("lc_win%"),
                lines.get(0));
        assertTrue(lines.get(1).matches("-+( +-+)+"), lines.get(1));
        for (String line : lines) {
            assertEquals(lines.get(1).length(), line.length(), "fixed width:\n" + table);
        }
        String[] seedCells = lines.get(2).trim().split(" +");
        String[] iterCells = lines.get(3).trim().split(" +");
        String[] headers = lines.get(0).trim().split(" +");
        assertEquals(headers.length, seedCells.length, table);
        assertEquals(headers.length, iterCells.length, table);
        assertEquals("-", seedCells[List.of(headers).indexOf("pairs")]);
        assertEquals("87", iterCells[List.of(headers).indexOf("pairs")]);
        assertEquals("0.6123", iterCells[List.of(headers).indexOf("loss")]);
        assertEquals("17.3", seedCells[List.of(headers).indexOf("win%")]);
        assertEquals("41.8", iterCells[List.of(headers).indexOf("lc_win%")]);
        assertEquals("451", iterCells[List.of(headers).indexOf("seconds")]);
        assertEquals("-", seedCells[List.of(headers).indexOf("seconds")]);
    }

    @Test
    void anUndefinedLcWinRateIsWrittenAsNullAndShownAsADash() throws Exception {
        EvalSummary allMalformed = new EvalSummary(
                16, ScoreKind.WIN_RATE, 0.0, 0.0, null, 0, 0, 16, Map.of(), 40.0, 0.0, 1.0, 100.0, 0, null, null);
        IterationReport seed = new IterationReport(0, ThoughtMode.SPECIFIC, null, null, allMalformed, null, null);
        ReportJson io = new ReportJson();
        String text = io.write(seed);
        JsonNode lc = new ObjectMapper().readTree(text).get("eval").get("lc_win_rate");
        assertTrue(lc != null && lc.isNull(), text);
        assertEquals(seed, io.read(text));
        List<String> lines = ReportTable.render(List.of(seed)).lines().toList();
        String[] headers = lines.get(0).trim().split(" +");
        assertEquals("-", lines.get(2).trim().split(" +")[List.of(headers).indexOf("lc_win%")]);
    }
}
