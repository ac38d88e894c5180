package dev.tpo.activities;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.tpo.activities.rows.GenerationRow;
import dev.tpo.activities.rows.JudgementRow;
import dev.tpo.api.ArtifactRef;
import dev.tpo.api.activities.JudgeActivity;
import dev.tpo.api.activities.PairActivity;
import dev.tpo.api.spec.ComputeSettings;
import dev.tpo.api.spec.JudgeSettings;
import dev.tpo.api.spec.PairingSettings;
import dev.tpo.api.steps.JudgeInput;
import dev.tpo.api.steps.JudgeOutput;
import dev.tpo.api.steps.PairInput;
import dev.tpo.api.steps.PairOutput;
import dev.tpo.train.PairRow;
import dev.tpo.train.PreferencePair;
import dev.tpo.train.TrainingData;
import io.temporal.testing.TestActivityEnvironment;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 5, unit = TimeUnit.MINUTES)
class JudgeAndPairStepTest {
    @TempDir
    Path tempDir;

    /** Two prompts with three samples each; sample 2 of q1 is malformed. */
    static ArtifactRef generations(StepTestSupport t) {
        List<GenerationRow> rows = List.of(
                row("q1", 0, "7", "4", false, new int[] {11, 12}),
                row("q1", 1, "7", "7", false, new int[] {13, 14, 15}),
                row("q1", 2, "7", "", true, new int[] {16}),
                row("q2", 0, "paris", "Paris", false, new int[] {21}),
                row("q2", 1, "paris", "London", false, new int[] {22, 23}),
                row("q2", 2, "paris", "Rome", false, new int[] {24, 25, 26}));
        return t.store.putBytes("gen/generations-000.jsonl", t.services.json().jsonl(rows));
    }

    private static GenerationRow row(
            String id, int sample, String reference, String response, boolean malformed, int[] completion) {
        return new GenerationRow(
                id,
                sample,
                "question " + id,
                "math",
                reference,
                new int[] {1, 2, 3},
                completion,
                "thinking <R> " + response,
                "thinking",
                response,
                malformed,
                malformed ? "no response" : null,
                response.length(),
                "eos");
    }

    @Test
    void verifierScoresResponsesAndPairsAreTrainerReadable() throws IOException {
        StepTestSupport t = new StepTestSupport(tempDir, "judge");
        ArtifactRef generations = generations(t);
        TestActivityEnvironment env =
                StepTestSupport.activityEnvironment(new JudgeStep(t.services), new PairStep(t.services));
        try {
            JudgeOutput judged = env.newActivityStub(JudgeActivity.class, StepTestSupport.ONE_ATTEMPT)
                    .judge(new JudgeInput(
                            t.run,
                            1,
                            0,
                            List.of(generations),
                            JudgeSettings.defaults(),
                            null,
                            ComputeSettings.defaults()));
            assertFalse(judged.reused());
            assertEquals(5, judged.scored());
            assertEquals(1, judged.malformedSkipped());
            List<JudgementRow> rows =
                    t.services.json().readJsonl(StepTestSupport.bytes(judged.judgements()), JudgementRow.class);
            assertEquals(
                    List.of(0.0, 1.0), List.of(rows.get(0).score(), rows.get(1).score()));
            assertNull(rows.get(2).score(), "a malformed sample is never judged");
            assertEquals(
                    List.of(1.0, 0.0, 0.0),
                    List.of(
                            rows.get(3).score(),
                            rows.get(4).score(),
                            rows.get(5).score()));

            PairOutput pairs = env.newActivityStub(PairActivity.class, StepTestSupport.ONE_ATTEMPT)
                    .pair(new PairInput(
                            t.run, 1, List.of(generations), List.of(judged.judgements()), PairingSettings.defaults()));
            assertEquals(2, pairs.summary().pairs());
            assertEquals(6, pairs.summary().samples());
            assertEquals(1, pairs.summary().malformedSamples());
            Path local = tempDir.resolve("pairs.jsonl");
            t.services.runStores().all().fetch(pairs.pairs(), local);
            List<PreferencePair> read = new TrainingData().readPairs(local, false);
            assertEquals(2, read.size());
            assertArrayEquals(new int[] {1, 2, 3}, read.get(0).promptIds());
            assertArrayEquals(new int[] {13, 14, 15}, read.get(0).chosenIds());
            assertArrayEquals(new int[] {11, 12}, read.get(0).rejectedIds());
            assertArrayEquals(new int[] {21}, read.get(1).chosenIds());
            // Ties between the two wrong answers go to the lower sample index.
            assertArrayEquals(new int[] {22, 23}, read.get(1).rejectedIds());
            List<PairRow> readable = t.services.json().readJsonl(StepTestSupport.bytes(pairs.pairs()), PairRow.class);
            assertEquals("thinking <R> 7", readable.get(0).chosen());

            JudgeOutput again = env.newActivityStub(JudgeActivity.class, StepTestSupport.ONE_ATTEMPT)
                    .judge(new JudgeInput(
                            t.run,
                            1,
                            0,
                            List.of(generations),
                            JudgeSettings.defaults(),
                            null,
                            ComputeSettings.defaults()));
            assertEquals(judged.judgements(), again.judgements());
            assertEquals(true, again.reused());

            // Stored pairs changed after the upload are not reused: the step computes them again, bit for bit.
            Path pairsFile = Path.of(URI.create(pairs.pairs().uri()));
            byte[] original = Files.readAllBytes(pairsFile);
            Files.writeString(pairsFile, new String(original, StandardCharsets.UTF_8).replace("thinking", "THINKING"));
            PairOutput recomputed = env.newActivityStub(PairActivity.class, StepTestSupport.ONE_ATTEMPT)
                    .pair(new PairInput(
                            t.run, 1, List.of(generations), List.of(judged.judgements()), PairingSettings.defaults()));
            assertEquals(pairs, recomputed);
            assertArrayEquals(original, Files.readAllBytes(pairsFile));

            // A retry (its worker died after storing the pairs) reuses them: with the judgements gone it reads no
            // input, and the pairs and their summary come back as stored.
            Files.delete(Path.of(URI.create(judged.judgements().uri())));
            PairOutput retried = env.newActivityStub(PairActivity.class, StepTestSupport.ONE_ATTEMPT)
                    .pair(new PairInput(
                            t.run, 1, List.of(generations), List.of(judged.judgements()), PairingSettings.defaults()));
            assertEquals(pairs, retried);
        } finally {
            env.close();
        }
    }
}
