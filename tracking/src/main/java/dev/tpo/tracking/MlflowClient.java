package dev.tpo.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The part of MLflow's REST API (2.0, which MLflow 3 still serves) that tracking a TPO run needs: experiments by
 * name, runs found by tag or created, batched params/metrics/tags, the run's end, and artifact upload through the
 * server's artifact proxy ({@code mlflow-artifacts:}), so a worker needs neither Python nor the artifact store's
 * credentials. One instance per server; thread-safe.
 */
public final class MlflowClient {
    /** MLflow's per-request limits for runs/log-batch. */
    static final int MAX_METRICS = 1000;

    static final int MAX_PARAMS = 100;
    static final int MAX_TAGS = 100;

    private final URI base;
    private final MlflowCredentials credentials;
    private final Duration timeout;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();

    public MlflowClient(URI base, MlflowCredentials credentials, Duration timeout) {
        String b = base.toString();
        this.base = URI.create(b.endsWith("/") ? b.substring(0, b.length() - 1) : b);
        this.credentials = credentials;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    public URI base() {
        return base;
    }

    /** The run's page in the MLflow UI. */
    public String runUrl(String experimentId, String runId) {
        return base + "/#/experiments/" + experimentId + "/runs/" + runId;
    }

    public Optional<String> experimentId(String name) {
        try {
            JsonNode r = get("/api/2.0/mlflow/experiments/get-by-name?experiment_name=" + encode(name));
            return Optional.of(r.path("experiment").path("experiment_id").asText());
        } catch (MlflowException e) {
            if (e.errorCode().equals("RESOURCE_DOES_NOT_EXIST")) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** The experiment's id, created when missing; another client creating it at the same moment is fine. */
    public String findOrCreateExperiment(String name) {
        Optional<String> found = experimentId(name);
        if (found.isPresent()) {
            return found.get();
        }
        ObjectNode body = json.createObjectNode().put("name", name);
        try {
            return post("/api/2.0/mlflow/experiments/create", body)
                    .path("experiment_id")
                    .asText();
        } catch (MlflowException e) {
            if (e.errorCode().equals("RESOURCE_ALREADY_EXISTS")) {
                return experimentId(name).orElseThrow(() -> e);
            }
            throw e;
        }
    }

    /** The oldest run of the experiment whose tag {@code key} equals {@code value}. */
    public Optional<MlflowRunInfo> findRunByTag(String experimentId, String key, String value) {
        ObjectNode body = json.createObjectNode();
        body.putArray("experiment_ids").add(experimentId);
        body.put("filter", "tags.`" + key + "` = " + quoted(value));
        body.put("max_results", 1);
        body.putArray("order_by").add("attributes.start_time ASC");
        JsonNode runs = post("/api/2.0/mlflow/runs/search", body).path("runs");
        return runs.isEmpty() ? Optional.empty() : Optional.of(run(runs.get(0)));
    }

    public MlflowRunInfo createRun(String experimentId, String runName, long startTime, Map<String, String> tags) {
        ObjectNode body = json.createObjectNode()
                .put("experiment_id", experimentId)
                .put("run_name", runName)
                .put("start_time", startTime);
        body.set("tags", keyValues(tags));
        return run(post("/api/2.0/mlflow/runs/create", body).path("run"));
    }

    public MlflowRunInfo getRun(String runId) {
        return run(get("/api/2.0/mlflow/runs/get?run_id=" + encode(runId)).path("run"));
    }

    /**
     * Logs in as many runs/log-batch requests as MLflow's limits need. Non-finite metric values are left out: JSON
     * has no NaN, and a NaN loss is visible in metrics.jsonl and the report.
     */
    public void logBatch(
            String runId, List<MlflowMetric> metrics, Map<String, String> params, Map<String, String> tags) {
        for (List<Map.Entry<String, String>> chunk : chunks(new ArrayList<>(params.entrySet()), MAX_PARAMS)) {
            ObjectNode body = json.createObjectNode().put("run_id", runId);
            body.set("params", keyValues(chunk));
            post("/api/2.0/mlflow/runs/log-batch", body);
        }
        for (List<Map.Entry<String, String>> chunk : chunks(new ArrayList<>(tags.entrySet()), MAX_TAGS)) {
            ObjectNode body = json.createObjectNode().put("run_id", runId);
            body.set("tags", keyValues(chunk));
            post("/api/2.0/mlflow/runs/log-batch", body);
        }
        List<MlflowMetric> finite =
                metrics.stream().filter(m -> Double.isFinite(m.value())).toList();
        for (List<MlflowMetric> chunk : chunks(finite, MAX_METRICS)) {
            ObjectNode body = json.createObjectNode().put("run_id", runId);
            ArrayNode array = body.putArray("metrics");
            for (MlflowMetric m : chunk) {
                array.addObject()
                        .put("key", m.key())
                        .put("value", m.value())
                        .put("timestamp", m.timestamp())
                        .put("step", m.step());
            }
            post("/api/2.0/mlflow/runs/log-batch", body);
        }
    }

    /** Ends the run: FINISHED, FAILED or KILLED. */
    public void endRun(String runId, String status, long endTime) {
        post(
                "/api/2.0/mlflow/runs/update",
                json.createObjectNode()
                        .put("run_id", runId)
                        .put("status", status)
                        .put("end_time", endTime));
    }

    /** Every value of one metric, in the order the server gives them. */
    public List<MlflowMetric> metricHistory(String runId, String key) {
        List<MlflowMetric> out = new ArrayList<>();
        String pageToken = "";
        do {
            JsonNode r = get("/api/2.0/mlflow/metrics/get-history?run_id=" + encode(runId) + "&metric_key="
                    + encode(key) + "&max_results=25000"
                    + (pageToken.isEmpty() ? "" : "&page_token=" + encode(pageToken)));
            for (JsonNode m : r.path("metrics")) {
                out.add(new MlflowMetric(
                        m.path("key").asText(),
                        m.path("value").asDouble(),
                        m.path("timestamp").asLong(),
                        m.path("step").asLong()));
            }
            pageToken = r.path("next_page_token").asText("");
        } while (!pageToken.isEmpty());
        return out;
    }

    /**
     * Stores {@code data} as the run's artifact {@code path} (e.g. report/report.html) through the server's artifact
     * proxy. A run whose artifacts live elsewhere (the server started with --no-serve-artifacts) cannot be written
     * from here, and the error says so.
     */
    public void uploadArtifact(MlflowRunInfo run, String path, byte[] data, String contentType) {
        URI target = artifactUrl(run, path);
        HttpRequest.Builder request =
                request(target).header("Content-Type", contentType).PUT(HttpRequest.BodyPublishers.ofByteArray(data));
        send(request.build(), "PUT " + target.getRawPath());
    }

    /** Reads back an artifact through the proxy. */
    public byte[] downloadArtifact(MlflowRunInfo run, String path) {
        URI target = artifactUrl(run, path);
        HttpRequest request = request(target).GET().build();
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() / 100 != 2) {
                throw failure(
                        "GET " + target.getRawPath(),
                        response.statusCode(),
                        new String(response.body(), StandardCharsets.UTF_8));
            }
            return response.body();
        } catch (IOException e) {
            throw unreachable("GET " + target.getRawPath(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unreachable("GET " + target.getRawPath(), new IOException("interrupted", e));
        }
    }

    private URI artifactUrl(MlflowRunInfo run, String path) {
        URI root = URI.create(run.artifactUri());
        if (!"mlflow-artifacts".equals(root.getScheme())) {
            throw new MlflowException(
                    "the MLflow server keeps the artifacts of run " + run.runId() + " at "
                            + run.artifactUri() + ", which only it can write; start it with artifact proxying "
                            + "(--serve-artifacts, MLflow's default)",
                    0,
                    "ARTIFACTS_NOT_PROXIED",
                    false,
                    null);
        }
        String rootPath = root.getPath().replaceAll("^/+", "");
        String encoded = (rootPath + "/" + path).replaceAll("/+", "/");
        String segments = List.of(encoded.split("/")).stream()
                .map(MlflowClient::encodeSegment)
                .collect(Collectors.joining("/"));
        return URI.create(base + "/api/2.0/mlflow-artifacts/artifacts/" + segments);
    }

    private MlflowRunInfo run(JsonNode run) {
        JsonNode info = run.path("info");
        return new MlflowRunInfo(
                info.path("run_id").asText(),
                info.path("experiment_id").asText(),
                info.path("run_name").asText(),
                info.path("status").asText(),
                info.path("artifact_uri").asText(),
                map(run.path("data").path("tags")),
                map(run.path("data").path("params")));
    }

    private static Map<String, String> map(JsonNode keyValues) {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode kv : keyValues) {
            out.put(kv.path("key").asText(), kv.path("value").asText());
        }
        return out;
    }

    private ArrayNode keyValues(Map<String, String> values) {
        return keyValues(new ArrayList<>(values.entrySet()));
    }

    private ArrayNode keyValues(List<Map.Entry<String, String>> values) {
        ArrayNode array = json.createArrayNode();
        values.forEach(e -> array.addObject().put("key", e.getKey()).put("value", e.getValue()));
        return array;
    }

    private static <T> List<List<T>> chunks(List<T> items, int size) {
        List<List<T>> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i += size) {
            out.add(items.subList(i, Math.min(items.size(), i + size)));
        }
        return out;
    }

    /** A string literal of MLflow's search syntax; a value with both quote kinds cannot be written as one. */
    private static String quoted(String value) {
        if (!value.contains("'")) {
            return "'" + value + "'";
        }
        if (!value.contains("\"")) {
            return "\"" + value + "\"";
        }
        throw new MlflowException(
                "cannot search MLflow for a tag value with both ' and \": " + value,
                0,
                "INVALID_PARAMETER_VALUE",
                false,
                null);
    }

    private JsonNode get(String pathAndQuery) {
        return exchange(request(URI.create(base + pathAndQuery)).GET().build(), "GET " + pathOnly(pathAndQuery));
    }

    private JsonNode post(String path, ObjectNode body) {
        try {
            HttpRequest request = request(URI.create(base + path))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)))
                    .build();
            return exchange(request, "POST " + path);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a request body always serialises", e);
        }
    }

    private HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout);
        credentials.authorization().ifPresent(value -> b.header("Authorization", value));
        return b;
    }

    private JsonNode exchange(HttpRequest request, String what) {
        String body = send(request, what);
        try {
            return body.isBlank() ? json.createObjectNode() : json.readTree(body);
        } catch (IOException e) {
            throw new MlflowException(
                    what + " at " + base + ": the answer is not JSON: " + abbreviate(body), 200, "", false, e);
        }
    }

    private String send(HttpRequest request, String what) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw failure(what, response.statusCode(), response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw unreachable(what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unreachable(what, new IOException("interrupted", e));
        }
    }

    private MlflowException unreachable(String what, IOException e) {
        return new MlflowException(what + ": cannot reach the MLflow server at " + base + ": " + e, 0, "", true, e);
    }

    private MlflowException failure(String what, int status, String body) {
        String code = "";
        String message = abbreviate(body);
        try {
            JsonNode error = json.readTree(body);
            code = error.path("error_code").asText("");
            message = error.path("message").asText(message);
        } catch (IOException ignored) {
            // Not MLflow's JSON error (a proxy's page, say): the body itself is the message.
        }
        boolean retryable = status >= 500 || status == 429 || status == 408;
        String hint = status == 401 || status == 403
                ? " (check " + MlflowCredentials.TOKEN + " or " + MlflowCredentials.USERNAME + "/"
                        + MlflowCredentials.PASSWORD + " on this worker; sent: " + credentials + ")"
                : "";
        return new MlflowException(
                what + " at " + base + " answered " + status + (code.isEmpty() ? "" : " " + code) + ": " + message
                        + hint,
                status,
                code,
                retryable,
                null);
    }

    private static String pathOnly(String pathAndQuery) {
        int q = pathAndQuery.indexOf('?');
        return q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    }

    private static String abbreviate(String s) {
        String flat = s == null ? "" : s.strip().replaceAll("\\s+", " ");
        return flat.length() <= 300 ? flat : flat.substring(0, 300) + "...";
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String encodeSegment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
