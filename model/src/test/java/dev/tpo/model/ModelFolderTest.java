package dev.tpo.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tpo.model.weights.Bfloat16;
import dev.tpo.model.weights.RawTensor;
import dev.tpo.model.weights.SafetensorsWriter;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFolderTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private static void assertSameParameters(CausalLm a, CausalLm b, float tolerance) {
        assertEquals(a.parameters().keySet(), b.parameters().keySet());
        for (Map.Entry<String, NDArray> e : a.parameters().entrySet()) {
            NDArray other = b.parameters().get(e.getKey());
            assertEquals(e.getValue().getShape(), other.getShape(), e.getKey());
            assertArrayEquals(
                    e.getValue().toType(DataType.FLOAT32, false).toFloatArray(),
                    other.toType(DataType.FLOAT32, false).toFloatArray(),
                    tolerance,
                    e.getKey());
        }
    }

    @Test
    void singleFileRoundTripKeepsEveryTensorAndTheConfig() throws Exception {
        try (CausalLm model = TinyModels.random(TinyModels.qwen2Tied(), 1)) {
            Files.writeString(tmp.resolve("src-tokenizer.json"), "{}");
            Path out = tmp.resolve("saved");
            Path companions = Files.createDirectories(tmp.resolve("companions"));
            Files.writeString(companions.resolve("tokenizer.json"), "{\"x\":1}");
            ModelFolder.save(model, out, companions);
            assertTrue(Files.isRegularFile(out.resolve("model.safetensors")));
            assertEquals("{\"x\":1}", Files.readString(out.resolve("tokenizer.json")));
            ObjectNode config =
                    (ObjectNode) JSON.readTree(out.resolve("config.json").toFile());
            assertEquals("float32", config.get("torch_dtype").asText());
            assertEquals("llama3", config.get("rope_scaling").get("rope_type").asText());
            try (CausalLm loaded = ModelFolder.load(out, Compute.cpu())) {
                assertSameParameters(model, loaded, 0f);
                assertEquals(model.config().parameterCount(), loaded.config().parameterCount());
            }
        }
    }

    @Test
    void shardedRoundTripWritesAnIndex() throws Exception {
        try (CausalLm model = TinyModels.random(TinyModels.llama(), 2)) {
            Path out = tmp.resolve("sharded");
            ModelFolder.save(model, out, null, 8_000);
            assertTrue(Files.isRegularFile(out.resolve(SafetensorsWriter.INDEX_FILE)));
            long shards;
            try (var files = Files.list(out)) {
                shards = files.filter(p -> p.getFileName().toString().matches("model-\\d{5}-of-\\d{5}\\.safetensors"))
                        .count();
            }
            assertTrue(shards > 2, "expected several shards, got " + shards);
            try (CausalLm loaded = ModelFolder.load(out, Compute.cpu())) {
                assertSameParameters(model, loaded, 0f);
            }
        }
    }

    @Test
    void loadedWeightsOwnTheirMemoryAndTheFileIsUnmapped() throws Exception {
        Path maps = Path.of("/proc/self/maps");
        Assumptions.assumeTrue(Files.isReadable(maps), "needs Linux /proc");
        try (CausalLm model = TinyModels.random(TinyModels.llama(), 6)) {
            Path out = tmp.resolve("unmapped");
            ModelFolder.save(model, out, null, 8_000);
            try (CausalLm loaded = ModelFolder.load(out, Compute.cpu())) {
                // Mappings left for the collector keep the file's pages resident beside the parameters (twice the
                // model's size at peak); each is released once its tensor is copied.
                String stillMapped = Files.readAllLines(maps).stream()
                        .filter(l -> l.contains(out.toString()))
                        .findFirst()
                        .orElse(null);
                assertNull(stillMapped, "weights still mapped after loading");
                assertSameParameters(model, loaded, 0f);
            }
        }
    }

    @Test
    void halfPrecisionCheckpointsLoadAsFloat32() throws Exception {
        for (String half : new String[] {"BF16", "F16"}) {
            try (CausalLm model = TinyModels.random(TinyModels.llama(), 3)) {
                Path out = tmp.resolve("half-" + half);
                ModelFolder.save(model, out, null);
                Map<String, RawTensor> converted = new TreeMap<>();
                model.parameters()
                        .forEach((k, v) -> converted.put(
                                k,
                                half.equals("BF16")
                                        ? new RawTensor(
                                                "BF16", v.getShape().getShape(), Bfloat16.fromFloat32(v.toFloatArray()))
                                        : RawTensor.of(v.toType(DataType.FLOAT16, false))));
                new SafetensorsWriter(1L << 30).writeRaw(out, converted);
                try (CausalLm loaded = ModelFolder.load(out, Compute.cpu())) {
                    assertEquals(
                            DataType.FLOAT32,
                            loaded.parameters().get("model.norm.weight").getDataType());
                    assertSameParameters(model, loaded, 0.01f);
                }
            }
        }
    }

    @Test
    void bfloat16ConversionRoundsToNearestEven() {
        float[] values = {1.0f, -2.5f, Float.intBitsToFloat(0x3F808000), Float.intBitsToFloat(0x3F818000)};
        float[] back = new float[values.length];
        Bfloat16.toFloat32(Bfloat16.fromFloat32(values)).asFloatBuffer().get(back);
        assertEquals(1.0f, back[0]);
        assertEquals(-2.5f, back[1]);
        assertEquals(Float.intBitsToFloat(0x3F800000), back[2], "tie rounds down to even");
        assertEquals(Float.intBitsToFloat(0x3F820000), back[3], "tie rounds up to even");
    }

    @Test
    void truncatedWeightsGiveAClearError() throws Exception {
        try (CausalLm model = TinyModels.random(TinyModels.llama(), 4)) {
            Path out = tmp.resolve("truncated");
            ModelFolder.save(model, out, null);
            Path file = out.resolve("model.safetensors");
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.setLength(raf.length() - 100);
            }
            InvalidModelException e =
                    assertThrows(InvalidModelException.class, () -> ModelFolder.load(out, Compute.cpu()));
            assertTrue(
                    e.getMessage().contains("truncated") && e.getMessage().contains("model.safetensors"),
                    e.getMessage());
            Files.write(file, new byte[] {1, 2, 3});
            e = assertThrows(InvalidModelException.class, () -> ModelFolder.load(out, Compute.cpu()));
            assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        }
    }

    @Test
    void tensorShapeThatDisagreesWithConfigIsNamed() throws Exception {
        try (CausalLm model = TinyModels.random(TinyModels.llama(), 5)) {
            Path out = tmp.resolve("mismatch");
            ModelFolder.save(model, out, null);
            ObjectNode config =
                    (ObjectNode) JSON.readTree(out.resolve("config.json").toFile());
            config.put("intermediate_size", 64);
            JSON.writeValue(out.resolve("config.json").toFile(), config);
            InvalidModelException e =
                    assertThrows(InvalidModelException.class, () -> ModelFolder.load(out, Compute.cpu()));
            assertTrue(
                    e.getMessage().contains("mlp.")
                            && e.getMessage().contains("[48, 32]")
                            && e.getMessage().contains("[64, 32]"),
                    e.getMessage());
        }
    }

    @Test
    void missingFolderAndMissingWeightsAreNamed() throws Exception {
        Path missing = tmp.resolve("nope");
        InvalidModelException e =
                assertThrows(InvalidModelException.class, () -> ModelFolder.load(missing, Compute.cpu()));
        assertTrue(e.getMessage().contains("not found") && e.getMessage().contains("nope"), e.getMessage());
        Path onlyConfig = Files.createDirectories(tmp.resolve("config-only"));
        JSON.writeValue(onlyConfig.resolve("config.json").toFile(), TinyModels.llamaJson());
        e = assertThrows(InvalidModelException.class, () -> ModelFolder.load(onlyConfig, Compute.cpu()));
        assertTrue(e.getMessage().contains("no model.safetensors"), e.getMessage());
    }
}
