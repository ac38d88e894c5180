package dev.tpo.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Where a run stands after {@code globalStep} optimiser steps: the next example is position
 * {@code indexInEpoch} of epoch {@code epoch}'s shuffle. The data order is a function of (seed, epoch), so this
 * is the whole random state; there is no dropout without LoRA.
 *
 * @param globalStep   optimiser steps taken (also the scheduler's step)
 * @param totalSteps   steps the schedule was built for
 * @param epoch        0-based epoch of the next example
 * @param indexInEpoch position of the next example in that epoch's order
 * @param seed         the data-order seed
 * @param tokensSeen   tokens processed so far
 */
public record TrainerState(int globalStep, int totalSteps, int epoch, int indexInEpoch, long seed, long tokensSeen) {
    public static final String FILE = "trainer_state.json";

    public ObjectNode toJson(ObjectMapper json) {
        ObjectNode n = json.createObjectNode();
        n.put("global_step", globalStep);
        n.put("max_steps", totalSteps);
        n.put("epoch", epoch);
        n.put("index_in_epoch", indexInEpoch);
        n.put("seed", seed);
        n.put("tokens_seen", tokensSeen);
        n.put("optimizer_step", globalStep);
        n.put("data_order", "per-epoch shuffle seeded by (seed, epoch)");
        return n;
    }

    public static TrainerState read(Path file) {
        try {
            JsonNode n = new ObjectMapper().readTree(file.toFile());
            return new TrainerState(
                    n.get("global_step").asInt(),
                    n.get("max_steps").asInt(),
                    n.get("epoch").asInt(),
                    n.get("index_in_epoch").asInt(),
                    n.get("seed").asLong(),
                    n.get("tokens_seen").asLong());
        } catch (IOException | NullPointerException e) {
            throw new UncheckedIOException(
                    "unreadable trainer state " + file + ": " + e.getMessage(),
                    e instanceof IOException io ? io : new IOException(e));
        }
    }
}
