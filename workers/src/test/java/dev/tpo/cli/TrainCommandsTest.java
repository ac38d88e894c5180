package dev.tpo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainCommandsTest {
    @TempDir
    Path dir;

    private Path tinyModel() throws Exception {
        Path config = dir.resolve("config.json");
        Files.writeString(
                config,
                "{\"architectures\":[\"LlamaForCausalLM\"],\"model_type\":\"llama\","
                        + "\"vocab_size\":64,\"hidden_size\":16,\"intermediate_size\":32,\"num_hidden_layers\":2,"
                        + "\"num_attention_heads\":2,\"eos_token_id\":2}");
        Path model = dir.resolve("model");
        assertEquals(
                0, TpoCommand.execute("model", "init", "--config", config.toString(), "--output", model.toString()));
        return model;
    }

    @Test
    void dpoFromPairsWithoutReferenceWritesModelCheckpointAndMetrics() throws Exception {
        Path model = tinyModel();
        Path pairs = dir.resolve("pairs.jsonl");
        Files.writeString(
                pairs,
                "{\"prompt_ids\":[1,5,6],\"chosen_ids\":[7,8,9],\"rejected_ids\":[10,11]}\n"
                        + "{\"prompt_ids\":[1,15],\"chosen_ids\":[17,18],\"rejected_ids\":[20,21,22]}\n");
        Path out = dir.resolve("dpo");
        CommandOutput result = CommandOutput.run(
                "train",
                "dpo",
                "--model",
                model.toString(),
                "--pairs",
                pairs.toString(),
                "--output",
                out.toString(),
                "--learning-rate",
                "1e-2",
                "--batch-size",
                "2",
                "--num-train-epochs",
                "3",
                "--logging-steps",
                "1",
                "--save-steps",
                "0");
        assertEquals(0, result.exitCode(), result.toString());
        // Through the command's writers: progress and the summary line on err, the final metrics on out.
        assertTrue(
                result.err().contains("computing reference log-probs")
                        && result.err().contains("done: 3 steps"),
                result.toString());
        assertTrue(
                result.out().lines().allMatch(l -> l.contains(" = "))
                        && !result.out().isEmpty(),
                result.toString());
        assertTrue(Files.isRegularFile(out.resolve("model.safetensors")));
        assertTrue(Files.isRegularFile(out.resolve("pairs-with-ref.jsonl")));
        assertTrue(Files.isDirectory(out.resolve("checkpoint-3")));
        String metrics = Files.readString(out.resolve("metrics.jsonl"));
        assertEquals(3, metrics.lines().count());
        assertTrue(metrics.contains("rewards/margins") && metrics.contains("grad_norm"));
    }

    @Test
    void malformedPairsLineIsNamedWithExitCode2() throws Exception {
        Path model = tinyModel();
        Path pairs = dir.resolve("bad.jsonl");
        Files.writeString(
                pairs, "{\"prompt_ids\":[1,5,6],\"chosen_ids\":[7],\"rejected_ids\":[10]}\n{\"prompt_ids\":\n");
        CommandOutput result = CommandOutput.run(
                "train",
                "dpo",
                "--model",
                model.toString(),
                "--pairs",
                pairs.toString(),
                "--output",
                dir.resolve("o").toString());
        assertEquals(2, result.exitCode(), result.toString());
        assertTrue(result.err().contains("bad.jsonl:2"), result.toString());
    }

    @Test
    void dpoWithLoraSavesAMergedFolderAndRejectsUnknownTargets() throws Exception {
        Path model = tinyModel();
        Path pairs = dir.resolve("pairs.jsonl");
        Files.writeString(pairs, "{\"prompt_ids\":[1,5,6],\"chosen_ids\":[7,8,9],\"rejected_ids\":[10,11]}\n");
        Path out = dir.resolve("lora");
        assertEquals(
                0,
                TpoCommand.execute(
                        "train",
                        "dpo",
                        "--model",
                        model.toString(),
                        "--pairs",
                        pairs.toString(),
                        "--output",
                        out.toString(),
                        "--learning-rate",
                        "1e-2",
                        "--batch-size",
                        "1",
                        "--lora-r",
                        "2",
                        "--lora-target-modules",
                        "q_proj,up_proj",
                        "--save-steps",
                        "0"));
        assertTrue(Files.isRegularFile(out.resolve("checkpoint-1/adapter/model.safetensors")));
        String header =
                new String(Files.readAllBytes(out.resolve("model.safetensors")), 0, 4000, StandardCharsets.ISO_8859_1);
        assertTrue(header.contains("q_proj.weight") && !header.contains("lora_"), "merged, no adapters: " + header);
        assertEquals(
                2,
                TpoCommand.execute(
                        "train",
                        "dpo",
                        "--model",
                        model.toString(),
                        "--pairs",
                        pairs.toString(),
                        "--output",
                        dir.resolve("bad").toString(),
                        "--lora-r",
                        "2",
                        "--lora-target-modules",
                        "qkv"));
    }

    @Test
    void textFormPairsAndSftUseTheModelsTokenizer() throws Exception {
        Path tokenizer = dir.resolve("tokenizer");
        dev.tpo.demo.synthetic.CharTokenizer.write(tokenizer);
        Path config = dir.resolve("char-config.json");
        Files.writeString(
                config,
                "{\"architectures\":[\"LlamaForCausalLM\"],\"model_type\":\"llama\","
                        + "\"vocab_size\":" + dev.tpo.demo.synthetic.CharTokenizer.vocabSize() + ",\"hidden_size\":16,"
                        + "\"intermediate_size\":32,\"num_hidden_layers\":1,\"num_attention_heads\":2,\"eos_token_id\":2}");
        Path model = dir.resolve("char-model");
        assertEquals(
                0,
                TpoCommand.execute(
                        "model",
                        "init",
                        "--config",
                        config.toString(),
                        "--output",
                        model.toString(),
                        "--tokenizer",
                        tokenizer.toString()));
        Path pairs = dir.resolve("text-pairs.jsonl");
        Files.writeString(
                pairs,
                "{\"prompt\":\"<s><|user|>2+2?<|assistant|>\",\"chosen\":\"4\",\"rejected\":\"5\"}\n"
                        + "{\"prompt\":\"<s><|user|>1+2?<|assistant|>\",\"chosen\":\"3\",\"rejected\":\"9\"}\n");
        Path out = dir.resolve("text-dpo");
        assertEquals(
                0,
                TpoCommand.execute(
                        "train",
                        "dpo",
                        "--model",
                        model.toString(),
                        "--pairs",
                        pairs.toString(),
                        "--output",
                        out.toString(),
                        "--batch-size",
                        "2",
                        "--save-steps",
                        "0"));
        String encoded = Files.readString(out.resolve("pairs-with-ref.jsonl"));
        assertTrue(encoded.contains("\"chosen_ids\""), encoded);
        Path annotated = dir.resolve("text-ref.jsonl");
        assertEquals(
                0,
                TpoCommand.execute(
                        "train",
                        "ref-logps",
                        "--model",
                        model.toString(),
                        "--pairs",
                        pairs.toString(),
                        "--output",
                        annotated.toString()));
        assertTrue(Files.readString(annotated).contains("\"ref_chosen_logp\""));
        Path sft = dir.resolve("text-sft.jsonl");
        Files.writeString(sft, "{\"prompt\":\"<s><|user|>2+2?<|assistant|>\",\"completion\":\"4\"}\n");
        assertEquals(
                0,
                TpoCommand.execute(
                        "train",
                        "sft",
                        "--model",
                        model.toString(),
                        "--data",
                        sft.toString(),
                        "--output",
                        dir.resolve("text-sft").toString(),
                        "--save-steps",
                        "0"));

        Path noTokenizer = tinyModel();
        assertEquals(
                2,
                TpoCommand.execute(
                        "train",
                        "dpo",
                        "--model",
                        noTokenizer.toString(),
                        "--pairs",
                        pairs.toString(),
                        "--output",
                        dir.resolve("no-tok").toString()));
    }
}
