package dev.tpo.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSONL files the trainers read. Pairs: {@code {"prompt_ids":[..], "chosen_ids":[..], "rejected_ids":[..],
 * "ref_chosen_logp": x, "ref_rejected_logp": y}}; SFT: {@code {"prompt_ids":[..], "completion_ids":[..]}}. Each
 * may instead come as text, {@code "prompt"} (chat-formatted), {@code "chosen"}, {@code "rejected"} or
 * {@code "completion"}, which a {@link TextEncoder} turns into ids. Blank lines are skipped; anything else
 * malformed fails with the file and line.
 */
public final class TrainingData {
    private final ObjectMapper json = new ObjectMapper();

    /** @param requireReference whether ref_chosen_logp / ref_rejected_logp must be present (false before scoring) */
    public List<PreferencePair> readPairs(Path file, boolean requireReference) {
        return readPairs(file, requireReference, null);
    }

    /** @param text encodes text-form lines; null when only id-form lines are allowed */
    public List<PreferencePair> readPairs(Path file, boolean requireReference, TextEncoder text) {
        List<PreferencePair> out = new ArrayList<>();
        forEachLine(file, (node, line) -> {
            int[] prompt = promptIds(node, "prompt", file, line, text);
            int[] chosen = completionIds(node, "chosen", file, line, text);
            int[] rejected = completionIds(node, "rejected", file, line, text);
            double refChosen = Double.NaN;
            double refRejected = Double.NaN;
            if (requireReference || node.has("ref_chosen_logp") || node.has("ref_rejected_logp")) {
                refChosen = number(node, "ref_chosen_logp", file, line);
                refRejected = number(node, "ref_rejected_logp", file, line);
            }
            out.add(new PreferencePair(prompt, chosen, rejected, refChosen, refRejected));
        });
        return out;
    }

    public List<SftExample> readSft(Path file) {
        return readSft(file, null);
    }

    /** @param text encodes text-form lines; null when only id-form lines are allowed */
    public List<SftExample> readSft(Path file, TextEncoder text) {
        List<SftExample> out = new ArrayList<>();
        forEachLine(file, (node, line) -> out.add(new SftExample(promptIds(node, "prompt", file, line, text),
                completionIds(node, "completion", file, line, text))));
        return out;
    }

    private static int[] promptIds(JsonNode node, String field, Path file, long line, TextEncoder text) {
        if (node.has(field + "_ids")) {
            return ids(node, field + "_ids", file, line, true);
        }
        return nonEmpty(text(node, field, file, line, text, true), field, file, line, true);
    }

    private static int[] completionIds(JsonNode node, String field, Path file, long line, TextEncoder text) {
        if (node.has(field + "_ids")) {
            return ids(node, field + "_ids", file, line, false);
        }
        return nonEmpty(text(node, field, file, line, text, false), field, file, line, false);
    }

    private static int[] text(JsonNode node, String field, Path file, long line, TextEncoder text, boolean prompt) {
        JsonNode v = node.get(field);
        if (v == null) {
            throw new DataFormatException(file, line, "needs '" + field + "_ids' (token ids) or '" + field
                    + "' (text)");
        }
        if (!v.isTextual()) {
            throw new DataFormatException(file, line, "'" + field + "' must be a string");
        }
        if (text == null) {
            throw new DataFormatException(file, line, "'" + field + "' is text, but no tokenizer is available to "
                    + "encode it (the model folder needs tokenizer.json)");
        }
        return prompt ? text.prompt(v.asText()) : text.completion(v.asText());
    }

    private static int[] nonEmpty(int[] ids, String field, Path file, long line, boolean prompt) {
        if (ids.length == 0) {
            throw new DataFormatException(file, line, "'" + field + "' encodes to no tokens"
                    + (prompt ? " (the first completion token needs a prompt token before it)" : ""));
        }
        return ids;
    }

    /** Writes pairs (with their reference log-probs) atomically. */
    public void writePairs(Path file, List<PreferencePair> pairs) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            for (PreferencePair p : pairs) {
                ObjectNode n = json.createObjectNode();
                putIds(n.putArray("prompt_ids"), p.promptIds());
                putIds(n.putArray("chosen_ids"), p.chosenIds());
                putIds(n.putArray("rejected_ids"), p.rejectedIds());
                if (Double.isFinite(p.refChosenLogp()) && Double.isFinite(p.refRejectedLogp())) {
                    n.put("ref_chosen_logp", p.refChosenLogp());
                    n.put("ref_rejected_logp", p.refRejectedLogp());
                }
                w.write(json.writeValueAsString(n));
                w.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private interface LineHandler {
        void accept(JsonNode node, long line);
    }

    private void forEachLine(Path file, LineHandler handler) {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String text;
            long line = 0;
            while ((text = r.readLine()) != null) {
                line++;
                if (text.isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = json.readTree(text);
                } catch (JsonProcessingException e) {
                    throw new DataFormatException(file, line, "not valid JSON: " + e.getOriginalMessage(), e);
                }
                if (!node.isObject()) {
                    throw new DataFormatException(file, line, "expected a JSON object");
                }
                handler.accept(node, line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static int[] ids(JsonNode node, String field, Path file, long line, boolean prompt) {
        JsonNode a = node.get(field);
        if (a == null || !a.isArray()) {
            throw new DataFormatException(file, line, "'" + field + "' must be an array of token ids");
        }
        if (a.isEmpty()) {
            // The first completion token is predicted from the prompt's last token, so neither may be empty.
            throw new DataFormatException(file, line, "'" + field + "' is empty"
                    + (prompt ? " (the first completion token needs a prompt token before it)" : ""));
        }
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = a.get(i);
            if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 0) {
                throw new DataFormatException(file, line, "'" + field + "'[" + i + "] = " + v
                        + " is not a non-negative integer token id");
            }
            out[i] = v.asInt();
        }
        return out;
    }

    private static double number(JsonNode node, String field, Path file, long line) {
        JsonNode v = node.get(field);
        if (v == null || !v.isNumber() || !Double.isFinite(v.asDouble())) {
            throw new DataFormatException(file, line, "'" + field + "' must be a finite number"
                    + " (compute reference log-probs first)");
        }
        return v.asDouble();
    }

    private static void putIds(ArrayNode a, int[] ids) {
        for (int id : ids) {
            a.add(id);
        }
    }
}
