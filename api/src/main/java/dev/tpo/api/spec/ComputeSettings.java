package dev.tpo.api.spec;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Set;

/**
 * Where model work runs on a GPU worker.
 *
 * @param device auto (default: the GPU when the worker has one), cpu or gpu
 * @param dtype  auto (default: float32), float32 or float16
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ComputeSettings(String device, String dtype) {
    public ComputeSettings {
        device = device == null ? "auto" : device;
        dtype = dtype == null ? "auto" : dtype;
    }

    public static ComputeSettings defaults() {
        return new ComputeSettings(null, null);
    }

    void validate(SpecProblems p, String path) {
        p.oneOf(path + ".device", device, Set.of("auto", "cpu", "gpu"));
        if (dtype.equals("bfloat16")) {
            p.add(
                    path + ".dtype",
                    "bfloat16 compute is not available (DJL's PyTorch JNI aborts on bf16 tensors); "
                            + "use float16 or float32");
        } else {
            p.oneOf(path + ".dtype", dtype, Set.of("auto", "float32", "float16"));
        }
    }
}
