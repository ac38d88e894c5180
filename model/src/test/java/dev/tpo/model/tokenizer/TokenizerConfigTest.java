package dev.tpo.model.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizerConfigTest {

    @TempDir
    Path dir;

    private void write(String file, String json) throws IOException {
        Files.writeString(dir.resolve(file), json);
    }

    @Test
    void readsPlainAndAddedTokenForms() throws IOException {
        write(
                "tokenizer_config.json",
                "{\"bos_token\": {\"__type\": \"AddedToken\", \"content\": \"<s>\", \"lstrip\": false},"
                        + " \"eos_token\": \"</s>\", \"unk_token\": null, \"add_bos_token\": true,"
                        + " \"model_max_length\": 4096, \"chat_template\": \"{{ bos_token }}\"}");
        TokenizerConfig config = TokenizerConfig.load(dir);
        assertEquals("<s>", config.bosToken());
        assertEquals("</s>", config.eosToken());
        assertNull(config.unkToken());
        assertNull(config.padToken());
        assertEquals(Optional.of(true), config.addBosToken());
        assertEquals(Optional.empty(), config.addEosToken());
        assertEquals(4096, config.modelMaxLength());
        assertEquals("{{ bos_token }}", config.chatTemplate());
    }

    @Test
    void hugeModelMaxLengthMeansUnbounded() throws IOException {
        write("tokenizer_config.json", "{\"model_max_length\": 1000000000000000019884624838656}");
        assertEquals(Long.MAX_VALUE, TokenizerConfig.load(dir).modelMaxLength());
    }

    @Test
    void namedTemplateListPicksDefault() throws IOException {
        write(
                "tokenizer_config.json",
                "{\"chat_template\": [{\"name\": \"tool_use\", \"template\": \"T\"}, {\"name\": \"default\", \"template\": \"D\"}]}");
        assertEquals("D", TokenizerConfig.load(dir).chatTemplate());
    }

    @Test
    void namedTemplateListWithoutDefaultNamesTheFile() throws IOException {
        write("tokenizer_config.json", "{\"chat_template\": [{\"name\": \"rag\", \"template\": \"R\"}]}");
        TokenizerException e = assertThrows(TokenizerException.class, () -> TokenizerConfig.load(dir));
        assertTrue(e.getMessage().contains(dir.resolve("tokenizer_config.json").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("default"), e.getMessage());
    }

    @Test
    void malformedJsonNamesTheFile() throws IOException {
        write("tokenizer_config.json", "{\"eos_token\": ");
        TokenizerException e = assertThrows(TokenizerException.class, () -> TokenizerConfig.load(dir));
        assertTrue(e.getMessage().contains(dir.resolve("tokenizer_config.json").toString()), e.getMessage());
    }

    @Test
    void wrongTokenTypeNamesFileAndKey() throws IOException {
        write("tokenizer_config.json", "{\"eos_token\": 7}");
        TokenizerException e = assertThrows(TokenizerException.class, () -> TokenizerConfig.load(dir));
        assertTrue(
                e.getMessage().contains("tokenizer_config.json")
                        && e.getMessage().contains("eos_token"),
                e.getMessage());
    }

    @Test
    void specialTokensMapAndTemplateFilesOverrideTheConfig() throws IOException {
        write(
                "tokenizer_config.json",
                "{\"eos_token\": \"</s>\", \"pad_token\": \"<pad>\", \"chat_template\": \"old\"}");
        write(
                "special_tokens_map.json",
                "{\"eos_token\": {\"content\": \"<|eot|>\"}, \"additional_special_tokens\": [\"<a>\"]}");
        Files.writeString(dir.resolve("chat_template.jinja"), "new");
        TokenizerConfig config = TokenizerConfig.load(dir);
        assertEquals("<|eot|>", config.eosToken());
        assertEquals("<pad>", config.padToken());
        assertEquals(List.of("<a>"), config.additionalSpecialTokens());
        assertEquals("new", config.chatTemplate());
    }

    @Test
    void generationConfigEosMayBeIntOrList() throws IOException {
        write("generation_config.json", "{\"eos_token_id\": 2, \"pad_token_id\": 0}");
        assertEquals(List.of(2L), TokenizerConfig.load(dir).generationEosTokenIds());
        assertEquals(Optional.of(0L), TokenizerConfig.load(dir).generationPadTokenId());
        write("generation_config.json", "{\"eos_token_id\": [1, 2]}");
        assertEquals(List.of(1L, 2L), TokenizerConfig.load(dir).generationEosTokenIds());
        write("generation_config.json", "{\"eos_token_id\": \"x\"}");
        TokenizerException e = assertThrows(TokenizerException.class, () -> TokenizerConfig.load(dir));
        assertTrue(e.getMessage().contains("generation_config.json"), e.getMessage());
    }

    @Test
    void emptyFolderGivesEmptyConfig() {
        TokenizerConfig config = TokenizerConfig.load(dir);
        assertNull(config.chatTemplate());
        assertNull(config.eosToken());
        assertEquals(Long.MAX_VALUE, config.modelMaxLength());
    }
}
