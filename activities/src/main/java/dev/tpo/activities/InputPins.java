package dev.tpo.activities;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tpo.api.ArtifactRef;
import dev.tpo.artifacts.ArtifactLocation;
import dev.tpo.artifacts.ArtifactNotFoundException;
import dev.tpo.artifacts.ArtifactStore;
import dev.tpo.artifacts.ArtifactStores;
import dev.tpo.method.prompts.PromptItem;
import dev.tpo.method.prompts.PromptSet;
import dev.tpo.method.prompts.PromptSetException;
import dev.tpo.model.InvalidModelException;
import dev.tpo.model.ModelConfig;
import dev.tpo.model.tokenizer.ModelTokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks one user input and pins it by digest under {@code runs/{runId}/inputs/}. Model folders are checked from
 * their config.json and file list before anything large is copied, and without loading any native library.
 */
final class InputPins {
    private final ArtifactStores stores;
    private final ArtifactStore runStore;
    private final String inputsPrefix;
    private final StepJson json;

    InputPins(ArtifactStores stores, ArtifactStore runStore, String inputsPrefix, StepJson json) {
        this.stores = stores;
        this.runStore = runStore;
        this.inputsPrefix = inputsPrefix;
        this.json = json;
    }

    /** A prompt set, read line by line (errors name the user's URI and line), with each item's line number. */
    record PinnedPrompts(ArtifactRef ref, List<PromptItem> items, List<Integer> lines) {
    }

    PinnedPrompts prompts(String field, String uri, Path scratch) {
        ArtifactLocation location = locate(field, uri);
        if (location.folder()) {
            throw StepFailures.invalidInput(field + ": " + uri + " is a folder; a prompt set is a JSONL file");
        }
        Path local = scratch.resolve(field + ".jsonl");
        try {
            location.fetch(local);
        } catch (ArtifactNotFoundException e) {
            throw StepFailures.invalidInput(field + ": " + e.getMessage());
        }
        List<PromptItem> items;
        try {
            items = PromptSet.read(local);
        } catch (PromptSetException e) {
            throw StepFailures.invalidInput(field + ": " + e.getMessage().replace(local.toString(), uri));
        }
        if (items.isEmpty()) {
            throw StepFailures.invalidInput(field + ": " + uri + " has no prompts");
        }
        ArtifactRef ref = runStore.putFile(inputsPrefix + "/" + field + ".jsonl", local);
        return new PinnedPrompts(ref, items, nonBlankLines(local));
    }

    ArtifactRef modelFolder(String field, String uri, Path scratch) {
        ArtifactLocation location = locate(field, uri);
        if (!location.folder()) {
            throw StepFailures.invalidInput(field + ": " + uri + " must be a model folder URI ending with '/'");
        }
        ArtifactStore store = location.store();
        checkConfig(field, uri, store, location.key());
        List<String> files = store.list(location.key()).stream()
                .map(k -> k.substring(location.key().length() + 1)).toList();
        if (!files.contains(ModelTokenizer.TOKENIZER_JSON)) {
            throw StepFailures.invalidInput(field + ": " + uri + " has no " + ModelTokenizer.TOKENIZER_JSON);
        }
        if (files.stream().noneMatch(f -> f.endsWith(".safetensors"))) {
            throw StepFailures.invalidInput(field + ": " + uri + " has no .safetensors weights");
        }
        Optional<ArtifactRef> listed = location.find();
        if (listed.isPresent()) {
            return listed.get();
        }
        // Uploaded by other tools, so no listing to pin: copy it under the run, which gives it one.
        Path local = scratch.resolve(field);
        location.fetch(local);
        return runStore.putFolder(inputsPrefix + "/" + field, local);
    }

    private void checkConfig(String field, String uri, ArtifactStore store, String key) {
        byte[] config;
        try {
            config = store.readBytes(key + "/config.json");
        } catch (ArtifactNotFoundException e) {
            throw StepFailures.invalidInput(field + ": " + uri + " has no config.json");
        }
        try {
            JsonNode node = json.mapper().readTree(config);
            if (!(node instanceof ObjectNode object)) {
                throw StepFailures.invalidInput(field + ": " + uri + "config.json is not a JSON object");
            }
            ModelConfig.parse(object, uri + "config.json");
        } catch (IOException e) {
            throw StepFailures.invalidInput(field + ": " + uri + "config.json is not JSON: " + e.getMessage());
        } catch (InvalidModelException e) {
            throw StepFailures.invalidInput(field + ": " + e.getMessage());
        }
    }

    private ArtifactLocation locate(String field, String uri) {
        try {
            return stores.locate(uri);
        } catch (IllegalArgumentException e) {
            throw StepFailures.invalidInput(field + ": " + e.getMessage());
        }
    }

    /** PromptSet skips blank lines, so item i sits on the i-th non-blank line. */
    private static List<Integer> nonBlankLines(Path file) {
        try {
            List<String> all = Files.readAllLines(file);
            List<Integer> lines = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                if (!all.get(i).isBlank()) {
                    lines.add(i + 1);
                }
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
