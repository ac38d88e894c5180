package dev.tpo.cli;

import dev.tpo.workers.codec.AesGcmPayloadCodec;
import dev.tpo.workers.codec.CodecServer;
import dev.tpo.workers.codec.PayloadKeys;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tpo codec-server}: Temporal's remote codec HTTP endpoints with the payload keys, so the Web UI (and
 * {@code temporal workflow show --codec-endpoint}) shows encrypted runs decrypted.
 */
@Command(
        name = "codec-server",
        mixinStandardHelpOptions = true,
        description = "Serve Temporal's remote codec endpoints (POST /encode, POST /decode) with the payload keys, "
                + "for the Web UI (point its codec endpoint here: temporal server start-dev --ui-codec-endpoint, "
                + "or the UI's Data Encoder setting) and the Temporal CLI (--codec-endpoint). Until Ctrl-C.")
final class CodecServerCommand implements Callable<Integer> {
    @Spec
    CommandSpec command;

    @Option(names = "--port", defaultValue = "8081", description = "Default ${DEFAULT-VALUE}; 0 for a free one.")
    int port;

    @Option(
            names = "--host",
            defaultValue = "127.0.0.1",
            description = "Interface to listen on (default ${DEFAULT-VALUE}). Whoever reaches it can decrypt.")
    String host;

    @Option(
            names = "--ui-origin",
            paramLabel = "URL",
            split = ",",
            description = "Browser origins allowed to call it (CORS), e.g. the Web UI's http://localhost:8233 "
                    + "(the default, with 127.0.0.1:8233).")
    List<String> uiOrigins;

    @Option(
            names = PayloadKeys.KEY_FILE_FLAG,
            paramLabel = "FILE",
            description = "The payload keys, id:base64key per line, as the workers have them (env "
                    + "TPO_PAYLOAD_KEY_FILE, or the keys in env TPO_PAYLOAD_KEYS).")
    Path payloadKeyFile;

    @Override
    public Integer call() throws InterruptedException {
        PayloadKeys keys = PayloadKeys.from(payloadKeyFile, System.getenv());
        if (keys.isEmpty()) {
            throw new UsageException("no payload keys: give " + PayloadKeys.KEY_FILE_FLAG + " or set "
                    + PayloadKeys.KEYS_ENV + " (the workers' keys)");
        }
        LinkedHashSet<String> origins = new LinkedHashSet<>(
                uiOrigins != null ? uiOrigins : List.of("http://localhost:8233", "http://127.0.0.1:8233"));
        for (String origin : origins) {
            if (!origin.equals("*") && !origin.matches("https?://[^/\\s]+")) {
                throw new UsageException("--ui-origin: '" + origin + "' is not an origin (scheme://host[:port])");
            }
        }
        CodecServer server = CodecServer.start(host, port, new AesGcmPayloadCodec(keys), origins);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            server.close();
                            stopped.countDown();
                        },
                        "tpo-codec-server-shutdown"));
        PrintWriter out = command.commandLine().getOut();
        out.println("codec server: " + server.url() + "  (POST /encode, POST /decode; key ids " + keys.ids()
                + ", current " + keys.currentId() + "; CORS for " + String.join(", ", origins) + ")");
        out.println("Web UI: temporal server start-dev --ui-codec-endpoint " + server.url()
                + "  (or Settings > Data Encoder in the UI)");
        out.println("CLI:    temporal workflow show -w RUN_ID --codec-endpoint " + server.url());
        out.println("Running until Ctrl-C.");
        out.flush();
        stopped.await();
        return 0;
    }
}
