package dev.tpo.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tpo.model.CausalLm;
import dev.tpo.model.Compute;
import dev.tpo.model.LoraSpec;
import dev.tpo.model.ModelFolder;
import dev.tpo.model.ModelInitializer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training must leave nothing behind in the model's manager, which lives as long as the model: a wrapper or scalar
 * left there per parameter per step grows memory and bookkeeping without bound on a long run.
 */
class ModelManagerStaysFlatTest {
    @TempDir
    Path tmp;

    private static List<SftExample> examples() {
        List<SftExample> out = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            out.add(new SftExample(new int[] {1, 3 + i}, new int[] {20 + i, 21 + i, 2}));
        }
        return out;
    }

    /** Clipping always on (a tiny max norm), weight decay on, a checkpoint every 2 steps. */
    private static TrainingConfig training() {
        return new TrainingConfig(
                1e-2, 2, 1, 1, 6, 0.0, 0, LrSchedulerType.LINEAR, 0.01, 0.9, 0.999, 1e-8, 1e-3, 7, 1, 2);
    }

    private static int arrays(CausalLm model) {
        return model.manager().getManagedArrays().size();
    }

    @Test
    void fullTrainingLeavesOnlyTheParameters() {
        try (CausalLm model = ModelInitializer.random(TinyConfigs.llama(), 5, Compute.cpu())) {
            int before = arrays(model);
            new SftTrainer(new SftConfig(training()), null)
                    .train(model, examples(), new TrainingRun(tmp.resolve("full"), null, null));
            assertEquals(before, arrays(model));
        }
    }

    @Test
    void loraTrainingAndItsCheckpointsLeaveOnlyTheParameters() {
        Path base = tmp.resolve("base");
        try (CausalLm model = ModelInitializer.random(TinyConfigs.llama(), 5, Compute.cpu())) {
            ModelFolder.save(model, base, null);
        }
        LoraSpec spec = LoraSpec.of(4, 8, 0.0, List.of("q_proj", "v_proj", "up_proj"));
        try (CausalLm model = ModelFolder.load(base, Compute.cpu(), spec, 3)) {
            int before = arrays(model);
            new SftTrainer(new SftConfig(training()), null)
                    .train(model, examples(), new TrainingRun(tmp.resolve("lora"), base, null));
            assertEquals(before, arrays(model));
        }
    }
}
