package dev.tpo.workers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpo.api.ArtifactRef;
import dev.tpo.api.spec.DpoSettings;
import dev.tpo.api.spec.RunSpec;
import dev.tpo.api.steps.GenerateOutput;
import dev.tpo.api.steps.IterationSummary;
import dev.tpo.api.steps.PrepareRunInput;
import dev.tpo.api.steps.RunContext;
import dev.tpo.api.steps.RunInputs;
import dev.tpo.workflows.IterationInput;
import dev.tpo.workflows.StepProgress;
import io.temporal.common.converter.DataConverter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PayloadJsonTest {
    @Test
    void theWorkersContractsReachEveryRecordTheWorkflowsConvertDownToNestedSettingsAndListElements() {
        Set<Class<?>> warmed = new PayloadJson().warmUp(TpoWorker.WORKFLOW_CONTRACTS);
        // PrepareRunInput and the progress signal are what tripped the deadlock detector; the rest is what a
        // workflow task converts next (inputs, results, the iteration's input and summary).
        for (Class<?> type : List.of(
                PrepareRunInput.class,
                RunContext.class,
                RunSpec.class,
                DpoSettings.class,
                StepProgress.class,
                IterationInput.class,
                RunInputs.class,
                ArtifactRef.class,
                IterationSummary.class,
                GenerateOutput.class)) {
            assertTrue(warmed.contains(type), type.getSimpleName() + " is warmed: " + warmed);
        }
    }

    @Test
    void itsDataConverterWritesAndReadsWorkflowPayloads() {
        DataConverter converter = new PayloadJson().dataConverter();
        StepProgress progress = new StepProgress(1, "generate", 2, 4, Map.of("loss", 0.5));
        var payloads = converter.toPayloads(progress);
        assertEquals(
                progress,
                converter.fromPayloads(0, payloads, StepProgress.class, StepProgress.class),
                "a record survives the round trip");
        assertTrue(
                payloads.orElseThrow().getPayloads(0).getData().toStringUtf8().contains("\"generate\""));
    }
}
