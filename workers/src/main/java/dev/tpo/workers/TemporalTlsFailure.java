package dev.tpo.workers;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * A connection to Temporal that failed because of TLS, in one line naming the address, what went wrong and the
 * setting that fixes it. gRPC reports all of these as UNAVAILABLE "io exception" (or, behind a proxy, an HTTP
 * status) with the reason several causes down inside Netty; a TLS mismatch is a settings error, not an outage, so
 * it is an {@link IllegalArgumentException}: the command exits 2 with this message.
 */
public final class TemporalTlsFailure extends IllegalArgumentException {
    // nginx's answer to a TLS client without a certificate on a port with ssl_verify_client on (an HTML page).
    private static final String NGINX_NO_CLIENT_CERTIFICATE = "No required SSL certificate was sent";
    private static final String NGINX_BAD_CLIENT_CERTIFICATE = "The SSL certificate error";

    private TemporalTlsFailure(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Whether {@code failure} is a TLS problem: no retry fixes one, so a caller that waits out an outage (a server
     * still starting) gives up at once and lets {@link #of} word it.
     */
    public static boolean isTlsProblem(StatusRuntimeException failure) {
        String description = String.valueOf(failure.getStatus().getDescription());
        if (description.contains(NGINX_NO_CLIENT_CERTIFICATE) || description.contains(NGINX_BAD_CLIENT_CERTIFICATE)) {
            return true;
        }
        for (Throwable t = failure.getCause(); t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SSLException || t instanceof CertificateException) {
                return true;
            }
        }
        return false;
    }

    /** The TLS problem behind {@code failure}, if it is one; empty for anything else (an outage, a bad request). */
    public static Optional<TemporalTlsFailure> of(Throwable failure, TemporalSettings settings) {
        if (!(failure instanceof StatusRuntimeException status)) {
            return Optional.empty();
        }
        String prefix = (settings.usesTls() ? "TLS to Temporal at " : "Temporal at ") + settings.address() + ": ";
        TemporalTls tls = settings.tls();
        String description = String.valueOf(status.getStatus().getDescription());
        if (description.contains(NGINX_NO_CLIENT_CERTIFICATE) || description.contains(NGINX_BAD_CLIENT_CERTIFICATE)) {
            return Optional.of(new TemporalTlsFailure(prefix + clientCertificateProblem(tls), failure));
        }
        if (!settings.usesTls()) {
            // A TLS server answers a plaintext HTTP/2 preface with an HTTP/1 error page: the first frame breaks.
            if (status.getStatus().getCode() == Status.Code.INTERNAL && description.equals("http2 exception")) {
                return Optional.of(new TemporalTlsFailure(
                        prefix + "the connection broke at its first HTTP/2 frame, as it does when the server "
                                + "expects TLS: set " + TemporalTls.ENABLED_FLAG + " (system roots) or "
                                + TemporalTls.CA_FLAG + " (" + TemporalTls.ENABLED_ENV + ", " + TemporalTls.CA_ENV
                                + ")",
                        failure));
            }
            return Optional.empty();
        }
        for (Throwable t = status.getCause(); t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = String.valueOf(t.getMessage());
            if (t instanceof CertPathBuilderException || t instanceof CertPathValidatorException) {
                return Optional.of(new TemporalTlsFailure(
                        prefix + "the server's certificate is not signed by " + tls.trustDescription() + ": " + message,
                        failure));
            }
            if (t instanceof CertificateException && message.contains("No subject alternative")) {
                String name = tls.serverName() != null
                        ? "'" + tls.serverName() + "' (" + TemporalTls.SERVER_NAME_FLAG + ")"
                        : "its host name";
                return Optional.of(new TemporalTlsFailure(
                        prefix + "the server's certificate does not carry " + name + "; give the name it carries "
                                + "with " + TemporalTls.SERVER_NAME_FLAG + " (" + TemporalTls.SERVER_NAME_ENV
                                + "): " + message,
                        failure));
            }
            if (t.getClass().getSimpleName().equals("NotSslRecordException")) {
                return Optional.of(new TemporalTlsFailure(
                        prefix + "the server does not speak TLS (a plaintext frontend?): leave out "
                                + TemporalTls.ENABLED_FLAG + " and the --tls-* options (TEMPORAL_TLS_*) for it",
                        failure));
            }
            if (message.contains("certificate_required") || message.contains("bad_certificate")) {
                return Optional.of(new TemporalTlsFailure(prefix + clientCertificateProblem(tls), failure));
            }
            if (t instanceof SSLException && t.getCause() == null) {
                return Optional.of(new TemporalTlsFailure(prefix + "TLS handshake failed: " + message, failure));
            }
        }
        return Optional.empty();
    }

    private static String clientCertificateProblem(TemporalTls tls) {
        if (!tls.mutual()) {
            return "the server requires a client certificate (mTLS) and none was given: set "
                    + TemporalTls.CERT_FLAG + " and " + TemporalTls.KEY_FLAG + " (" + TemporalTls.CERT_ENV + ", "
                    + TemporalTls.KEY_ENV + ")";
        }
        return "the server rejected the client certificate " + tls.clientCert() + " (" + TemporalTls.CERT_FLAG
                + "): is it signed by a CA the server trusts, and still valid?";
    }
}
