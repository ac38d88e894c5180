package dev.tpo.workflows;

import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.common.SearchAttributeKey;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The custom search attributes that runs and iterations keep up to date, so people find and audit them in the Web
 * UI and with visibility queries ({@code TpoRunName = 'x' AND TpoStatus = 'failed'}). A namespace must have them
 * registered before a run starts: {@code tpo dev-stack} and the compose init step do it, and workers check it.
 */
public final class TpoSearchAttributes {
    /** The spec's name. */
    public static final SearchAttributeKey<String> RUN_NAME = SearchAttributeKey.forKeyword("TpoRunName");
    /** The iteration running now (0 before the first one); on an iteration workflow, its own number. */
    public static final SearchAttributeKey<Long> ITERATION = SearchAttributeKey.forLong("TpoIteration");
    /** The step running now: prepare, baseline, select, generate, judge, pair, reference, train, evaluate, report. */
    public static final SearchAttributeKey<String> STEP = SearchAttributeKey.forKeyword("TpoStep");
    /** The spec's thought mode: specific, generic, none (the direct-response baseline) or custom. */
    public static final SearchAttributeKey<String> THOUGHT_MODE = SearchAttributeKey.forKeyword("TpoThoughtMode");
    /** The seed policy's URI, as the spec gives it. */
    public static final SearchAttributeKey<String> SEED_POLICY = SearchAttributeKey.forKeyword("TpoSeedPolicy");
    /**
     * running, paused, completed, stopped or failed; continued on the earlier parts of a long run, each of which
     * ended in a continue-as-new (same workflow id, a newer part goes on).
     */
    public static final SearchAttributeKey<String> STATUS = SearchAttributeKey.forKeyword("TpoStatus");

    private TpoSearchAttributes() {}

    /** Every attribute with its index type, in the order they are registered. */
    public static Map<String, IndexedValueType> registration() {
        Map<String, IndexedValueType> all = new LinkedHashMap<>();
        for (SearchAttributeKey<?> key :
                new SearchAttributeKey<?>[] {RUN_NAME, ITERATION, STEP, THOUGHT_MODE, SEED_POLICY, STATUS}) {
            all.put(key.getName(), key.getValueType());
        }
        return all;
    }
}
