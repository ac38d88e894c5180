package dev.tpo.workers;

import dev.tpo.workflows.TpoSearchAttributes;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure the namespace has the search attributes the workflows upsert ({@link TpoSearchAttributes}): a
 * workflow that upserts an unregistered attribute fails its workflow task over and over, so a control worker
 * checks before it polls, adds what is missing where the server allows it (a self-hosted server, the test server),
 * and otherwise refuses to start with the exact command that fixes it (Temporal Cloud registers them with tcld).
 */
public final class SearchAttributeRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(SearchAttributeRegistry.class);
    /** Temporal may still be starting (compose, a fresh dev server): wait this long for it. */
    private static final Duration REACHABLE_WITHIN = Duration.ofSeconds(90);

    private final WorkflowServiceStubs stubs;
    private final String namespace;

    public SearchAttributeRegistry(WorkflowServiceStubs stubs, String namespace) {
        this.stubs = stubs;
        this.namespace = namespace;
    }

    /** Returns once every attribute is registered with its type; throws a message naming what is wrong. */
    public void ensure() {
        OperatorServiceStubs operator = OperatorServiceStubs.newServiceStubs(
                OperatorServiceStubsOptions.newBuilder(stubs.getOptions()).build());
        try {
            Map<String, IndexedValueType> registered = listWhenReachable(operator);
            if (registered == null) {
                addEachOnTestServer(operator);
                return;
            }
            Map<String, IndexedValueType> missing = new LinkedHashMap<>();
            TpoSearchAttributes.registration().forEach((name, type) -> {
                IndexedValueType have = registered.get(name);
                if (have == null) {
                    missing.put(name, type);
                } else if (have != type) {
                    throw new IllegalStateException("namespace " + namespace + ": search attribute " + name
                            + " is registered as " + have + " but TPO needs " + type + "; remove it or use another "
                            + "namespace");
                }
            });
            if (missing.isEmpty()) {
                return;
            }
            try {
                operator.blockingStub()
                        .withDeadlineAfter(30, TimeUnit.SECONDS)
                        .addSearchAttributes(AddSearchAttributesRequest.newBuilder()
                                .setNamespace(namespace)
                                .putAllSearchAttributes(missing)
                                .build());
                LOG.info("registered search attributes {} in namespace {}", missing.keySet(), namespace);
            } catch (StatusRuntimeException e) {
                throw new IllegalStateException(
                        "namespace " + namespace + " lacks the search attributes " + missing
                                + " and this server does not let workers add them ("
                                + e.getStatus().getCode() + ": "
                                + e.getStatus().getDescription() + "); add them once, e.g. " + cliCommand(missing),
                        e);
            }
        } finally {
            operator.shutdown();
        }
    }

    /**
     * Temporal's Java test server has no ListSearchAttributes; its AddSearchAttributes answers ALREADY_EXISTS for a
     * name it has (another worker on the same server added it). Its store is in memory and only TPO adds to it, so
     * an existing name has TPO's type.
     */
    private void addEachOnTestServer(OperatorServiceStubs operator) {
        TpoSearchAttributes.registration().forEach((name, type) -> {
            try {
                operator.blockingStub()
                        .withDeadlineAfter(30, TimeUnit.SECONDS)
                        .addSearchAttributes(AddSearchAttributesRequest.newBuilder()
                                .setNamespace(namespace)
                                .putSearchAttributes(name, type)
                                .build());
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != Status.Code.ALREADY_EXISTS) {
                    throw new IllegalStateException(
                            "namespace " + namespace + ": cannot add the search attribute " + name + " ("
                                    + e.getStatus().getCode() + ": "
                                    + e.getStatus().getDescription() + ")",
                            e);
                }
            }
        });
    }

    /** The namespace's custom attributes, or null where the server cannot list them (the Java test server). */
    private Map<String, IndexedValueType> listWhenReachable(OperatorServiceStubs operator) {
        long deadline = System.nanoTime() + REACHABLE_WITHIN.toNanos();
        while (true) {
            try {
                return operator.blockingStub()
                        .withDeadlineAfter(10, TimeUnit.SECONDS)
                        .listSearchAttributes(ListSearchAttributesRequest.newBuilder()
                                .setNamespace(namespace)
                                .build())
                        .getCustomAttributesMap();
            } catch (StatusRuntimeException e) {
                Status.Code code = e.getStatus().getCode();
                if (code == Status.Code.UNIMPLEMENTED) {
                    return null;
                }
                if (TemporalTlsFailure.isTlsProblem(e)) {
                    throw e;
                }
                boolean transientFailure = code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED;
                if (!transientFailure || System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "cannot list the search attributes of namespace " + namespace + " (" + code + ": "
                                    + e.getStatus().getDescription() + ")",
                            e);
                }
                LOG.info("Temporal not reachable yet ({}): retrying", code);
                sleep();
            }
        }
    }

    private static String cliCommand(Map<String, IndexedValueType> missing) {
        StringBuilder cmd = new StringBuilder("temporal operator search-attribute create");
        missing.forEach((name, type) -> cmd.append(" --name ")
                .append(name)
                .append(" --type ")
                .append(RealTemporalServer.searchAttributeType(type)));
        return cmd.toString();
    }

    private static void sleep() {
        try {
            Thread.sleep(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Temporal", e);
        }
    }
}
