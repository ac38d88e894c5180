package dev.tpo.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tpo.model.CausalLm;
import dev.tpo.model.Compute;
import dev.tpo.model.ModelInitializer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Workers train on pool threads, where PyTorch's per-thread autograd switch starts on. */
class TrainOnAnyThreadTest {
    @TempDir
    Path tmp;

    @Test
    void trainingOnAFreshThreadWorks() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            TrainingSummary summary = pool.submit(() -> {
                        try (CausalLm model = ModelInitializer.random(TinyConfigs.llama(), 3, Compute.cpu())) {
                            List<SftExample> examples =
                                    List.of(new SftExample(new int[] {1, 4, 5}, new int[] {6, 7, 2}));
                            TrainingConfig config = new TrainingConfig(
                                    1e-2,
                                    1,
                                    1,
                                    2,
                                    0,
                                    0.0,
                                    0,
                                    LrSchedulerType.LINEAR,
                                    0.0,
                                    0.9,
                                    0.999,
                                    1e-8,
                                    1.0,
                                    1,
                                    1,
                                    0);
                            return new SftTrainer(new SftConfig(config), null)
                                    .train(model, examples, new TrainingRun(tmp.resolve("out"), null, null));
                        }
                    })
                    .get();
            assertEquals(2, summary.globalStep());
        } finally {
            pool.shutdownNow();
        }
    }
}
