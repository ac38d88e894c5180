package dev.tpo.activities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpo.activities.rows.ShardPrompt;
import dev.tpo.api.ArtifactRef;
import dev.tpo.api.activities.SelectPromptsActivity;
import dev.tpo.api.steps.PromptSelection;
import dev.tpo.api.steps.SelectPromptsInput;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SelectPromptsStepTest {
    @TempDir
    Path tempDir;

    @Test
    void selectionIsDeterministicShardedAndWraps() {
        StepTestSupport t = new StepTestSupport(tempDir, "select");
        StringBuilder jsonl = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            jsonl.append("{\"id\":\"p")
                    .append(i)
                    .append("\",\"prompt\":\"question ")
                    .append(i)
                    .append("\"}\n");
        }
        ArtifactRef train = t.putText("inputs/train.jsonl", jsonl.toString());
        TestActivityEnvironment env = StepTestSupport.activityEnvironment(new SelectPromptsStep(t.services));
        try {
            SelectPromptsActivity select =
                    env.newActivityStub(SelectPromptsActivity.class, StepTestSupport.ONE_ATTEMPT);
            PromptSelection first = select.selectPrompts(new SelectPromptsInput(t.run, 1, train, 3, 7L, 2));
            assertEquals(3, first.promptCount());
            assertEquals(2, first.shards().size());
            assertFalse(first.wrapped());
            List<String> shardIds = new ArrayList<>();
            for (ArtifactRef shard : first.shards()) {
                for (ShardPrompt p : t.services.json().readJsonl(StepTestSupport.bytes(shard), ShardPrompt.class)) {
                    shardIds.add(p.id());
                    assertEquals(shardIds.size() - 1, p.index(), "shards are contiguous slices in order");
                }
            }
            String prompts = new String(StepTestSupport.bytes(first.prompts()), StandardCharsets.UTF_8);
            for (String id : shardIds) {
                assertTrue(prompts.contains("\"" + id + "\""));
            }

            PromptSelection again = select.selectPrompts(new SelectPromptsInput(t.run, 1, train, 3, 7L, 2));
            assertEquals(first, again);

            PromptSelection second = select.selectPrompts(new SelectPromptsInput(t.run, 2, train, 3, 7L, 2));
            assertTrue(second.wrapped(), "5 prompts cannot give two fresh sets of 3");
            List<Integer> order = SelectPromptsStep.permutation(5, 7L);
            List<String> secondIds = new ArrayList<>();
            for (ArtifactRef shard : second.shards()) {
                t.services
                        .json()
                        .readJsonl(StepTestSupport.bytes(shard), ShardPrompt.class)
                        .forEach(p -> secondIds.add(p.id()));
            }
            assertEquals(List.of("p" + order.get(3), "p" + order.get(4), "p" + order.get(0)), secondIds);
            assertEquals(List.of("p" + order.get(0), "p" + order.get(1), "p" + order.get(2)), shardIds);
        } finally {
            env.close();
        }
    }
}
