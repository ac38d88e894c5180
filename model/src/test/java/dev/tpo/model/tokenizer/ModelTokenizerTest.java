package dev.tpo.model.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelTokenizerTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-07T10:00:00Z"), ZoneOffset.UTC);
    private static final List<ChatMessage> SYSTEM_AND_USER =
            List.of(ChatMessage.system("You are a helpful assistant."), ChatMessage.user("What is 2+2?"));

    @Test
    void llamaChatUsesTheShippedTemplate() {
        try (ModelTokenizer tokenizer = ModelTokenizer.open(TestTokenizers.folder("llama3_1"), CLOCK)) {
            assertEquals(
                    "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n"
                            + "You are a helpful assistant.<|eot_id|>"
                            + "<|start_header_id|>user<|end_header_id|>\n\n"
                            + "What is 2+2?<|eot_id|>"
                            + "<|start_header_id|>assistant<|end_header_id|>\n\n",
                    tokenizer.renderChat(SYSTEM_AND_USER, true));
        }
    }

    @Test
    void encodeChatKeepsTheTemplatesSingleBos() {
        try (ModelTokenizer tokenizer = ModelTokenizer.open(TestTokenizers.folder("llama3_1"), CLOCK)) {
            long[] ids = tokenizer.encodeChat(SYSTEM_AND_USER, true);
            assertEquals(128000, ids[0]);
            assertEquals(1, Arrays.stream(ids).filter(id -> id == 128000).count(), Arrays.toString(ids));
            assertEquals(128006, ids[1], "<|start_header_id|> follows BOS");
            assertArrayEquals(tokenizer.encode(tokenizer.renderChat(SYSTEM_AND_USER, true), false), ids);
            assertEquals(tokenizer.renderChat(SYSTEM_AND_USER, true), tokenizer.decode(ids, false));
        }
    }

    @Test
    void llamaSpecialIds() {
        try (ModelTokenizer tokenizer = ModelTokenizer.open(TestTokenizers.folder("llama3_1"), CLOCK)) {
            assertEquals(List.of(128009L), tokenizer.eosTokenIds());
            assertEquals(128009L, tokenizer.padTokenId(), "no pad_token: falls back to eos");
            assertEquals(128000L, tokenizer.bosTokenId().orElseThrow());
        }
    }

    @Test
    void qwen3SystemUserChatMatchesTransformers() {
        try (ModelTokenizer tokenizer = ModelTokenizer.open(TestTokenizers.folder("qwen3"), CLOCK)) {
            assertEquals(
                    "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n"
                            + "<|im_start|>user\nWhat is 2+2?<|im_end|>\n"
                            + "<|im_start|>assistant\n",
                    tokenizer.renderChat(SYSTEM_AND_USER, true));
            long[] ids = tokenizer.encodeChat(SYSTEM_AND_USER, true);
            assertEquals(151644, ids[0], "Qwen has no BOS; the chat starts with <|im_start|>");
        }
    }

    @Test
    void qwen3DisabledThinkingAddsEmptyThinkBlock() {
        try (ModelTokenizer tokenizer = ModelTokenizer.open(TestTokenizers.folder("qwen3"), CLOCK)) {
            assertEquals(
                    "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n",
                    tokenizer
                            .chatTemplate()
                            .render(List.of(ChatMessage.user("Hi")), true, Map.of("enable_thinking", false)));
        }
    }

    @Test
    void qwen3KeepsReasoningOnlyAfterTheLastUserTurn() {
        List<ChatMessage> conversation = List.of(
                ChatMessage.user("a"),
                ChatMessage.assistant("<think>\nold thoughts\n</think>\n\nfirst"),
                ChatMessage.user("b"),
                ChatMessage.assistant("<think>\nnew thoughts\n</think>\n\nsecond"));
        try (ModelTokenizer tokenizer = ModelTokenizer.open(TestTokenizers.folder("qwen3"), CLOCK)) {
            assertEquals(
                    "<|im_start|>user\na<|im_end|>\n"
                            + "<|im_start|>assistant\nfirst<|im_end|>\n"
                            + "<|im_start|>user\nb<|im_end|>\n"
                            + "<|im_start|>assistant\n<think>\nnew thoughts\n</think>\n\nsecond<|im_end|>\n",
                    tokenizer.renderChat(conversation, false));
        }
    }

    @Test
    void qwenSpecialIds() {
        try (ModelTokenizer tokenizer = ModelTokenizer.open(TestTokenizers.folder("qwen3"), CLOCK)) {
            assertEquals(List.of(151645L), tokenizer.eosTokenIds());
            assertEquals(151643L, tokenizer.padTokenId());
            assertTrue(tokenizer.bosTokenId().isEmpty());
        }
    }

    @Test
    void generationConfigAddsEosIds(@TempDir Path dir) throws IOException {
        Path source = TestTokenizers.folder("llama3_1");
        Files.copy(source.resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
        Files.copy(source.resolve("tokenizer_config.json"), dir.resolve("tokenizer_config.json"));
        Files.writeString(dir.resolve("generation_config.json"), "{\"eos_token_id\": [128001, 128008, 128009]}");
        try (ModelTokenizer tokenizer = ModelTokenizer.open(dir, CLOCK)) {
            assertEquals(List.of(128009L, 128001L, 128008L), tokenizer.eosTokenIds());
        }
    }

    @Test
    void missingTokenizerJsonIsNamed(@TempDir Path dir) {
        TokenizerException e = assertThrows(TokenizerException.class, () -> ModelTokenizer.open(dir));
        assertTrue(e.getMessage().contains(dir.resolve("tokenizer.json").toString()), e.getMessage());
    }

    @Test
    void folderWithoutChatTemplateStillEncodesButRefusesChat(@TempDir Path dir) throws IOException {
        Files.copy(TestTokenizers.folder("qwen3").resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"eos_token\": \"<|endoftext|>\"}");
        try (ModelTokenizer tokenizer = ModelTokenizer.open(dir, CLOCK)) {
            assertFalse(tokenizer.hasChatTemplate());
            assertArrayEquals(new long[] {9707, 1879}, tokenizer.encode("Hello world", false));
            ChatTemplateException e =
                    assertThrows(ChatTemplateException.class, () -> tokenizer.renderChat(SYSTEM_AND_USER, true));
            assertTrue(e.getMessage().contains("has no chat_template"), e.getMessage());
        }
    }
}
