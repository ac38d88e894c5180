package dev.tpo.cli;

import dev.tpo.workers.TemporalConnection;
import dev.tpo.workers.TemporalSettings;
import dev.tpo.workers.TemporalTlsFailure;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that talks to Temporal about runs: connects, runs, disconnects, and words the usual failures. The
 * connection is a plain {@link TemporalConnection} from the {@link TemporalOptions} (no injector per call).
 */
abstract class RunClientCommand implements Callable<Integer> {
    @Spec
    CommandSpec command;

    @Mixin
    TemporalOptions temporal;

    /** Returns the exit code. */
    abstract int run(WorkflowClient client, PrintWriter out) throws Exception;

    /** The run id the command is about, for "not found" messages; null when it has none yet. */
    abstract String runId();

    @Override
    public final Integer call() throws Exception {
        TemporalSettings settings = temporal.settings();
        try (TemporalConnection connection = TemporalConnection.open(settings)) {
            return run(connection.client(), command.commandLine().getOut());
        } catch (WorkflowNotFoundException e) {
            throw notFound(settings);
        } catch (StatusRuntimeException e) {
            TemporalTlsFailure tls = TemporalTlsFailure.of(e, settings).orElse(null);
            if (tls != null) {
                throw tls;
            }
            Status.Code code = e.getStatus().getCode();
            if (code == Status.Code.NOT_FOUND && runId() != null) {
                throw notFound(settings);
            }
            if (code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED) {
                throw new IllegalStateException("cannot reach Temporal at " + settings.address() + " (--address or "
                        + TemporalSettings.ADDRESS_ENV + "): " + e.getStatus().getDescription());
            }
            throw e;
        }
    }

    private UsageException notFound(TemporalSettings settings) {
        return new UsageException("no run with id '" + runId() + "' in namespace " + settings.namespace());
    }
}
