package dev.tpo.activities.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tpo.activities.StepFailures;
import dev.tpo.api.ArtifactRef;
import dev.tpo.artifacts.ArtifactLocation;
import dev.tpo.artifacts.ArtifactNotFoundException;
import dev.tpo.artifacts.ArtifactStore;
import dev.tpo.artifacts.ArtifactStores;
import dev.tpo.method.prompts.PromptItem;
import dev.tpo.method.prompts.PromptSet;
import dev.tpo.method.prompts.PromptSetException;
import dev.tpo.method.thought.ThoughtPrompt;
import dev.tpo.model.InvalidModelException;
import dev.tpo.model.ModelConfig;
import dev.tpo.model.tokenizer.ChatMessage;
import dev.tpo.model.tokenizer.ModelTokenizer;
import dev.tpo.model.tokenizer.TokenizerException;
import dev.tpo.model.weights.ModelWeights;
import dev.tpo.model.weights.SafetensorsFile;
import dev.tpo.model.weights.TensorEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks the user's inputs and then pins each by digest under {@code runs/{runId}/inputs/}. Checking comes first for
 * all of them, so a rejected run writes nothing. Model folders are checked from their config.json, tokenizer files
 * and the headers of their weights (a few kilobytes, read by range, so an 8B model is not downloaded to be
 * rejected), without loading any native library.
 */
public final class InputPins {
    private final ArtifactStores stores;
    private final ArtifactStore runStore;
    private final String inputsPrefix;
    private final StepJson json;

    public InputPins(ArtifactStores stores, ArtifactStore runStore, String inputsPrefix, StepJson json) {
        this.stores = stores;
        this.runStore = runStore;
        this.inputsPrefix = inputsPrefix;
        this.json = json;
    }

    /** A prompt set, read line by line (errors name the user's URI and line), with each item's line number. */
    public record CheckedPrompts(String field, String uri, Path local, List<PromptItem> items, List<Integer> lines) {}

    /** A model folder whose config, tokenizer and weights' headers passed; {@code tokenizerDir} holds its small files. */
    public record CheckedModel(
            String field, String uri, ArtifactLocation location, ModelConfig config, Path tokenizerDir) {}

    public CheckedPrompts checkPrompts(String field, String uri, Path scratch) {
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
        return new CheckedPrompts(field, uri, local, items, nonBlankLines(local));
    }

    /**
     * Checks a model folder. {@code chat}: the model answers chat prompts (a policy or an LLM judge), so its tokenizer
     * must have a chat template.
     */
    public CheckedModel checkModel(String field, String uri, boolean chat, Path scratch) {
        ArtifactLocation location = locate(field, uri);
        if (!location.folder()) {
            throw StepFailures.invalidInput(field + ": " + uri + " must be a model folder URI ending with '/'");
        }
        ArtifactStore store = location.store();
        String key = location.key();
        ModelConfig config = config(field, uri, store, key);
        List<String> files =
                store.list(key).stream().map(k -> k.substring(key.length() + 1)).toList();
        if (!files.contains(ModelTokenizer.TOKENIZER_JSON)) {
            throw StepFailures.invalidInput(field + ": " + uri + " has no " + ModelTokenizer.TOKENIZER_JSON);
        }
        List<String> weights =
                files.stream().filter(f -> f.endsWith(".safetensors")).toList();
        if (weights.isEmpty()) {
            throw StepFailures.invalidInput(field + ": " + uri + " has no .safetensors weights");
        }
        checkWeights(field, uri, store, key, config, weights);
        Path tokenizerDir = scratch.resolve(field + "-tokenizer");
        for (String file : files) {
            // The tokenizer's files and templates; everything but the weights is small.
            if (!file.contains("/")
                    && !file.endsWith(".safetensors")
                    && !file.startsWith("_")
                    && (file.endsWith(".json") || file.endsWith(".jinja") || file.endsWith(".model"))) {
                store.fetchKey(key + "/" + file, tokenizerDir.resolve(file));
            }
        }
        if (chat) {
            try (ModelTokenizer tokenizer = ModelTokenizer.open(tokenizerDir)) {
                if (!tokenizer.hasChatTemplate()) {
                    throw StepFailures.invalidInput(field + ": " + uri + " has no chat template (neither "
                            + "tokenizer_config.json's chat_template nor chat_template.jinja), which a model that "
                            + "answers instructions needs");
                }
            } catch (TokenizerException e) {
                throw StepFailures.invalidInput(
                        field + ": " + uri + ": " + e.getMessage().replace(tokenizerDir.toString() + "/", uri));
            }
        }
        return new CheckedModel(field, uri, location, config, tokenizerDir);
    }

