package dev.tpo.api.steps;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tpo.api.ArtifactRef;
import dev.tpo.api.spec.PairingSettings;
import java.util.List;

@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record PairInput(
        RunContext run,
        int iteration,
        List<ArtifactRef> generations,
        List<ArtifactRef> judgements,
        PairingSettings pairing) {}
