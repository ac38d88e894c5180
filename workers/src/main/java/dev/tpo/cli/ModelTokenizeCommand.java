package dev.tpo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tpo.model.tokenizer.ChatMessage;
import dev.tpo.model.tokenizer.ModelTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "tokenize",
        mixinStandardHelpOptions = true,
        description = {
            "Tokenize with a folder's tokenizer files only (no weights needed).",
            "{\"text\":\"...\"} gives {\"ids\":[...]} with no special tokens added.",
            "{\"messages\":[...],\"add_generation_prompt\":true} gives {\"rendered\":\"...\",\"ids\":[...]}:"
                    + " the chat template rendered, then tokenized without adding special tokens."
        })
final class ModelTokenizeCommand implements Runnable {
    @Option(names = "--model", required = true)
    Path model;

    @Option(names = "--input", required = true)
    Path input;

    @Option(names = "--output", required = true)
    Path output;

    @Override
    public void run() {
        List<Jsonl.Line> lines = Jsonl.read(input);
        List<Map<String, Object>> rows = new ArrayList<>();
        try (ModelTokenizer tokenizer = ModelTokenizer.open(model)) {
            for (Jsonl.Line line : lines) {
                Map<String, Object> row = new LinkedHashMap<>();
                if (line.json().has("text")) {
                    row.put("ids", tokenizer.encode(line.text("text"), false));
                } else if (line.json().has("messages")) {
                    List<ChatMessage> messages = new ArrayList<>();
                    for (JsonNode m : line.json().get("messages")) {
                        if (!m.path("role").isTextual() || !m.path("content").isTextual()) {
                            throw line.error("each message needs string fields 'role' and 'content'");
                        }
                        messages.add(new ChatMessage(
                                m.get("role").asText(), m.get("content").asText()));
                    }
                    boolean generationPrompt =
                            line.json().path("add_generation_prompt").asBoolean(false);
                    String rendered = tokenizer.renderChat(messages, generationPrompt);
                    row.put("rendered", rendered);
                    row.put("ids", tokenizer.encode(rendered, false));
                } else {
                    throw line.error("expected 'text' or 'messages'");
                }
                rows.add(row);
            }
        }
        Jsonl.write(output, rows);
    }
}
