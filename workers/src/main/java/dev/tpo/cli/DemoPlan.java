package dev.tpo.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tpo.workers.demo.DemoArm;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * What a demo preset hands the run loop once its suite and seed are ready.
 *
 * @param iterations per arm
 * @param seedFacts  how the seed was made, for the report (empty when there is nothing to say)
 * @param spec       the run spec of an arm, given the pipeline's artifact root
 */
record DemoPlan(
        String preset, int iterations, Map<String, Object> seedFacts, BiFunction<DemoArm, String, ObjectNode> spec) {}
