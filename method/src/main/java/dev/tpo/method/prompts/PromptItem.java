package dev.tpo.method.prompts;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/**
 * One instruction of a prompt set.
 *
 * @param category  the evaluation breakdown key, or null
 * @param reference the expected answer a verifier judge checks against, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PromptItem(String id, String prompt, String category, String reference) {
    public PromptItem {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(prompt, "prompt");
        if (id.isBlank()) {
            throw new IllegalArgumentException("id must not be empty");
        }
        if (prompt.isBlank()) {
            throw new IllegalArgumentException("prompt of '" + id + "' must not be empty");
        }
    }
}
