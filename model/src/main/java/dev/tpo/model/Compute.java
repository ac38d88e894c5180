package dev.tpo.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;

/**
 * Where the engine runs and in what precision: CPU float32 by default, CUDA bfloat16 when a GPU is present (the
 * {@code cuda} Maven profile provides the CUDA libtorch). Every feature runs on either.
 */
public record Compute(Device device, DataType dtype) {

    public static Compute cpu() {
        return new Compute(Device.cpu(), DataType.FLOAT32);
    }

    /**
     * @param device "auto", "cpu", "gpu" or "gpu:N"
     * @param dtype  "auto" (bfloat16 on GPU, float32 on CPU), "float32", "bfloat16" or "float16"
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
            case "auto" -> d.isGpu() ? DataType.BFLOAT16 : DataType.FLOAT32;
            case "float32" -> DataType.FLOAT32;
            case "bfloat16" -> DataType.BFLOAT16;
            case "float16" -> DataType.FLOAT16;
            default -> throw new InvalidModelException("dtype '" + dtype
                    + "': expected auto, float32, bfloat16 or float16");
        };
        return new Compute(d, t);
    }
}
