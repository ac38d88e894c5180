package dev.tpo.cli;

import dev.tpo.model.CausalLm;
import dev.tpo.model.ModelFolder;
import dev.tpo.train.Checkpoint;
import dev.tpo.train.DataFormatException;
import dev.tpo.train.DpoConfig;
import dev.tpo.train.DpoLossType;
import dev.tpo.train.DpoTrainer;
import dev.tpo.train.PreferencePair;
import dev.tpo.train.ReferenceLogProbs;
import dev.tpo.train.SftConfig;
import dev.tpo.train.SftTrainer;
import dev.tpo.train.TrainingData;
import dev.tpo.train.TrainingRun;
import dev.tpo.train.TrainingSummary;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tpo train dpo|sft|ref-logps}: the trainers on their own, resumable from the output's checkpoints. */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description = "DPO and SFT training.",
        subcommands = {TrainCommand.Dpo.class, TrainCommand.Sft.class, TrainCommand.RefLogps.class})
final class TrainCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    /** Where to start: the newest checkpoint under --output unless --no-resume (said on {@code err}). */
    static TrainingRun trainingRun(Path model, Path out, boolean noResume, PrintWriter err) {
        Path resume = noResume ? null : Checkpoint.latest(out).orElse(null);
        if (resume != null) {
            err.println("resuming from " + resume);
        }
        return new TrainingRun(out, model, resume);
    }

    /** The summary line on {@code err}, the final metrics (the command's output) on {@code out}. */
    static void done(TrainingSummary summary, CommandLine cli) {
        cli.getErr().printf("done: %d steps, model in %s%n", summary.globalStep(), summary.modelDir());
        summary.metrics().forEach((k, v) -> cli.getOut().println(k + " = " + v));
    }

    static RuntimeException dataError(DataFormatException e) {
        return new UsageException(e.getMessage(), e);
    }

    @Command(
            name = "dpo",
            mixinStandardHelpOptions = true,
            description = {
                "Train with DPO on pairs JSONL: {\"prompt_ids\":[..],\"chosen_ids\":[..],"
                        + "\"rejected_ids\":[..],\"ref_chosen_logp\":x,\"ref_rejected_logp\":y}, or the text form "
                        + "{\"prompt\":\"<chat-formatted>\",\"chosen\":\"..\",\"rejected\":\"..\"} (the model's tokenizer; "
                        + "completions get EOS).",
                "Pairs without reference log-probs get them from the starting model first (written to"
                        + " OUT/pairs-with-ref.jsonl)."
            })
    static final class Dpo implements Runnable {
        @Spec
        CommandSpec spec;

        @Option(names = "--model", required = true)
        Path model;

        @Option(names = "--pairs", required = true)
        Path pairs;

        /** Checkpoints and the trained model. */
        @ArgGroup(exclusive = true, multiplicity = "1")
        OutputDir output;

        @Option(names = "--beta", defaultValue = "0.1")
        double beta;

        @Option(names = "--loss-type", defaultValue = "sigmoid", description = "sigmoid, ipo or hinge")
        String lossType;

        @Option(names = "--label-smoothing", defaultValue = "0.0")
        double labelSmoothing;

        @Option(names = "--no-resume", description = "ignore checkpoints already under --output")
        boolean noResume;

        @Mixin
        TrainingOptions training;

        @Mixin
        ComputeOptions compute;

        @Mixin
        LoraOptions lora;

        @Override
        public void run() {
            DpoConfig config =
                    new DpoConfig(beta, DpoLossType.parse(lossType), labelSmoothing, training.toConfig(5e-7));
            List<PreferencePair> data;
            TrainingData io = new TrainingData();
            try (TokenizerTextEncoder text = TokenizerTextEncoder.openIfPresent(model)) {
                data = io.readPairs(pairs, false, text);
            } catch (DataFormatException e) {
                throw dataError(e);
            }
            try (CausalLm lm = lora.load(model, compute.resolve(), training.seed)) {
                if (data.stream().anyMatch(p -> !Double.isFinite(p.refChosenLogp()))) {
                    spec.commandLine().getErr().println("computing reference log-probs with the starting model");
                    data = new ReferenceLogProbs(lm, training.batchSize).annotate(data);
                    try {
                        java.nio.file.Files.createDirectories(output.dir);
                    } catch (java.io.IOException e) {
                        throw new UsageException("cannot create " + output.dir + ": " + e.getMessage(), e);
                    }
                    io.writePairs(output.dir.resolve("pairs-with-ref.jsonl"), data);
                }
                PrintWriter err = spec.commandLine().getErr();
                done(
                        new DpoTrainer(config, new ProgressPrinter("dpo", err))
                                .train(lm, data, trainingRun(model, output.dir, noResume, err)),
                        spec.commandLine());
            }
        }
    }

    @Command(
            name = "sft",
            mixinStandardHelpOptions = true,
            description =
                    "Supervised fine-tuning on {\"prompt_ids\":[..],\"completion_ids\":[..]} or"
                            + " {\"prompt\":\"<chat-formatted>\",\"completion\":\"..\"} lines (loss on completion tokens only).")
    static final class Sft implements Runnable {
        @Spec
        CommandSpec spec;

        @Option(names = "--model", required = true)
        Path model;

        @Option(names = "--data", required = true)
        Path data;

        /** Checkpoints and the trained model. */
        @ArgGroup(exclusive = true, multiplicity = "1")
        OutputDir output;

        @Option(names = "--no-resume", description = "ignore checkpoints already under --output")
        boolean noResume;

        @Mixin
        TrainingOptions training;

        @Mixin
        ComputeOptions compute;

        @Mixin
        LoraOptions lora;

        @Override
        public void run() {
            SftConfig config = new SftConfig(training.toConfig(2e-5));
            var examples = readSft();
            try (CausalLm lm = lora.load(model, compute.resolve(), training.seed)) {
                PrintWriter err = spec.commandLine().getErr();
                done(
                        new SftTrainer(config, new ProgressPrinter("sft", err))
                                .train(lm, examples, trainingRun(model, output.dir, noResume, err)),
                        spec.commandLine());
            }
        }

        private List<dev.tpo.train.SftExample> readSft() {
            try (TokenizerTextEncoder text = TokenizerTextEncoder.openIfPresent(model)) {
                return new TrainingData().readSft(data, text);
            } catch (DataFormatException e) {
                throw dataError(e);
            }
        }
    }

    @Command(
            name = "ref-logps",
            mixinStandardHelpOptions = true,
            description = "Add the model's summed completion log-probs (ref_chosen_logp, ref_rejected_logp) to pairs.")
    static final class RefLogps implements Runnable {
        @Option(names = "--model", required = true)
        Path model;

        @Option(names = "--pairs", required = true)
        Path pairs;

        @Option(names = "--output", required = true)
        Path output;

        @Option(names = "--batch-size", defaultValue = "8")
        int batchSize;

        @Mixin
        ComputeOptions compute;

        @Override
        public void run() {
            try (CausalLm lm = ModelFolder.load(model, compute.resolve());
                    TokenizerTextEncoder text = TokenizerTextEncoder.openIfPresent(model)) {
                new ReferenceLogProbs(lm, batchSize).annotateFile(pairs, output, text);
            } catch (DataFormatException e) {
                throw dataError(e);
            }
        }
    }
}
