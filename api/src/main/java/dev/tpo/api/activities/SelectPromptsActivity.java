package dev.tpo.api.activities;

import dev.tpo.api.steps.PromptSelection;
import dev.tpo.api.steps.SelectPromptsInput;
import io.temporal.activity.ActivityInterface;

/** Control queue: an iteration's fresh prompts, split into generation shards. */
@ActivityInterface
public interface SelectPromptsActivity {
    PromptSelection selectPrompts(SelectPromptsInput input);
}
