package dev.tpo.api.spec;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * One TPO run: the single JSON document a user gives {@code tpo start} or pastes into the Temporal UI as the input
 * of {@code TpoRunWorkflow}. Field names are snake_case; every field but the three inputs has a default, so a
 * minimal spec is {"seed_policy": ..., "train_prompts": ..., "eval_prompts": ...}. Read with
 * {@link RunSpecParser}, which rejects unknown fields and invalid values, naming each.
 *
 * @param name                 a label for people and the audit trail (default tpo-run)
 * @param seedPolicy           the first policy: a Hugging Face model folder, s3://bucket/key/ or file:///path/
 * @param trainPrompts         JSONL of {id, prompt, category?, reference?}
 * @param evalPrompts          held-out JSONL in the same format
 * @param artifactRoot         where runs/{run id}/ is written (default s3://tpo-artifacts/)
 * @param iterations           TPO iterations, each training from the last one's policy (default 2)
 * @param promptsPerIteration  fresh prompts per iteration (default 5000, as in the paper); when the set runs out,
 *                             selection wraps around and the report says so
 * @param seed                 seeds prompt selection, sampling and data order (default 0)
 * @param thought              thought prompt and parser
 * @param generation           sampling of K outputs per prompt
 * @param judge                the judge of responses
 * @param pairing              length control and pair selection
 * @param dpo                  DPO training
 * @param evaluation           evaluation after each iteration
 * @param shards               fan-out per step
 * @param taskQueues           Temporal task queues
 * @param compute              device and dtype for model work
 * @param heartbeatTimeoutSeconds how long a step may go without a heartbeat before Temporal counts its worker as
 *                             dead and retries the step elsewhere (default 600; steps heartbeat at least four times
 *                             per timeout from their start, model loads included, so a shorter one only makes dead
 *                             workers noticed sooner)
 * @param tracking             experiment tracking in MLflow; null (the default) tracks nothing
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RunSpec(
        String name,
        String seedPolicy,
        String trainPrompts,
        String evalPrompts,
        String artifactRoot,
        Integer iterations,
        Integer promptsPerIteration,
        Long seed,
        ThoughtSettings thought,
        GenerationSettings generation,
        JudgeSettings judge,
        PairingSettings pairing,
        DpoSettings dpo,
        EvalSettings evaluation,
        ShardSettings shards,
        TaskQueues taskQueues,
        ComputeSettings compute,
        Integer heartbeatTimeoutSeconds,
        TrackingSettings tracking) {
    public static final String DEFAULT_ARTIFACT_ROOT = "s3://tpo-artifacts/";

    public RunSpec {
        name = name == null ? "tpo-run" : name;
        artifactRoot = artifactRoot == null ? DEFAULT_ARTIFACT_ROOT : artifactRoot;
        iterations = iterations == null ? 2 : iterations;
        promptsPerIteration = promptsPerIteration == null ? 5000 : promptsPerIteration;
        seed = seed == null ? 0L : seed;
        thought = thought == null ? ThoughtSettings.defaults() : thought;
        generation = generation == null ? GenerationSettings.defaults() : generation;
        judge = judge == null ? JudgeSettings.defaults() : judge;
        pairing = pairing == null ? PairingSettings.defaults() : pairing;
        dpo = dpo == null ? DpoSettings.defaults() : dpo;
        evaluation = evaluation == null ? EvalSettings.defaults() : evaluation;
        shards = shards == null ? ShardSettings.defaults() : shards;
        taskQueues = taskQueues == null ? TaskQueues.defaults() : taskQueues;
        compute = compute == null ? ComputeSettings.defaults() : compute;
        heartbeatTimeoutSeconds = heartbeatTimeoutSeconds == null ? 600 : heartbeatTimeoutSeconds;
    }

    /** Whether the run is tracked in MLflow. */
    public boolean tracked() {
        return tracking != null;
    }

    /** Every problem with this spec, each naming its field; empty when the spec can run. */
    public SpecProblems problems() {
        SpecProblems p = new SpecProblems();
        if (!name.matches("[A-Za-z0-9._-]{1,64}") || name.contains("..")) {
            p.add("name", "'" + name + "' must be 1-64 letters, digits, '.', '_' or '-', without '..'");
        }
        p.folderUri("seed_policy", seedPolicy);
        p.uri("train_prompts", trainPrompts);
        p.uri("eval_prompts", evalPrompts);
        p.folderUri("artifact_root", artifactRoot);
        p.range("iterations", iterations, 1, 100);
        p.range("prompts_per_iteration", promptsPerIteration, 1, 10_000_000);
        thought.validate(p, "thought");
        generation.validate(p, "generation");
        judge.validate(p, "judge");
        pairing.validate(p, "pairing");
        dpo.validate(p, "dpo");
        evaluation.validate(p, "evaluation");
        shards.validate(p, "shards");
        taskQueues.validate(p, "task_queues");
        compute.validate(p, "compute");
        p.range("heartbeat_timeout_seconds", heartbeatTimeoutSeconds, 1, 86_400);
        if (tracking != null) {
            tracking.validate(p, "tracking");
        }
        return p;
    }
}
