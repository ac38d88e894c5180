package dev.tpo.method.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * report.json reading and writing. The records carry their snake_case naming themselves; this mapper adds stable
 * key order and rejects unknown fields, so a report written by one version and read by another fails loudly.
 */
public final class ReportJson {
    private final ObjectMapper mapper = new ObjectMapper()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public String write(IterationReport report) {
        try {
            return mapper.writeValueAsString(report);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the report of iteration " + report.iteration(), e);
        }
    }

    public IterationReport read(String json) {
        try {
            return mapper.readValue(json, IterationReport.class);
        } catch (IOException e) {
            throw new UncheckedIOException("not a valid iteration report: " + e.getMessage(), e);
        }
    }
}
