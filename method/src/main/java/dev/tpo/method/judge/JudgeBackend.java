package dev.tpo.method.judge;

import dev.tpo.model.tokenizer.ChatMessage;
import java.util.List;

/**
 * Where an LLM judge's prompts are answered: the local engine or an OpenAI-compatible endpoint. Answers come back
 * in chat order; a backend decides itself how to batch or parallelise them. Judging is deterministic where the
 * backend allows it (greedy decoding, temperature 0).
 */
public interface JudgeBackend extends AutoCloseable {
    List<String> complete(List<List<ChatMessage>> chats);

    @Override
    void close();
}
