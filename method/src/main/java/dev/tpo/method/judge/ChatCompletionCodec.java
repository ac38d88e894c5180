package dev.tpo.method.judge;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tpo.model.tokenizer.ChatMessage;
import java.util.List;

/** The JSON of OpenAI's chat completions API: request bodies out, the first choice's text in. */
final class ChatCompletionCodec {
    private static final int SNIPPET_CHARS = 200;

    private final ObjectMapper json = new ObjectMapper();
    private final EndpointSettings settings;

    ChatCompletionCodec(EndpointSettings settings) {
        this.settings = settings;
    }

    String requestBody(List<ChatMessage> chat) {
        ObjectNode body = json.createObjectNode();
        body.put("model", settings.model());
        ArrayNode messages = body.putArray("messages");
        for (ChatMessage m : chat) {
            messages.addObject().put("role", m.role()).put("content", m.content());
        }
        body.put("temperature", settings.temperature());
        body.put("max_tokens", settings.maxTokens());
        body.put("stream", false);
        return body.toString();
    }

    /**
     * The text of {@code choices[0].message.content}; an explicit null content (a refusal or a tool call) reads
     * as "", which the judges treat as unparseable, as they do any text without a verdict.
     *
     * @throws NotAChatCompletionException when the body is not JSON or lacks that field: no reply at all
     */
    String content(String body) throws NotAChatCompletionException {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw notACompletion("is not JSON", body);
        }
        JsonNode choices = root == null ? null : root.get("choices");
        if (choices == null || !choices.isArray() || choices.isEmpty()) {
            throw notACompletion("has no choices", body);
        }
        JsonNode message = choices.get(0).get("message");
        if (message == null || !message.isObject() || !message.has("content")) {
            throw notACompletion("has no choices[0].message.content", body);
        }
        JsonNode content = message.get("content");
        if (content.isNull()) {
            return "";
        }
        if (!content.isTextual()) {
            throw notACompletion("has a non-text choices[0].message.content", body);
        }
        return content.asText();
    }

    private static NotAChatCompletionException notACompletion(String problem, String body) {
        return new NotAChatCompletionException(
                "status 200 with a body that " + problem + " (not a chat completion): " + snippet(body));
    }

    static String snippet(String body) {
        String flat = body.replaceAll("\\s+", " ").strip();
        return flat.length() <= SNIPPET_CHARS ? "'" + flat + "'" : "'" + flat.substring(0, SNIPPET_CHARS) + "...'";
    }
}
