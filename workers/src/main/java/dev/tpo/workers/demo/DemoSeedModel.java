package dev.tpo.workers.demo;

import dev.tpo.demo.synthetic.DemoPreset;
import dev.tpo.model.CausalLm;
import dev.tpo.model.Compute;
import dev.tpo.model.ModelFolder;
import dev.tpo.model.ModelInitializer;
import dev.tpo.train.LrSchedulerType;
import dev.tpo.train.SftConfig;
import dev.tpo.train.SftExample;
import dev.tpo.train.SftTrainer;
import dev.tpo.train.TrainingConfig;
import dev.tpo.train.TrainingData;
import dev.tpo.train.TrainingListener;
import dev.tpo.train.TrainingRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The demo's seed policy: a tiny random Llama taught the thought formats by SFT on the suite's seed data. Made
 * once per preset and cached, so a second demo starts at TPO; the cache key covers everything that shapes it.
 */
public final class DemoSeedModel {
    private final Path cacheDir;
    private final TrainingListener progress;

    public DemoSeedModel(Path cacheDir, TrainingListener progress) {
        this.cacheDir = cacheDir;
        this.progress = progress;
    }

    /** The cached seed folder for the preset, trained now if absent (or if {@code retrain}). */
    public Path ensure(DemoPreset preset, Path suiteDir, String cacheKey, boolean retrain) {
        Path seed = cacheDir.resolve("seed-" + cacheKey);
        if (!retrain && Files.isRegularFile(seed.resolve("model.safetensors"))) {
            return seed;
        }
        Path work = cacheDir.resolve(".seed-" + cacheKey + ".tmp");
        try {
            DemoFiles.deleteTree(work);
            Path init = work.resolve("init");
            try (CausalLm model = ModelInitializer.random(preset.model().toConfig(), preset.seed(), Compute.cpu())) {
                ModelFolder.save(model, init, suiteDir.resolve("tokenizer"));
            }
            List<SftExample> examples = new TrainingData().readSft(suiteDir.resolve("sft.jsonl"));
            DemoPreset.SftSettings sft = preset.sft();
            TrainingConfig training = new TrainingConfig(
                    sft.learningRate(),
                    sft.batchSize(),
                    1,
                    sft.epochs(),
                    0,
                    sft.warmupRatio(),
                    0,
                    LrSchedulerType.parse(sft.scheduler()),
                    0.0,
                    0.9,
                    0.999,
                    1e-8,
                    1.0,
                    preset.seed(),
                    50,
                    0);
            Path trained = work.resolve("sft");
            try (CausalLm model = ModelFolder.load(init, Compute.cpu())) {
                new SftTrainer(new SftConfig(training), progress)
                        .train(model, examples, new TrainingRun(trained, init, null));
            }
            DemoFiles.deleteCheckpoints(trained);
            DemoFiles.deleteTree(seed);
            Files.createDirectories(cacheDir);
            Files.move(trained, seed, StandardCopyOption.ATOMIC_MOVE);
            DemoFiles.deleteTree(work);
            return seed;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot make the demo seed model under " + cacheDir + ": " + e.getMessage(), e);
        }
    }
}
