package dev.tpo.api.spec;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * How chosen and rejected samples are picked per prompt.
 *
 * @param lengthControlRho    the paper's rho: score' - rho * length' after per-prompt z-normalisation (default 0 =
 *                            off; the paper used values in [0, 0.5])
 * @param malformedAsRejected let outputs without a response be the rejected sample (the paper did; default false)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record PairingSettings(Double lengthControlRho, Boolean malformedAsRejected) {
    public PairingSettings {
        lengthControlRho = lengthControlRho == null ? 0.0 : lengthControlRho;
        malformedAsRejected = malformedAsRejected != null && malformedAsRejected;
    }

    public static PairingSettings defaults() {
        return new PairingSettings(null, null);
    }

    void validate(SpecProblems p, String path) {
        p.range(path + ".length_control_rho", lengthControlRho, 0.0, 10.0);
    }
}
