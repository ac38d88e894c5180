package dev.tpo.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingDataTest {
    @TempDir
    Path tmp;

    @Test
    void readsPairsAndNamesFileAndLineOfMalformedOnes() throws Exception {
        Path f = tmp.resolve("pairs.jsonl");
        Files.writeString(
                f,
                "{\"prompt_ids\":[1,2],\"chosen_ids\":[3],\"rejected_ids\":[4,5],"
                        + "\"ref_chosen_logp\":-1.5,\"ref_rejected_logp\":-2}\n\n"
                        + "{\"prompt_ids\":[1],\"chosen_ids\":[3],\"rejected_ids\":[\"x\"],"
                        + "\"ref_chosen_logp\":-1,\"ref_rejected_logp\":-2}\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> new TrainingData().readPairs(f, true));
        assertTrue(e.getMessage().startsWith(f + ":3: 'rejected_ids'[0]"), e.getMessage());
        Files.writeString(
                f,
                "{\"prompt_ids\":[1,2],\"chosen_ids\":[3],\"rejected_ids\":[4,5],"
                        + "\"ref_chosen_logp\":-1.5,\"ref_rejected_logp\":-2}\n{not json\n");
        e = assertThrows(DataFormatException.class, () -> new TrainingData().readPairs(f, true));
        assertTrue(e.getMessage().startsWith(f + ":2: not valid JSON"), e.getMessage());
        Files.writeString(f, "{\"prompt_ids\":[1,2],\"chosen_ids\":[3],\"rejected_ids\":[4,5]}\n");
        e = assertThrows(DataFormatException.class, () -> new TrainingData().readPairs(f, true));
        assertTrue(e.getMessage().contains(":1: 'ref_chosen_logp'"), e.getMessage());
        List<PreferencePair> unscored = new TrainingData().readPairs(f, false);
        assertEquals(1, unscored.size());
        assertEquals(5, unscored.get(0).rejectedIds()[1]);
    }

    @Test
    void readsSftExamples() throws Exception {
        Path f = tmp.resolve("sft.jsonl");
        Files.writeString(
                f, "{\"prompt_ids\":[1,2],\"completion_ids\":[3,4]}\n{\"prompt_ids\":[],\"completion_ids\":[3]}\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> new TrainingData().readSft(f));
        assertTrue(e.getMessage().startsWith(f + ":2: 'prompt_ids' is empty"), e.getMessage());
    }

    @Test
    void writesPairsAsBeforeAndReadsThemBack() throws Exception {
        Path f = tmp.resolve("pairs-with-ref.jsonl");
        new TrainingData()
                .writePairs(
                        f,
                        List.of(
                                new PreferencePair(new int[] {1, 2}, new int[] {3}, new int[] {4, 5}, -1.5, -2.0),
                                new PreferencePair(new int[] {1}, new int[] {3}, new int[] {4}, Double.NaN, -2.0)));
        assertEquals(
                "{\"prompt_ids\":[1,2],\"chosen_ids\":[3],\"rejected_ids\":[4,5],\"ref_chosen_logp\":-1.5,"
                        + "\"ref_rejected_logp\":-2.0}\n{\"prompt_ids\":[1],\"chosen_ids\":[3],\"rejected_ids\":[4]}\n",
                Files.readString(f));
        List<PreferencePair> read = new TrainingData().readPairs(f, false);
        assertEquals(-1.5, read.get(0).refChosenLogp());
        assertTrue(Double.isNaN(read.get(1).refRejectedLogp()));
    }

    @Test
    void readsThePairingStepsRowsIgnoringWhatTheTrainerDoesNotUse() throws Exception {
        PairRow row = new PairRow(
                "p1",
                new int[] {1, 2},
                new int[] {3},
                new int[] {4, 5},
                "Q",
                "T <R> A",
                "B",
                4,
                1,
                1.0,
                null,
                false,
                "T",
                "A",
                null,
                null,
                null,
                null);
        String line = JsonMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .build()
                .writeValueAsString(row);
        assertEquals(
                "{\"prompt_id\":\"p1\",\"prompt_ids\":[1,2],\"chosen_ids\":[3],\"rejected_ids\":[4,5],"
                        + "\"prompt\":\"Q\",\"chosen\":\"T <R> A\",\"rejected\":\"B\",\"chosen_index\":4,\"rejected_index\":1,"
                        + "\"chosen_score\":1.0,\"rejected_score\":null,\"rejected_malformed\":false,\"chosen_thought\":\"T\","
                        + "\"chosen_response\":\"A\",\"rejected_thought\":null,\"rejected_response\":null}",
                line);
        Path f = tmp.resolve("pairs.jsonl");
        // A hand-made file may use the pairing step's field names for something else: the trainer ignores them.
        Files.writeString(f, line + "\n" + line.replace("\"chosen_score\":1.0", "\"chosen_score\":\"high\"") + "\n");
        List<PreferencePair> read = new TrainingData().readPairs(f, false);
        assertEquals(2, read.size());
        assertEquals(5, read.get(1).rejectedIds()[1]);
    }

    @Test
    void coercesNothing() throws Exception {
        Path f = tmp.resolve("pairs.jsonl");
        String good = "\"chosen_ids\":[3],\"rejected_ids\":[4],\"ref_chosen_logp\":-1,\"ref_rejected_logp\":-2";
        Map<String, String> bad = Map.of(
                "{\"prompt_ids\":[1.5]," + good + "}",
                ":1: 'prompt_ids'[0] = 1.5 is not a non-negative integer",
                "{\"prompt_ids\":[\"7\"]," + good + "}",
                ":1: 'prompt_ids'[0] = \"7\" is not",
                "{\"prompt_ids\":[-1]," + good + "}",
                ":1: 'prompt_ids'[0] = -1 is not",
                "{\"prompt_ids\":[null]," + good + "}",
                ":1: 'prompt_ids'[0] = null is not",
                "{\"prompt_ids\":[3000000000]," + good + "}",
                ":1: 'prompt_ids'[0] = 3000000000 is not",
                "{\"prompt_ids\":7," + good + "}",
                ":1: 'prompt_ids' must be an array of token ids",
                "{\"prompt\":7," + good + "}",
                ":1: 'prompt' must be a string",
                "{\"prompt\":[\"a\"]," + good + "}",
                ":1: 'prompt' must be a string",
                "{\"prompt_ids\":[1]," + good.replace("-1,", "\"-1\",") + "}",
                ":1: 'ref_chosen_logp' must be a finite",
                "[1]",
                ":1: expected a JSON object");
        for (Map.Entry<String, String> e : bad.entrySet()) {
            Files.writeString(f, e.getKey() + "\n");
            DataFormatException x = assertThrows(
                    DataFormatException.class,
                    () -> new TrainingData().readPairs(f, true, new TextEncoder() {
                        @Override
                        public int[] prompt(String text) {
                            return new int[] {1};
                        }

                        @Override
                        public int[] completion(String text) {
                            return new int[] {2};
                        }
                    }),
                    e.getKey());
            assertTrue(x.getMessage().startsWith(f + e.getValue()), e.getKey() + " -> " + x.getMessage());
        }
    }
}
