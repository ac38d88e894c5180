package dev.tpo.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Debian's nginx terminating TLS in front of a plaintext gRPC server ({@code grpc_pass}), as a deployment would put
 * it in front of Temporal's frontend: one port with server TLS only, one that also requires a client certificate
 * signed by the CA (mTLS). Runs in the foreground as this test's own process (no master process, so no switch to
 * another user and nothing of the system's nginx set-up: prefix, config, logs and temp files all in {@code dir}).
 *
 * @param tlsPort    server TLS only
 * @param mutualPort server TLS and a required client certificate
 */
record NginxTlsTerminator(Process process, Path dir, int tlsPort, int mutualPort) implements AutoCloseable {
    private static final Path NGINX = Path.of("/usr/sbin/nginx");

    static boolean installed() {
        return Files.isExecutable(NGINX);
    }

    static NginxTlsTerminator start(Path dir, TestCertificates certificates, String grpcBackend)
            throws IOException, InterruptedException {
        Files.createDirectories(dir.resolve("temp"));
        int tlsPort = freePort();
        int mutualPort = freePort();
        Path config = dir.resolve("nginx.conf");
        Files.writeString(config, config(dir, certificates, grpcBackend, tlsPort, mutualPort));
        Process process = new ProcessBuilder(
                        NGINX.toString(), "-p", dir.toString(), "-c", config.toString(), "-e", "error.log")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("nginx.out").toFile())
                .start();
        NginxTlsTerminator nginx = new NginxTlsTerminator(process, dir, tlsPort, mutualPort);
        try {
            nginx.awaitListening(Duration.ofSeconds(20));
        } catch (RuntimeException | InterruptedException e) {
            nginx.close();
            throw e;
        }
        return nginx;
    }

    private static String config(
            Path dir, TestCertificates certificates, String grpcBackend, int tlsPort, int mutualPort) {
        String temp = dir.resolve("temp").toString();
        // Temporal's long polls last up to 70 s: a shorter grpc_read_timeout would cut every idle poll with a 504.
        String proxy = """
                    ssl_certificate %s;
                    ssl_certificate_key %s;
                    grpc_read_timeout 120s;
                    grpc_send_timeout 120s;
                    location / { grpc_pass grpc://%s; }
                """.formatted(certificates.serverCert(), certificates.serverKey(), grpcBackend);
        return """
                daemon off;
                master_process off;
                pid %s/nginx.pid;
                error_log %s/error.log info;
                events { worker_connections 128; }
                http {
                    access_log off;
                    client_body_temp_path %s/body;
                    proxy_temp_path %s/proxy;
                    fastcgi_temp_path %s/fastcgi;
                    uwsgi_temp_path %s/uwsgi;
                    scgi_temp_path %s/scgi;
                    client_max_body_size 0;
                    server {
                        listen 127.0.0.1:%d ssl http2;
                %s    }
                    server {
                        listen 127.0.0.1:%d ssl http2;
                        ssl_client_certificate %s;
                        ssl_verify_client on;
                %s    }
                }
                """.formatted(
                        dir, dir, temp, temp, temp, temp, temp, tlsPort, proxy, mutualPort, certificates.ca(), proxy);
    }

    private void awaitListening(Duration timeout) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("nginx exited with " + process.exitValue() + ": " + log());
            }
            if (accepts(tlsPort) && accepts(mutualPort)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("nginx did not listen within " + timeout + ": " + log());
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    /** nginx's error log (info level: TLS handshakes it refused are there too). */
    String log() throws IOException {
        Path log = dir.resolve("error.log");
        return (Files.exists(log) ? Files.readString(log) : "") + Files.readString(dir.resolve("nginx.out"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
