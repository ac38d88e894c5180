package dev.tpo.train;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonIncludeProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
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
 * The JSONL files the trainers read. Pairs ({@link PairRow}): {@code {"prompt_ids":[..], "chosen_ids":[..],
 * "rejected_ids":[..], "ref_chosen_logp": x, "ref_rejected_logp": y}}; SFT: {@code {"prompt_ids":[..],
 * "completion_ids":[..]}}. Each may instead come as text, {@code "prompt"} (chat-formatted), {@code "chosen"},
 * {@code "rejected"} or {@code "completion"}, which a {@link TextEncoder} turns into ids. Other fields are ignored.
 * Blank lines are skipped; anything else malformed fails with the file and line. Nothing is coerced: ids must be
 * non-negative integers, text strings and log-probs finite numbers.
 */
public final class TrainingData {
    private final ObjectMapper json = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .withCoercionConfig(
                    LogicalType.Textual,
                    c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                            .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                            .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .withCoercionConfig(
                    LogicalType.Float,
                    c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                            .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .addMixIn(PairRow.class, TrainerFields.class)
            .build();

    /** The fields of a {@link PairRow} the trainer reads and writes; the pairing step's others are not checked. */
    @JsonIncludeProperties({
        "prompt_ids",
        "chosen_ids",
        "rejected_ids",
        "prompt",
        "chosen",
        "rejected",
        "ref_chosen_logp",
        "ref_rejected_logp"
    })
    private interface TrainerFields {}

    /** One line of an SFT file. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    private record SftRow(
            @JsonDeserialize(using = TokenIdsJson.class) int[] promptIds,
            @JsonDeserialize(using = TokenIdsJson.class) int[] completionIds,
            String prompt,
            String completion) {}

    /** @param requireReference whether ref_chosen_logp / ref_rejected_logp must be present (false before scoring) */
    public List<PreferencePair> readPairs(Path file, boolean requireReference) {
        return readPairs(file, requireReference, null);
    }

    /** @param text encodes text-form lines; null when only id-form lines are allowed */
    public List<PreferencePair> readPairs(Path file, boolean requireReference, TextEncoder text) {
        List<PreferencePair> out = new ArrayList<>();
        forEachLine(file, PairRow.class, (row, line) -> {
            int[] prompt = ids(row.promptIds(), row.prompt(), "prompt", file, line, text, true);
            int[] chosen = ids(row.chosenIds(), row.chosen(), "chosen", file, line, text, false);
            int[] rejected = ids(row.rejectedIds(), row.rejected(), "rejected", file, line, text, false);
            double refChosen = Double.NaN;
            double refRejected = Double.NaN;
            if (requireReference || row.refChosenLogp() != null || row.refRejectedLogp() != null) {
                refChosen = finite(row.refChosenLogp(), "ref_chosen_logp", file, line);
                refRejected = finite(row.refRejectedLogp(), "ref_rejected_logp", file, line);
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
        forEachLine(
                file,
                SftRow.class,
                (row, line) -> out.add(new SftExample(
                        ids(row.promptIds(), row.prompt(), "prompt", file, line, text, true),
                        ids(row.completionIds(), row.completion(), "completion", file, line, text, false))));
        return out;
    }

    /**
     * The side's token ids: {@code <field>_ids} when given, else {@code <field>} as text encoded. Neither may be
     * empty: the first completion token is predicted from the prompt's last token.
     */
    private static int[] ids(
            int[] ids, String textValue, String field, Path file, long line, TextEncoder text, boolean prompt) {
        String why = prompt ? " (the first completion token needs a prompt token before it)" : "";
        if (ids != null) {
            if (ids.length == 0) {
                throw new DataFormatException(file, line, "'" + field + "_ids' is empty" + why);
            }
            return ids;
        }
        if (textValue == null) {
            throw new DataFormatException(
                    file, line, "needs '" + field + "_ids' (token ids) or '" + field + "' (text)");
        }
        if (text == null) {
            throw new DataFormatException(
                    file,
                    line,
                    "'" + field + "' is text, but no tokenizer is available to "
                            + "encode it (the model folder needs tokenizer.json)");
        }
        int[] encoded = prompt ? text.prompt(textValue) : text.completion(textValue);
        if (encoded.length == 0) {
            throw new DataFormatException(file, line, "'" + field + "' encodes to no tokens" + why);
        }
        return encoded;
    }

    private static double finite(Double v, String field, Path file, long line) {
        if (v == null || !Double.isFinite(v)) {
            throw new DataFormatException(
                    file, line, "'" + field + "' must be a finite number" + " (compute reference log-probs first)");
        }
        return v;
    }

    /** Writes pairs (with their reference log-probs) atomically. */
    public void writePairs(Path file, List<PreferencePair> pairs) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            for (PreferencePair p : pairs) {
                w.write(json.writeValueAsString(PairRow.of(p)));
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

    private interface LineHandler<T> {
        void accept(T row, long line);
    }

    private <T> void forEachLine(Path file, Class<T> type, LineHandler<T> handler) {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String text;
            long line = 0;
            while ((text = r.readLine()) != null) {
                line++;
                if (!text.isBlank()) {
                    handler.accept(parse(text, type, file, line), line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private <T> T parse(String text, Class<T> type, Path file, long line) {
        JsonNode node;
        try {
            node = json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new DataFormatException(file, line, "not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (!node.isObject()) {
            throw new DataFormatException(file, line, "expected a JSON object");
        }
        try {
            return json.treeToValue(node, type);
        } catch (TokenIdsJson.Invalid e) {
            throw new DataFormatException(file, line, e.getOriginalMessage(), e);
        } catch (JsonMappingException e) {
            throw new DataFormatException(file, line, wrongType(e), e);
        } catch (JsonProcessingException e) {
            throw new DataFormatException(file, line, e.getOriginalMessage(), e);
        }
    }

    /** What a field of the wrong type should have been. */
    private static String wrongType(JsonMappingException e) {
        String field = e.getPath().isEmpty() ? null : e.getPath().get(0).getFieldName();
        if (field == null) {
            return e.getOriginalMessage();
        }
        if (field.startsWith("ref_")) {
            return "'" + field + "' must be a finite number (compute reference log-probs first)";
        }
        if (List.of("prompt", "chosen", "rejected", "completion").contains(field)) {
            return "'" + field + "' must be a string";
        }
        return "'" + field + "': " + e.getOriginalMessage();
    }
}
