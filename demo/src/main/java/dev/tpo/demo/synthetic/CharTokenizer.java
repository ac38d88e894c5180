package dev.tpo.demo.synthetic;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A character-level Hugging Face tokenizer for the demo: one id per printable ASCII character plus newline,
 * and seven special tokens (pad, bos, eos, unk and the three chat roles).
 *
 * <p>It is written as a BPE model with single-character vocabulary and no merges, no normalizer and no
 * pre-tokenizer, so every character maps to its own id, and a {@code Fuse} decoder so decoding concatenates
 * without spaces. Any tokenizers-compatible loader (ours through DJL, transformers' fast tokenizer) reads it.
 */
public final class CharTokenizer {
    public static final String PAD = "<pad>";
    public static final String BOS = "<s>";
    public static final String EOS = "</s>";
    public static final String UNK = "<unk>";
    public static final List<String> SPECIAL_TOKENS =
            List.of(PAD, BOS, EOS, UNK, "<|system|>", "<|user|>", "<|assistant|>");

    /**
     * Each message is its role token then its content; assistant turns end with EOS; the generation prompt is
     * the assistant role token.
     */
    public static final String CHAT_TEMPLATE = "{{ bos_token }}{% for message in messages %}"
            + "{{ '<|' + message['role'] + '|>' + message['content'] }}"
            + "{% if message['role'] == 'assistant' %}{{ eos_token }}{% endif %}{% endfor %}"
            + "{% if add_generation_prompt %}{{ '<|assistant|>' }}{% endif %}";

    private static final ObjectMapper JSON = new ObjectMapper();

    private CharTokenizer() {}

    /** Every token in id order: the special tokens, then newline, space and printable ASCII 33..126. */
    public static List<String> vocabulary() {
        List<String> tokens = new ArrayList<>(SPECIAL_TOKENS);
        tokens.add("\n");
        for (char c = 32; c < 127; c++) {
            tokens.add(String.valueOf(c));
        }
        return tokens;
    }

    public static int vocabSize() {
        return vocabulary().size();
    }

    public static int id(String token) {
        int id = vocabulary().indexOf(token);
        if (id < 0) {
            throw new IllegalArgumentException("not in the vocabulary: " + token);
        }
        return id;
    }

    /** Writes tokenizer.json, tokenizer_config.json and special_tokens_map.json into {@code dir}. */
    public static void write(Path dir) {
        try {
            Files.createDirectories(dir);
            JSON.writerWithDefaultPrettyPrinter()
                    .writeValue(dir.resolve("tokenizer.json").toFile(), tokenizerJson());
            JSON.writerWithDefaultPrettyPrinter()
                    .writeValue(dir.resolve("tokenizer_config.json").toFile(), tokenizerConfig());
            ObjectNode map = JSON.createObjectNode();
            map.put("bos_token", BOS)
                    .put("eos_token", EOS)
                    .put("pad_token", PAD)
                    .put("unk_token", UNK);
            JSON.writerWithDefaultPrettyPrinter()
                    .writeValue(dir.resolve("special_tokens_map.json").toFile(), map);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the tokenizer to " + dir, e);
        }
    }

    static ObjectNode tokenizerJson() {
        List<String> vocab = vocabulary();
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (int i = 0; i < SPECIAL_TOKENS.size(); i++) {
            added.addObject()
                    .put("id", i)
                    .put("content", SPECIAL_TOKENS.get(i))
                    .put("single_word", false)
                    .put("lstrip", false)
                    .put("rstrip", false)
                    .put("normalized", false)
                    .put("special", true);
        }
        root.putNull("normalizer");
        root.putNull("pre_tokenizer");
        root.putNull("post_processor");
        root.putObject("decoder").put("type", "Fuse");
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        model.put("unk_token", UNK);
        model.putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        model.put("ignore_merges", false);
        ObjectNode v = model.putObject("vocab");
        for (int i = 0; i < vocab.size(); i++) {
            v.put(vocab.get(i), i);
        }
        model.putArray("merges");
        return root;
    }

    static ObjectNode tokenizerConfig() {
        ObjectNode c = JSON.createObjectNode();
        ObjectNode decoder = c.putObject("added_tokens_decoder");
        for (int i = 0; i < SPECIAL_TOKENS.size(); i++) {
            decoder.putObject(Integer.toString(i))
                    .put("content", SPECIAL_TOKENS.get(i))
                    .put("lstrip", false)
                    .put("normalized", false)
                    .put("rstrip", false)
                    .put("single_word", false)
                    .put("special", true);
        }
        c.put("bos_token", BOS);
        c.put("eos_token", EOS);
        c.put("pad_token", PAD);
        c.put("unk_token", UNK);
        c.put("chat_template", CHAT_TEMPLATE);
        c.put("clean_up_tokenization_spaces", false);
        c.put("model_max_length", 4096);
        c.put("tokenizer_class", "PreTrainedTokenizerFast");
        return c;
    }
}
