package dev.tpo.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingDataTest {
    @TempDir
    Path tmp;

    @Test
    void readsPairsAndNamesFileAndLineOfMalformedOnes() throws Exception {
        Path f = tmp.resolve("pairs.jsonl");
        Files.writeString(f, "{\"prompt_ids\":[1,2],\"chosen_ids\":[3],\"rejected_ids\":[4,5],"
                + "\"ref_chosen_logp\":-1.5,\"ref_rejected_logp\":-2}\n\n"
                + "{\"prompt_ids\":[1],\"chosen_ids\":[3],\"rejected_ids\":[\"x\"],"
                + "\"ref_chosen_logp\":-1,\"ref_rejected_logp\":-2}\n");
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> new TrainingData().readPairs(f, true));
        assertTrue(e.getMessage().startsWith(f + ":3: 'rejected_ids'[0]"), e.getMessage());
        Files.writeString(f, "{\"prompt_ids\":[1,2],\"chosen_ids\":[3],\"rejected_ids\":[4,5],"
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
        Files.writeString(f, "{\"prompt_ids\":[1,2],\"completion_ids\":[3,4]}\n{\"prompt_ids\":[],\"completion_ids\":[3]}\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> new TrainingData().readSft(f));
        assertTrue(e.getMessage().startsWith(f + ":2: 'prompt_ids' is empty"), e.getMessage());
    }
}
