package dev.tpo.workers;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.common.converter.JacksonJsonPayloadConverter;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The Jackson mapper behind a client's JSON payloads (the SDK's default configuration), held so that a worker can
 * build its (de)serializers before any workflow needs them.
 *
 * <p>Why: Jackson builds a type's serializer or deserializer on its first use, by introspecting the record and
 * every type inside it, and a workflow converts its step inputs and results inside its workflow task. On a loaded
 * machine that first use took over the SDK's deadlock-detection second: measured with 20 runs started at once on
 * 2 cores at load average 20-29 (LoadTest), 19 of the 20 runs' first workflow tasks failed with "Potential deadlock
 * detected" while serialising {@code PrepareRunInput} (the run spec inside it), and one iteration's task while
 * serialising its progress signal; their retries failed again or timed out. Built at worker start (once per
 * process), these are cache hits.
 */
public final class PayloadJson {
    private final ObjectMapper mapper = JacksonJsonPayloadConverter.newDefaultObjectMapper();

    /** The SDK's default data converter with this mapper for JSON payloads. */
    public DataConverter dataConverter() {
        return DefaultDataConverter.newDefaultInstance()
                .withPayloadConverterOverrides(new JacksonJsonPayloadConverter(mapper));
    }

    /**
     * Builds and caches the serializer and deserializer of every type that the methods of {@code interfaces}
     * (workflow, signal, query and activity methods) take or return, and of every record and enum of ours inside
     * them. Returns the types it warmed.
     */
    public Set<Class<?>> warmUp(List<Class<?>> interfaces) {
        Deque<Type> pending = new ArrayDeque<>();
        for (Class<?> contract : interfaces) {
            for (Method m : contract.getMethods()) {
                pending.addAll(List.of(m.getGenericParameterTypes()));
                pending.add(m.getGenericReturnType());
            }
        }
        Set<Class<?>> seen = new HashSet<>();
        while (!pending.isEmpty()) {
            JavaType type = mapper.constructType(pending.pop());
            Class<?> raw = type.getRawClass();
            if (raw == void.class || raw == Void.class) {
                continue;
            }
            mapper.canDeserialize(type);
            if (!seen.add(raw)) {
                continue;
            }
            mapper.canSerialize(raw);
            // Containers' element types are found at run time, so records inside lists are warmed by name too.
            for (int i = 0; i < type.containedTypeCount(); i++) {
                pending.add(type.containedType(i));
            }
            if (raw.isRecord() && raw.getPackageName().startsWith("dev.tpo.")) {
                for (RecordComponent c : raw.getRecordComponents()) {
                    pending.add(c.getGenericType());
                }
            }
        }
        return seen;
    }
}
