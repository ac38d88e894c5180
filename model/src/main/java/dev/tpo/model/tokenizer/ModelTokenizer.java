package dev.tpo.model.tokenizer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Everything the rest of the pipeline needs from a Hugging Face model folder's tokenizer: plain text
 * encoding, chat rendering through the model's own template, and the special ids generation and batching
 * depend on.
 */
public final class ModelTokenizer implements AutoCloseable {

    public static final String TOKENIZER_JSON = "tokenizer.json";

    private final Path modelDir;
    private final TextTokenizer text;
    private final TokenizerConfig config;
    private final Clock clock;
    private ChatTemplate chatTemplate;
    private final List<Long> eosTokenIds;
    private final long padTokenId;

    private ModelTokenizer(Path modelDir, TextTokenizer text, TokenizerConfig config, Clock clock) {
        this.modelDir = modelDir;
        this.text = text;
        this.config = config;
        this.clock = clock;
        this.eosTokenIds = resolveEosIds();
        this.padTokenId = resolvePadId();
    }

    /** Opens {@code modelDir} with the system clock feeding templates' {@code strftime_now}. */
    public static ModelTokenizer open(Path modelDir) {
        return open(modelDir, Clock.systemDefaultZone());
    }

    public static ModelTokenizer open(Path modelDir, Clock clock) {
        Path tokenizerJson = modelDir.resolve(TOKENIZER_JSON);
        if (!Files.isRegularFile(tokenizerJson)) {
            throw new TokenizerException("no tokenizer.json in model folder: " + tokenizerJson + " does not exist");
        }
        TokenizerConfig config = TokenizerConfig.load(modelDir);
        TextTokenizer text = TextTokenizer.open(tokenizerJson);
        try {
            return new ModelTokenizer(modelDir, text, config, clock);
        } catch (RuntimeException e) {
            text.close();
            throw e;
        }
    }

    public long[] encode(String plainText, boolean addSpecialTokens) {
        return text.encode(plainText, addSpecialTokens);
    }

    public String decode(long[] ids, boolean skipSpecialTokens) {
        return text.decode(ids, skipSpecialTokens);
    }

    /** The conversation as the model's chat template writes it. */
    public String renderChat(List<ChatMessage> messages, boolean addGenerationPrompt) {
        return chatTemplate().render(messages, addGenerationPrompt);
    }

    /**
     * Ids of {@link #renderChat}: special tokens are not added again because the template already wrote BOS
     * where the model expects it; adding them would double it for Llama.
     */
    public long[] encodeChat(List<ChatMessage> messages, boolean addGenerationPrompt) {
        return text.encode(renderChat(messages, addGenerationPrompt), false);
    }

    /**
     * The model's chat template, built on first use so that a folder whose template is missing or unusable
     * still serves plain-text encoding.
     */
    public synchronized ChatTemplate chatTemplate() {
        if (chatTemplate == null) {
            chatTemplate = ChatTemplate.fromConfig(config, modelDir.toString(), clock);
        }
        return chatTemplate;
    }

    public boolean hasChatTemplate() {
        return config.chatTemplate() != null;
    }

    /** Ids that end generation: the tokenizer's eos_token, then generation_config.json's eos_token_id(s). */
    public List<Long> eosTokenIds() {
        return eosTokenIds;
    }

    /** The pad_token's id, else generation_config's pad_token_id, else the first end-of-sequence id. */
    public long padTokenId() {
        return padTokenId;
    }

    public Optional<Long> bosTokenId() {
        return Optional.ofNullable(config.bosToken()).map(this::requireId);
    }

    public TextTokenizer text() {
        return text;
    }

    public TokenizerConfig config() {
        return config;
    }

    public Path modelDir() {
        return modelDir;
    }

    @Override
    public void close() {
        text.close();
    }

    private List<Long> resolveEosIds() {
        Set<Long> ids = new LinkedHashSet<>();
        if (config.eosToken() != null) {
            ids.add(requireId(config.eosToken()));
        }
        ids.addAll(config.generationEosTokenIds());
        if (ids.isEmpty()) {
            throw new TokenizerException(modelDir
                    + " defines no end-of-sequence token (neither eos_token nor generation_config eos_token_id)");
        }
        return List.copyOf(new ArrayList<>(ids));
    }

    private long resolvePadId() {
        if (config.padToken() != null) {
            return requireId(config.padToken());
        }
        return config.generationPadTokenId().orElse(eosTokenIds.get(0));
    }

    private long requireId(String token) {
        return text.tokenToId(token)
                .orElseThrow(() -> new TokenizerException("special token " + token
                        + " named by the tokenizer config of " + modelDir + " is not in " + text.tokenizerJson()));
    }
}