    /**
     * Every prompt, as the policy sees it (the thought prompt around it, in the chat template), must leave room to
     * generate in the model's context.
     */
    public void checkContext(List<CheckedPrompts> sets, CheckedModel model, ThoughtPrompt thought) {
        int context = model.config().maxPositionEmbeddings();
        try (ModelTokenizer tokenizer = ModelTokenizer.open(model.tokenizerDir())) {
            for (CheckedPrompts prompts : sets) {
                for (int i = 0; i < prompts.items().size(); i++) {
                    PromptItem item = prompts.items().get(i);
                    int length =
                            tokenizer.encodeChat(List.of(ChatMessage.user(thought.wrap(item.prompt()))), true).length;
                    if (length >= context) {
                        throw StepFailures.invalidInput(prompts.field() + ": " + prompts.uri() + ":"
                                + prompts.lines().get(i) + ": prompt '" + item.id() + "' is " + length + " tokens "
                                + "with the thought prompt and chat template, which leaves no room to answer in the "
                                + model.field() + "'s context of " + context + " tokens (max_position_embeddings)");
                    }
                }
            }
        } catch (TokenizerException e) {
            throw StepFailures.invalidInput(model.field() + ": " + model.uri() + ": " + e.getMessage());
        }
    }

    public ArtifactRef pin(CheckedPrompts prompts) {
        return runStore.putFile(inputsPrefix + "/" + prompts.field() + ".jsonl", prompts.local());
    }

    public ArtifactRef pin(CheckedModel model, Path scratch) {
        Optional<ArtifactRef> listed = model.location().find();
        if (listed.isPresent()) {
            return listed.get();
        }
        // Uploaded by other tools, so no listing to pin: copy it under the run, which gives it one.
        Path local = scratch.resolve(model.field());
        model.location().fetch(local);
        return runStore.putFolder(inputsPrefix + "/" + model.field(), local);
    }

    private ModelConfig config(String field, String uri, ArtifactStore store, String key) {
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
            return ModelConfig.parse(object, uri + "config.json");
        } catch (IOException e) {
            throw StepFailures.invalidInput(field + ": " + uri + "config.json is not JSON: " + e.getMessage());
        } catch (InvalidModelException e) {
            throw StepFailures.invalidInput(field + ": " + e.getMessage());
        }
    }

    /** Headers only: each file's size against its tensors' offsets, and the tensors against the config. */
    private static void checkWeights(
            String field, String uri, ArtifactStore store, String key, ModelConfig config, List<String> weights) {
        Map<String, TensorEntry> entries = new HashMap<>();
        Map<String, String> fileOf = new HashMap<>();
        try {
            for (String file : weights) {
                String fileKey = key + "/" + file;
                Map<String, TensorEntry> header = SafetensorsFile.header(
                        uri + file,
                        store.sizeOf(fileKey),
                        (offset, length) -> store.readRange(fileKey, offset, length));
                header.keySet().forEach(name -> fileOf.put(name, uri + file));
                entries.putAll(header);
            }
            ModelWeights.checkLayout(uri, config, entries, fileOf::get);
        } catch (InvalidModelException e) {
            throw StepFailures.invalidInput(field + ": " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the weights of " + uri, e);
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
