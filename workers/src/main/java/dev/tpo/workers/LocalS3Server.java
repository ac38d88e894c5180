package dev.tpo.workers;

import dev.tpo.artifacts.S3Settings;
import java.net.URI;
import java.nio.file.Path;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * An S3 server in this JVM: S3Proxy in front of a jclouds filesystem blob store, so buckets are folders under
 * {@code dataDir} and survive restarts. Path-style, with fixed local credentials by default (it listens on loopback only).
 */
public final class LocalS3Server implements AutoCloseable {
    public static final String ACCESS_KEY = "tpo-local";
    public static final String SECRET_KEY = "tpo-local-secret";
    public static final String REGION = "us-east-1";

    private final BlobStoreContext blobStore;
    private final S3Proxy proxy;
    private final String accessKey;
    private final String secretKey;

    private LocalS3Server(BlobStoreContext blobStore, S3Proxy proxy, String accessKey, String secretKey) {
        this.blobStore = blobStore;
        this.proxy = proxy;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
    }

    /** Starts on {@code port} (0: any free port) with buckets stored under {@code dataDir}. */
    public static LocalS3Server start(int port, Path dataDir) throws Exception {
        return start(port, dataDir, ACCESS_KEY, SECRET_KEY);
    }

    /** As {@link #start(int, Path)}, accepting only these credentials (a test that must not see them leak). */
    public static LocalS3Server start(int port, Path dataDir, String accessKey, String secretKey) throws Exception {
        Properties properties = new Properties();
        properties.setProperty(
                "jclouds.filesystem.basedir", dataDir.toAbsolutePath().toString());
        BlobStoreContext context = ContextBuilder.newBuilder("filesystem")
                .credentials("identity", "credential")
                .overrides(properties)
                .build(BlobStoreContext.class);
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(context.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                .build();
        try {
            proxy.start();
        } catch (Exception e) {
            context.close();
            throw new IllegalArgumentException("--s3-port: cannot serve S3 on port " + port + ": " + e.getMessage(), e);
        }
        return new LocalS3Server(context, proxy, accessKey, secretKey);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    public int port() {
        return proxy.getPort();
    }

    /** A client's settings for this server (any bucket: stores take theirs from the artifact URI). */
    public S3Settings clientSettings() {
        return new S3Settings(endpoint(), REGION, accessKey, secretKey, true);
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
        blobStore.close();
    }
}
