package dev.tpo.cli;

import dev.tpo.artifacts.S3Settings;
import java.net.URI;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * How to reach S3. Keys come only from the environment (or the AWS default chain), never from flags, so they stay
 * out of {@code ps} and shell history.
 */
public final class S3Options {
    static final String ENDPOINT_ENV = "TPO_S3_ENDPOINT";
    static final String REGION_ENV = "TPO_S3_REGION";
    static final String PATH_STYLE_ENV = "TPO_S3_PATH_STYLE";
    static final String ACCESS_KEY_ENV = "AWS_ACCESS_KEY_ID";
    static final String SECRET_KEY_ENV = "AWS_SECRET_ACCESS_KEY";
    static final String SESSION_TOKEN_ENV = "AWS_SESSION_TOKEN";
    static final String DEFAULT_REGION = "us-east-1";

    @Option(
            names = "--s3-endpoint",
            paramLabel = "URL",
            description = "S3-compatible endpoint, e.g. http://localhost:9000 (env TPO_S3_ENDPOINT; unset: AWS).")
    String endpoint;

    @Option(names = "--s3-region", description = "Signing region (env TPO_S3_REGION, default us-east-1).")
    String region;

    @Option(
            names = "--s3-path-style",
            arity = "0..1",
            paramLabel = "BOOL",
            description = "Path-style addressing, needed by MinIO and S3Proxy (env TPO_S3_PATH_STYLE).")
    Boolean pathStyle;

    S3Settings settings() {
        return settings(System.getenv());
    }

    S3Settings settings(Map<String, String> env) {
        String endpointValue = EnvFallback.first(endpoint, env, ENDPOINT_ENV);
        URI endpointUri = endpointValue == null ? null : endpointUri(endpointValue);
        String regionValue = EnvFallback.first(region, env, REGION_ENV);
        Boolean pathStyleValue = EnvFallback.bool(pathStyle, env, PATH_STYLE_ENV, "--s3-path-style");
        String accessKey = EnvFallback.first(null, env, ACCESS_KEY_ENV);
        String secretKey = EnvFallback.first(null, env, SECRET_KEY_ENV);
        // Temporary keys need their session token, which only the default chain passes on.
        boolean staticKeys =
                accessKey != null && secretKey != null && EnvFallback.first(null, env, SESSION_TOKEN_ENV) == null;
        if ((accessKey == null) != (secretKey == null)) {
            throw new UsageException(ACCESS_KEY_ENV + " and " + SECRET_KEY_ENV + " go together: set both or neither");
        }
        // No bucket here: workers take each artifact's bucket from its URI.
        return new S3Settings(
                endpointUri,
                regionValue == null ? DEFAULT_REGION : regionValue,
                staticKeys ? accessKey : null,
                staticKeys ? secretKey : null,
                pathStyleValue != null && pathStyleValue);
    }

    private static URI endpointUri(String value) {
        try {
            URI uri = URI.create(value);
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new IllegalArgumentException("no scheme or host");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new UsageException(
                    "--s3-endpoint (" + ENDPOINT_ENV + "): '" + value + "' is not a URL such as http://localhost:9000");
        }
    }
}
