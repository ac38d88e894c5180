package dev.tpo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collection;

/** An ArtifactRef-shaped object ({uri, sha256, size}) found in an activity's result. */
record FoundArtifact(String uri, String sha256, long size) {
    /** Walks {@code json} and adds every object that looks like an ArtifactRef. */
    static void collect(JsonNode json, Collection<FoundArtifact> into) {
        if (json == null) {
            return;
        }
        if (json.isObject()
                && json.path("uri").isTextual()
                && json.path("sha256").isTextual()
                && json.path("size").isIntegralNumber()) {
            into.add(new FoundArtifact(
                    json.get("uri").asText(),
                    json.get("sha256").asText(),
                    json.get("size").asLong()));
            return;
        }
        if (json.isContainerNode()) {
            json.forEach(child -> collect(child, into));
        }
    }
}
