package dev.tpo.cli;

import dev.tpo.model.CausalLm;
import dev.tpo.model.GenerationDefaults;
import dev.tpo.model.ModelFolder;
import dev.tpo.model.generate.Generation;
import dev.tpo.model.generate.Generator;
import dev.tpo.model.generate.SamplingParams;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        description = {
            "Sample continuations with a KV cache.",
            "Id lines {\"input_ids\":[...]} give {\"output_ids\":[...]} (new tokens only).",
            "Text lines {\"prompt\":\"...\"} or {\"messages\":[...]} go through the chat template and give"
                    + " {\"text\":\"...\",\"output_ids\":[...],\"finish_reason\":\"...\"}.",
            "With --samples K, each input gives K lines in a row, each with its \"sample\" index."
        })
final class ModelGenerateCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true)
    Path model;

    @Option(names = "--input", required = true)
    Path input;

    @Option(names = "--output", required = true)
    Path output;

    @Option(names = "--max-new-tokens", required = true)
    int maxNewTokens;

    @Option(names = "--temperature", defaultValue = "0", description = "0 is greedy (default)")
    double temperature;

    @Option(names = "--top-p", defaultValue = "1.0")
    double topP;

    @Option(names = "--top-k", defaultValue = "0", description = "0 turns it off")
    int topK;

    @Option(names = "--seed", defaultValue = "0")
    long seed;

    @Option(names = "--samples", defaultValue = "1", description = "samples per prompt, sharing one prefill")
    int samples;

    @Option(names = "--stop", description = "stop a sample once its text contains this (repeatable)")
    List<String> stop = new ArrayList<>();

    @Option(
            names = "--eos",
            split = ",",
            description =
                    "end-of-sequence ids (default: from config.json," + " generation_config.json and the tokenizer)")
    List<Integer> eos;

    @Option(names = "--ignore-eos", description = "never stop at end-of-sequence tokens")
    boolean ignoreEos;

    @Option(names = "--batch-size", defaultValue = "64", description = "sample rows decoded together")
    int batchSize;

    @Option(names = "--raw-prompt", description = "tokenize text prompts as they are, without the chat template")
    boolean rawPrompt;

    @Mixin
    ComputeOptions compute;

    @Override
    public void run() {
        if (batchSize < 1) {
            throw new UsageException("--batch-size must be at least 1");
        }
        List<Jsonl.Line> lines = Jsonl.read(input);
        try (PromptEncoder encoder = new PromptEncoder(model, rawPrompt);
                CausalLm lm = ModelFolder.load(model, compute.resolve())) {
            List<int[]> prompts = new ArrayList<>();
            for (Jsonl.Line line : lines) {
                if (line.json().has("input_ids")) {
                    prompts.add(line.intArray("input_ids"));
                } else if (line.json().has("prompt") || line.json().has("messages")) {
                    prompts.add(encoder.prompt(line));
                } else {
                    throw line.error("expected 'input_ids', 'prompt' or 'messages'");
                }
            }
            ModelScoreCommand.checked(prompts, lines, lm.config().vocabSize());
            boolean hasTokenizer = Files.isRegularFile(model.resolve("tokenizer.json"));
            SamplingParams params = new SamplingParams(
                    temperature, topP, topK, maxNewTokens, eosIds(lm, encoder, hasTokenizer), stop, samples, seed);
            Generator generator = new Generator(lm, hasTokenizer ? encoder::decode : null, batchSize);
            ProgressBar bar = ProgressBar.on(spec.commandLine().getErr(), "generate", prompts.size(), "prompts");
            List<Generation> generations =
                    generator.generate(prompts, 0, params, (done, tokens) -> bar.update(done, tokens + " tokens"));
            bar.finish();
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Generation g : generations) {
                Map<String, Object> row = new LinkedHashMap<>();
                boolean text = !lines.get(g.promptIndex()).json().has("input_ids");
                if (text) {
                    row.put("text", encoder.decode(g.tokens()));
                }
                row.put("output_ids", g.tokens());
                if (text || samples > 1) {
                    row.put("finish_reason", g.finishReason());
                }
                if (samples > 1) {
                    row.put("sample", g.sampleIndex());
                }
                rows.add(row);
            }
            Jsonl.write(output, rows);
        }
    }

    private Set<Integer> eosIds(CausalLm lm, PromptEncoder encoder, boolean hasTokenizer) {
        if (ignoreEos) {
            return Set.of();
        }
        if (eos != null) {
            return new LinkedHashSet<>(eos);
        }
        Set<Integer> ids = new LinkedHashSet<>(GenerationDefaults.eosTokenIds(model, lm.config()));
        if (hasTokenizer) {
            encoder.tokenizer().eosTokenIds().forEach(id -> ids.add(Math.toIntExact(id)));
        }
        return ids;
    }
}
