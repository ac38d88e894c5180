package dev.tpo.api.spec;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Set;

/**
 * How each instruction is wrapped and how outputs are split.
 *
 * @param mode            specific (default; the paper's prompt with the marker {@code <R>}), generic (marker
 *                        "Here is my response:"), none (the direct-response baseline) or custom
 * @param template        custom only: the prompt, containing {instruction}
 * @param responseMarker  custom only: the text after which the response starts; must appear in the template
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ThoughtSettings(String mode, String template, String responseMarker) {
    public static final Set<String> MODES = Set.of("specific", "generic", "none", "custom");

    public ThoughtSettings {
        mode = mode == null ? "specific" : mode;
    }

    public static ThoughtSettings defaults() {
        return new ThoughtSettings(null, null, null);
    }

    public boolean thinks() {
        return !mode.equals("none");
    }

    void validate(SpecProblems p, String path) {
        p.oneOf(path + ".mode", mode, MODES);
        if (mode.equals("custom")) {
            if (template == null || !template.contains("{instruction}")) {
                p.add(path + ".template", "a custom template must contain {instruction}");
            }
            if (responseMarker == null || responseMarker.isBlank()) {
                p.add(path + ".response_marker", "is required for a custom template");
            } else if (template != null && !template.contains(responseMarker)) {
                p.add(path + ".response_marker", "'" + responseMarker + "' does not appear in the template, so the "
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
