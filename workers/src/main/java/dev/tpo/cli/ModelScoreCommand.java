package dev.tpo.cli;

import dev.tpo.model.CausalLm;
import dev.tpo.model.ModelFolder;
import dev.tpo.model.TokenIds;
import dev.tpo.model.score.ScoredSequence;
import dev.tpo.model.score.Scorer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "score",
        mixinStandardHelpOptions = true,
        description = {
            "Per-token log-probabilities.",
            "Id lines {\"input_ids\":[...]} give {\"logprobs\":[...]}: log p(token t | tokens before t), t = 1..n-1.",
            "Text lines {\"prompt\":\"...\",\"completion\":\"...\"} give the completion's token log-probs, sum and mean."
        })
final class ModelScoreCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true)
    Path model;

    @Option(names = "--input", required = true)
    Path input;

    @Option(names = "--output", required = true)
    Path output;

    @Option(names = "--batch-size", defaultValue = "16", description = "sequences per forward pass")
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
        List<int[]> sequences = new ArrayList<>();
        int[] completionStart = new int[lines.size()];
        boolean[] text = new boolean[lines.size()];
        try (PromptEncoder encoder = new PromptEncoder(model, rawPrompt)) {
            for (int i = 0; i < lines.size(); i++) {
                Jsonl.Line line = lines.get(i);
                if (line.json().has("input_ids")) {
                    int[] ids = line.intArray("input_ids");
                    sequences.add(ids);
                    completionStart[i] = 1;
                } else if (line.json().has("completion")) {
                    int[] prompt = encoder.prompt(line);
                    int[] completion = encoder.completion(line.text("completion"));
                    int[] all = new int[prompt.length + completion.length];
                    System.arraycopy(prompt, 0, all, 0, prompt.length);
                    System.arraycopy(completion, 0, all, prompt.length, completion.length);
                    sequences.add(all);
                    completionStart[i] = prompt.length;
                    text[i] = true;
                } else {
                    throw line.error("expected 'input_ids', or 'prompt' (or 'messages') with 'completion'");
                }
            }
        }
        List<ScoredSequence> scored;
        try (CausalLm lm = ModelFolder.load(model, compute.resolve())) {
            ProgressBar bar = ProgressBar.on(spec.commandLine().getErr(), "score", sequences.size(), "sequences");
            scored = new Scorer(lm, batchSize)
                    .score(
                            checked(sequences, lines, lm.config().vocabSize()),
                            completionStart,
                            done -> bar.update(done, ""));
            bar.finish();
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < scored.size(); i++) {
            ScoredSequence s = scored.get(i);
            Map<String, Object> row = new LinkedHashMap<>();
            if (text[i]) {
                float[] all = s.tokenLogProbs();
                int from = Math.max(0, completionStart[i] - 1);
                row.put("completion_tokens", s.completionTokens());
                row.put("logprobs", java.util.Arrays.copyOfRange(all, from, all.length));
                row.put("sum", s.sum());
                row.put("mean", s.mean());
            } else {
                row.put("logprobs", s.tokenLogProbs());
            }
            rows.add(row);
        }
        Jsonl.write(output, rows);
    }

    /** Sequences with the line that produced them named in range errors. */
    static List<int[]> checked(List<int[]> sequences, List<Jsonl.Line> lines, int vocab) {
        for (int i = 0; i < sequences.size(); i++) {
            Jsonl.Line line = lines.get(i);
            if (sequences.get(i).length == 0) {
                throw line.error("empty sequence");
            }
            TokenIds.check(sequences.get(i), vocab, line.file() + ":" + line.number());
        }
        return sequences;
    }
}
