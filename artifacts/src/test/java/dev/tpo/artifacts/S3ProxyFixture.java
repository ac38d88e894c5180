package dev.tpo.artifacts;

import java.net.URI;
import java.nio.file.Path;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 server in this JVM: S3Proxy in front of a jclouds "filesystem" blob store in a temporary folder, on a
 * free port, checking AWS V2/V4 signatures against fixed test credentials, addressed path-style.
 */
final class S3ProxyFixture implements AutoCloseable {
    static final String ACCESS_KEY = "test-access-key";
    static final String SECRET_KEY = "test-secret-key";
    static final String REGION = "us-east-1";

    private final BlobStoreContext blobStoreContext;
    private final S3Proxy proxy;
    private final S3Client client;
    private final URI endpoint;

    S3ProxyFixture(Path storageDir) throws Exception {
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", storageDir.toString());
        blobStoreContext = ContextBuilder.newBuilder("filesystem")
                .credentials("identity", "credential")
                .overrides(properties)
                .build(BlobStoreContext.class);
        proxy = S3Proxy.builder()
                .blobStore(blobStoreContext.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        proxy.start();
        endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
        client = S3Clients.create(settings());
    }

    S3Settings settings() {
        return new S3Settings(endpoint, REGION, ACCESS_KEY, SECRET_KEY, true);
    }

    S3Client client() {
        return client;
    }

    @Override
    public void close() throws Exception {
        client.close();
        proxy.stop();
        blobStoreContext.close();
    }
}
