package dev.tpo.api.spec;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * How each instruction is wrapped and how outputs are split.
 *
 * @param mode            specific (default; the paper's prompt with the marker {@code <R>}), generic (marker
 *                        "Here is my response:"), none (the direct-response baseline) or custom
 * @param template        custom only: the prompt, containing {instruction}
 * @param responseMarker  custom only: the text after which the response starts; must appear in the template
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ThoughtSettings(ThoughtMode mode, String template, String responseMarker) {
    public ThoughtSettings {
        mode = mode == null ? ThoughtMode.SPECIFIC : mode;
    }

    public static ThoughtSettings defaults() {
        return new ThoughtSettings(null, null, null);
    }

    public boolean thinks() {
        return mode != ThoughtMode.NONE;
    }

    void validate(SpecProblems p, String path) {
        // mode is an enum: a value outside it is rejected while the spec is read (RunSpecParser).
        if (mode == ThoughtMode.CUSTOM) {
            if (template == null || !template.contains("{instruction}")) {
                p.add(path + ".template", "a custom template must contain {instruction}");
            }
            if (responseMarker == null || responseMarker.isBlank()) {
                p.add(path + ".response_marker", "is required for a custom template");
            } else if (template != null && !template.contains(responseMarker)) {
                p.add(
                        path + ".response_marker",
                        "'" + responseMarker + "' does not appear in the template, so the "
                                + "model is never told where its response starts");
            }
        } else {
            if (template != null) {
                p.add(path + ".template", "only mode 'custom' takes a template");
            }
            if (responseMarker != null) {
                p.add(path + ".response_marker", "only mode 'custom' takes a response marker");
            }
        }
    }
}
