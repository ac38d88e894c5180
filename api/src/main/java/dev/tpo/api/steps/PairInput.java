package dev.tpo.api.steps;

import dev.tpo.api.ArtifactRef;
import dev.tpo.api.spec.PairingSettings;
import java.util.List;

public record PairInput(RunContext run, int iteration, List<ArtifactRef> generations, List<ArtifactRef> judgements,
                        PairingSettings pairing) {
}
