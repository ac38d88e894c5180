package dev.tpo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
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
        Files.writeString(config, "{\"architectures\":[\"LlamaForCausalLM\"],\"model_type\":\"llama\","
                + "\"vocab_size\":64,\"hidden_size\":16,\"intermediate_size\":32,\"num_hidden_layers\":2,"
                + "\"num_attention_heads\":2,\"eos_token_id\":2}");
        Path model = dir.resolve("model");
        assertEquals(0, TpoCommand.execute("model", "init", "--config", config.toString(), "--out",
                model.toString()));
        return model;
    }

    @Test
    void dpoFromPairsWithoutReferenceWritesModelCheckpointAndMetrics() throws Exception {
        Path model = tinyModel();
        Path pairs = dir.resolve("pairs.jsonl");
        Files.writeString(pairs, "{\"prompt_ids\":[1,5,6],\"chosen_ids\":[7,8,9],\"rejected_ids\":[10,11]}\n"
                + "{\"prompt_ids\":[1,15],\"chosen_ids\":[17,18],\"rejected_ids\":[20,21,22]}\n");
        Path out = dir.resolve("dpo");
        assertEquals(0, TpoCommand.execute("train", "dpo", "--model", model.toString(), "--pairs", pairs.toString(),
                "--out", out.toString(), "--learning-rate", "1e-2", "--batch-size", "2", "--num-train-epochs", "3",
                "--logging-steps", "1", "--save-steps", "0"));
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
        Files.writeString(pairs, "{\"prompt_ids\":[1,5,6],\"chosen_ids\":[7],\"rejected_ids\":[10]}\n{\"prompt_ids\":\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = TpoCommand.execute("train", "dpo", "--model", model.toString(), "--pairs", pairs.toString(),
                    "--out", dir.resolve("o").toString());
        } finally {
            System.setErr(old);
        }
        assertEquals(2, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("bad.jsonl:2"), err.toString());
    }

    @Test
    void dpoWithLoraSavesAMergedFolderAndRejectsUnknownTargets() throws Exception {
        Path model = tinyModel();
        Path pairs = dir.resolve("pairs.jsonl");
        Files.writeString(pairs, "{\"prompt_ids\":[1,5,6],\"chosen_ids\":[7,8,9],\"rejected_ids\":[10,11]}\n");
        Path out = dir.resolve("lora");
        assertEquals(0, TpoCommand.execute("train", "dpo", "--model", model.toString(), "--pairs", pairs.toString(),
                "--out", out.toString(), "--learning-rate", "1e-2", "--batch-size", "1", "--lora-r", "2",
                "--lora-target-modules", "q_proj,up_proj", "--save-steps", "0"));
        assertTrue(Files.isRegularFile(out.resolve("checkpoint-1/adapter/model.safetensors")));
        String header = new String(Files.readAllBytes(out.resolve("model.safetensors")), 0, 4000,
                StandardCharsets.ISO_8859_1);
        assertTrue(header.contains("q_proj.weight") && !header.contains("lora_"), "merged, no adapters: " + header);
        assertEquals(2, TpoCommand.execute("train", "dpo", "--model", model.toString(), "--pairs", pairs.toString(),
                "--out", dir.resolve("bad").toString(), "--lora-r", "2", "--lora-target-modules", "qkv"));
    }

    @Test
    void textFormPairsAndSftUseTheModelsTokenizer() throws Exception {
        Path tokenizer = dir.resolve("tokenizer");
        dev.tpo.method.synthetic.CharTokenizer.write(tokenizer);
        Path config = dir.resolve("char-config.json");
        Files.writeString(config, "{\"architectures\":[\"LlamaForCausalLM\"],\"model_type\":\"llama\","
                + "\"vocab_size\":" + dev.tpo.method.synthetic.CharTokenizer.vocabSize() + ",\"hidden_size\":16,"
                + "\"intermediate_size\":32,\"num_hidden_layers\":1,\"num_attention_heads\":2,\"eos_token_id\":2}");
        Path model = dir.resolve("char-model");
        assertEquals(0, TpoCommand.execute("model", "init", "--config", config.toString(), "--out", model.toString(),
                "--tokenizer", tokenizer.toString()));
        Path pairs = dir.resolve("text-pairs.jsonl");
        Files.writeString(pairs, "{\"prompt\":\"<s><|user|>2+2?<|assistant|>\",\"chosen\":\"4\",\"rejected\":\"5\"}\n"
                + "{\"prompt\":\"<s><|user|>1+2?<|assistant|>\",\"chosen\":\"3\",\"rejected\":\"9\"}\n");
        Path out = dir.resolve("text-dpo");
        assertEquals(0, TpoCommand.execute("train", "dpo", "--model", model.toString(), "--pairs", pairs.toString(),
                "--out", out.toString(), "--batch-size", "2", "--save-steps", "0"));
        String encoded = Files.readString(out.resolve("pairs-with-ref.jsonl"));
        assertTrue(encoded.contains("\"chosen_ids\""), encoded);
        Path annotated = dir.resolve("text-ref.jsonl");
        assertEquals(0, TpoCommand.execute("train", "ref-logps", "--model", model.toString(), "--pairs",
                pairs.toString(), "--output", annotated.toString()));
        assertTrue(Files.readString(annotated).contains("\"ref_chosen_logp\""));
        Path sft = dir.resolve("text-sft.jsonl");
        Files.writeString(sft, "{\"prompt\":\"<s><|user|>2+2?<|assistant|>\",\"completion\":\"4\"}\n");
        assertEquals(0, TpoCommand.execute("train", "sft", "--model", model.toString(), "--data", sft.toString(),
                "--out", dir.resolve("text-sft").toString(), "--save-steps", "0"));

        Path noTokenizer = tinyModel();
        assertEquals(2, TpoCommand.execute("train", "dpo", "--model", noTokenizer.toString(), "--pairs",
                pairs.toString(), "--out", dir.resolve("no-tok").toString()));
    }
}
