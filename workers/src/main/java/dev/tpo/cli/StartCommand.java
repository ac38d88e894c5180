package dev.tpo.cli;

import dev.tpo.api.spec.InvalidRunSpecException;
import dev.tpo.api.spec.RunSpecParser;
import dev.tpo.api.spec.SpecDigest;
import dev.tpo.workflows.RunDescriptions;
import dev.tpo.workflows.TpoRunWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tpo start --spec FILE}: validates here, then starts the run on the spec's control queue. */
@Command(
        name = "start",
        mixinStandardHelpOptions = true,
        description = "Validate a run spec and start it as a TpoRunWorkflow; prints the run id.")
final class StartCommand extends RunClientCommand {
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    @Option(names = "--spec", required = true, paramLabel = "FILE.json", description = "The run spec.")
    Path spec;

    @Option(names = "--id", description = "Run (workflow) id; default {name}-{yyyyMMdd-HHmmss}.")
    String id;

    private String startedId;

    @Override
    int run(WorkflowClient client, PrintWriter out) {
        SpecFile file;
        try {
            file = SpecFile.read(spec, new RunSpecParser());
        } catch (InvalidRunSpecException e) {
            throw new UsageException(spec + ": " + e.getMessage());
        }
        startedId = id != null
                ? checkedId(id)
                : file.spec().name() + "-"
                        + LocalDateTime.now(Clock.systemDefaultZone()).format(ID_TIME);
        WorkflowStub run = client.newUntypedWorkflowStub(
                TpoRunWorkflow.TYPE,
                WorkflowOptions.newBuilder()
                        .setWorkflowId(startedId)
                        .setTaskQueue(file.spec().taskQueues().control())
                        .setStaticSummary(RunDescriptions.runSummary(file.spec()))
                        .setStaticDetails(RunDescriptions.runDetails(file.spec(), SpecDigest.of(file.json())))
                        .build());
        try {
            run.start(file.json());
        } catch (WorkflowExecutionAlreadyStarted e) {
            throw new UsageException("--id: a run with id '" + startedId + "' is already running"
                    + (id == null ? " (started this second; pass --id)" : ""));
        }
        out.println(startedId);
        return 0;
    }

    private static String checkedId(String value) {
        if (value.isBlank() || value.length() > 255 || value.chars().anyMatch(Character::isWhitespace)) {
            throw new UsageException("--id: '" + value + "' must be 1-255 characters without spaces");
        }
        return value;
    }

    @Override
    String runId() {
        return startedId;
    }
}
