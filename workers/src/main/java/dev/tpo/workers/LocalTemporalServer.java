package dev.tpo.workers;

import io.temporal.testserver.TestServer;

/**
 * Temporal's Java test server on a local port: history in memory (lost on stop), no Web UI, no visibility
 * queries. Enough to run and inspect workflows on one machine without Docker.
 */
public final class LocalTemporalServer implements TemporalServer {
    private final TestServer.PortBoundTestServer server;
    private final int port;

    private LocalTemporalServer(TestServer.PortBoundTestServer server, int port) {
        this.server = server;
        this.port = port;
    }

    public static LocalTemporalServer start(int port) {
        try {
            return new LocalTemporalServer(TestServer.createPortBoundServer(port), port);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "--temporal-port: cannot serve Temporal on port " + port + ": " + rootMessage(e), e);
        }
    }

    @Override
    public TemporalSettings clientSettings() {
        return TemporalSettings.local(port);
    }

    @Override
    public String uiUrl() {
        return null;
    }

    @Override
    public String description() {
        return "Temporal Java test server, history in memory, no Web UI";
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        server.close();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
