package dev.tpo.workers;

import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2Exception;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2Headers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;

/**
 * A TLS front for a plaintext gRPC server, for clients that only speak TLS (one given a Temporal API key dials TLS,
 * as Temporal Cloud requires, and the dev server has none): it terminates TLS with a fresh self-signed certificate
 * for 127.0.0.1 (negotiating h2 by ALPN, as gRPC requires), pipes the HTTP/2 bytes both ways, and keeps what clients
 * sent so that the request headers can be read back (HPACK-decoded), e.g. to see that a key went into
 * {@code authorization} and nowhere else. A client trusts it through {@link #trustStoreOptions()}.
 */
final class TlsCapturingProxy implements AutoCloseable {
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADERS = 0x1;
    private static final int CONTINUATION = 0x9;
    private static final int END_HEADERS = 0x4;
    private static final int PADDED = 0x8;
    private static final int PRIORITY = 0x20;

    private final SSLServerSocket server;
    private final Path keyStore;
    private final String password;
    private final List<ByteArrayOutputStream> sent = new ArrayList<>();
    private final List<Socket> sockets = new ArrayList<>();

    private TlsCapturingProxy(SSLServerSocket server, Path keyStore, String password, int targetPort) {
        this.server = server;
        this.keyStore = keyStore;
        this.password = password;
        Thread acceptor = new Thread(() -> accept(targetPort), "tls-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Listens on a free loopback port in front of {@code 127.0.0.1:targetPort}; the key store goes into {@code dir}. */
    static TlsCapturingProxy start(Path dir, int targetPort) throws Exception {
        Path keyStore = dir.resolve("tls-proxy.p12");
        String password = "tls-proxy-store";
        Process keytool = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "keytool")
                                .toString(),
                        "-genkeypair",
                        "-alias",
                        "proxy",
                        "-keyalg",
                        "EC",
                        "-groupname",
                        "secp256r1",
                        "-dname",
                        "CN=127.0.0.1",
                        "-ext",
                        "SAN=ip:127.0.0.1",
                        "-validity",
                        "2",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        keyStore.toString(),
                        "-storepass",
                        password)
                .redirectErrorStream(true)
                .start();
        String out = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + out);
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            store.load(in, password.toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, password.toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), null, null);
        SSLServerSocket server = (SSLServerSocket)
                tls.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        SSLParameters parameters = server.getSSLParameters();
        parameters.setApplicationProtocols(new String[] {"h2"});
        server.setSSLParameters(parameters);
        return new TlsCapturingProxy(server, keyStore, password, targetPort);
    }

    /** The address to give the client. */
    String address() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    /** JVM options that make a client trust this proxy's certificate. */
    List<String> trustStoreOptions() {
        return List.of(
                "-Djavax.net.ssl.trustStore=" + keyStore,
                "-Djavax.net.ssl.trustStorePassword=" + password,
                "-Djavax.net.ssl.trustStoreType=PKCS12");
    }

    /** Every value clients sent in request header {@code name}, over all connections so far. */
    synchronized List<String> headerValues(String name) throws Http2Exception {
        List<String> values = new ArrayList<>();
        for (ByteArrayOutputStream connection : sent) {
            for (Http2Headers headers : headerBlocks(connection.toByteArray())) {
                for (Map.Entry<CharSequence, CharSequence> header : headers) {
                    if (header.getKey().toString().equalsIgnoreCase(name)) {
                        values.add(header.getValue().toString());
                    }
                }
            }
        }
        return values;
    }

    /** The header blocks of one connection's client-to-server bytes, decoded in order (HPACK keeps state). */
    private static List<Http2Headers> headerBlocks(byte[] bytes) throws Http2Exception {
        List<Http2Headers> blocks = new ArrayList<>();
        if (bytes.length < PREFACE.length) {
            return blocks;
        }
        DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(false);
        ByteBuffer in = ByteBuffer.wrap(bytes, PREFACE.length, bytes.length - PREFACE.length);
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        while (in.remaining() >= 9) {
            int length = ((in.get() & 0xff) << 16) | ((in.get() & 0xff) << 8) | (in.get() & 0xff);
            int type = in.get() & 0xff;
            int flags = in.get() & 0xff;
            int stream = in.getInt() & 0x7fffffff;
            if (in.remaining() < length) {
                break;
            }
            byte[] payload = new byte[length];
            in.get(payload);
            if (type != HEADERS && type != CONTINUATION) {
                continue;
            }
            int from = 0;
            int to = length;
            if (type == HEADERS && (flags & PADDED) != 0) {
                to -= payload[0] & 0xff;
                from = 1;
            }
            if (type == HEADERS && (flags & PRIORITY) != 0) {
                from += 5;
            }
            block.write(payload, from, to - from);
            if ((flags & END_HEADERS) != 0) {
                blocks.add(decoder.decodeHeaders(stream, Unpooled.wrappedBuffer(block.toByteArray())));
                block.reset();
            }
        }
        return blocks;
    }

    private void accept(int targetPort) {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                ByteArrayOutputStream record = new ByteArrayOutputStream();
                synchronized (this) {
                    sent.add(record);
                    sockets.add(client);
                    sockets.add(upstream);
                }
                pipe(client.getInputStream(), upstream.getOutputStream(), record);
                pipe(upstream.getInputStream(), client.getOutputStream(), null);
            } catch (IOException e) {
                // closed, or one client's failed handshake: the next accept says which
            }
        }
    }

    private void pipe(InputStream from, OutputStream to, ByteArrayOutputStream record) {
        Thread thread = new Thread(
                () -> {
                    byte[] buffer = new byte[16 * 1024];
                    try (from;
                            to) {
                        for (int n; (n = from.read(buffer)) > 0; ) {
                            if (record != null) {
                                synchronized (this) {
                                    record.write(buffer, 0, n);
                                }
                            }
                            to.write(buffer, 0, n);
                            to.flush();
                        }
                    } catch (IOException e) {
                        // the other side closed
                    }
                },
                "tls-proxy-pipe");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public synchronized void close() throws IOException {
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}
