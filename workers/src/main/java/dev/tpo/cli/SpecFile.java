package dev.tpo.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tpo.api.spec.InvalidRunSpecException;
import dev.tpo.api.spec.RunSpec;
import dev.tpo.api.spec.RunSpecParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A run spec file as the user wrote it (what the workflow receives, so it validates the same document) and as
 * parsed, defaults filled.
 */
record SpecFile(Path path, JsonNode json, RunSpec spec) {
    /** Reads and validates; an invalid spec throws {@link InvalidRunSpecException} with every problem. */
    static SpecFile read(Path path, RunSpecParser parser) {
        String text;
        try {
            text = Files.readString(path);
        } catch (NoSuchFileException e) {
            throw new UsageException("--spec: file not found: " + path);
        } catch (IOException e) {
            throw new UsageException("--spec: cannot read " + path + ": " + e.getMessage(), e);
        }
        // The parser reports malformed JSON with line and column, so it reads the text first.
        RunSpec spec = parser.parse(text);
        try {
            return new SpecFile(path, new ObjectMapper().readTree(text), spec);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the parser accepted JSON that Jackson cannot read", e);
        }
    }
}
