package dev.tpo.model.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TextTokenizerTest {

    private static TextTokenizer llama;
    private static TextTokenizer qwen;

    @BeforeAll
    static void open() {
        llama = TextTokenizer.open(TestTokenizers.folder("llama3_1").resolve("tokenizer.json"));
        qwen = TextTokenizer.open(TestTokenizers.folder("qwen3").resolve("tokenizer.json"));
    }

    @AfterAll
    static void close() {
        llama.close();
        qwen.close();
    }

    @Test
    void llamaHelloWorldIds() {
        // <|begin_of_text|>=128000, "Hello"=9906, " world"=1917 in the Llama 3 vocabulary.
        assertArrayEquals(new long[] {128000, 9906, 1917}, llama.encode("Hello world", true));
        assertArrayEquals(new long[] {9906, 1917}, llama.encode("Hello world", false));
    }

    @Test
    void qwenHelloWorldIdsHaveNoBos() {
        assertArrayEquals(new long[] {9707, 1879}, qwen.encode("Hello world", true));
    }

    @Test
    void vocabularyLookups() {
        assertEquals(128256, llama.vocabSize());
        assertEquals(Optional.of(128009L), llama.tokenToId("<|eot_id|>"));
        assertEquals(Optional.of("<|begin_of_text|>"), llama.idToToken(128000));
        assertEquals(Optional.of("Hello"), llama.idToToken(9906));
        assertEquals(Optional.empty(), llama.tokenToId("no such token at all"));
        assertEquals(151669, qwen.vocabSize());
        assertEquals(Optional.of(151644L), qwen.tokenToId("<|im_start|>"));
        assertEquals(Optional.of(151645L), qwen.tokenToId("<|im_end|>"));
    }

    @Test
    void longTextIsNeitherTruncatedNorPadded() {
        // DJL truncates to 512 tokens unless told not to; a training sequence must survive whole.
        String text = "The quick brown fox jumps over the lazy dog. ".repeat(300);
        long[] ids = llama.encode(text, false);
        assertTrue(ids.length >= 3000, "expected at least 3000 tokens, got " + ids.length);
        assertEquals(text, llama.decode(ids, false));
        long[] qwenIds = qwen.encode(text, false);
        assertTrue(qwenIds.length >= 3000, "expected at least 3000 tokens, got " + qwenIds.length);
        assertEquals(text, qwen.decode(qwenIds, false));
        assertEquals(3, llama.encode("Hello world", true).length, "short text must not be padded");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "héllo wörld, naïve café — «quotes» ¿qué?",
                "日本語のテキストと中文混合，한국어도",
                "emoji 👍🏽 family 👨‍👩‍👧‍👦 flags 🇳🇴 and ❤️",
                "   leading and trailing   \t\ttabs\n\n\n  newlines \r\n  ",
                "def f(x):\n    return {'a': [x ** 2 for x in range(10)]}  # comment\n\tif x != 0: pass\n",
                "<|begin_of_text|> literal specials <|eot_id|> in text",
                "",
            })
    void decodeOfEncodeIsIdentity(String text) {
        assertEquals(text, llama.decode(llama.encode(text, false), false));
        assertEquals(text, qwen.decode(qwen.encode(text, false), false));
    }

    @Test
    void skipSpecialTokensDropsBos() {
        assertEquals("Hello world", llama.decode(llama.encode("Hello world", true), true));
        assertEquals("<|begin_of_text|>Hello world", llama.decode(llama.encode("Hello world", true), false));
    }

    @Test
    void missingFileIsNamed(@TempDir Path dir) {
        Path missing = dir.resolve("tokenizer.json");
        TokenizerException e = assertThrows(TokenizerException.class, () -> TextTokenizer.open(missing));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }
}
