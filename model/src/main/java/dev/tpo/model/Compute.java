package dev.tpo.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;

/**
 * Where the engine runs and in what precision: float32 by default, on CUDA when a GPU is present (the {@code cuda}
 * Maven profile provides the CUDA libtorch); float16 on request. bfloat16 is refused: DJL's PyTorch JNI (0.33 and
 * 0.36 alike) aborts the process on any bfloat16 cast, so bfloat16 checkpoints are widened to float32 on load.
 */
public record Compute(Device device, DataType dtype) {

    public static Compute cpu() {
        return new Compute(Device.cpu(), DataType.FLOAT32);
    }

    /**
     * @param device "auto", "cpu", "gpu" or "gpu:N"
     * @param dtype  "auto" (float32), "float32" or "float16"
     */
    public static Compute resolve(String device, String dtype) {
        Device d = switch (device) {
            case "auto" -> Engine.getInstance().getGpuCount() > 0 ? Device.gpu() : Device.cpu();
            case "cpu" -> Device.cpu();
            default -> {
                if (!device.startsWith("gpu")) {
                    throw new InvalidModelException("device '" + device + "': expected auto, cpu, gpu or gpu:N");
                }
                if (Engine.getInstance().getGpuCount() == 0) {
                    throw new InvalidModelException("device '" + device + "': no GPU is visible to PyTorch "
                            + "(build with -Pcuda and check CUDA_VISIBLE_DEVICES)");
                }
                yield Device.fromName(device);
            }
        };
        DataType t = switch (dtype) {
            case "auto", "float32" -> DataType.FLOAT32;
            case "float16" -> DataType.FLOAT16;
            case "bfloat16" ->
                throw new InvalidModelException("dtype 'bfloat16' is not available: DJL's PyTorch "
                        + "JNI aborts on bfloat16 tensors; use float32 or float16");
            default -> throw new InvalidModelException("dtype '" + dtype + "': expected auto, float32 or float16");
        };
        return new Compute(d, t);
    }
}
