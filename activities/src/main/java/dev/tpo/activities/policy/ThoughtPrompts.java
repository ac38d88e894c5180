package dev.tpo.activities.policy;

import dev.tpo.activities.StepFailures;
import dev.tpo.api.spec.ThoughtSettings;
import dev.tpo.method.thought.ThoughtPrompt;

/** The run spec's thought settings as the method's prompt and parser. */
public final class ThoughtPrompts {
    private ThoughtPrompts() {}

    public static ThoughtPrompt of(ThoughtSettings settings) {
        try {
            return ThoughtPrompt.of(settings.mode(), settings.template(), settings.responseMarker());
        } catch (IllegalArgumentException e) {
            throw StepFailures.invalidInput("thought: " + e.getMessage());
        }
    }
}
