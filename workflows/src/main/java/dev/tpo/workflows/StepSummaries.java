package dev.tpo.workflows;

import dev.tpo.api.spec.RunSpec;
import java.util.Locale;

/**
 * The one-line summary of each activity, shown beside it in the Web UI's timeline and event history, so an audit
 * reads what a step did without opening its payloads: "generate shard 3/8: 64 prompts x 8 samples".
 */
final class StepSummaries {
    private final RunSpec spec;

    StepSummaries(RunSpec spec) {
        this.spec = spec;
    }

    String prepare() {
        return "prepare: validate the spec and pin seed, prompts and models by SHA-256";
    }

    String select(int iteration) {
        return String.format(
                Locale.ROOT,
                "select %d prompts for iteration %d into %d shards",
                spec.promptsPerIteration(),
                iteration,
                spec.shards().generate());
    }

    String generate(int shard, int shards, int prompts) {
        return String.format(
                Locale.ROOT,
                "generate shard %d/%d: %d prompts x %d samples, thought %s",
                shard + 1,
                shards,
                prompts,
                spec.generation().samplesPerPrompt(),
                spec.thought().mode().wireName());
    }

    String judge(int shard, int shards, int generationShards) {
        return String.format(
                Locale.ROOT,
                "judge shard %d/%d: responses of %d generation shard%s, %s judge",
                shard + 1,
                shards,
                generationShards,
                generationShards == 1 ? "" : "s",
                spec.judge().type().wireName());
    }

    String pair(int prompts) {
        return String.format(
                Locale.ROOT,
                "pair best vs worst of %d prompts, length-controlled (rho %s)",
                prompts,
                number(spec.pairing().lengthControlRho()));
    }

    String reference(int pairs) {
        return String.format(
                Locale.ROOT, "reference log-probs of %d pairs under the iteration's starting policy", pairs);
    }

    String train(int pairs) {
        int epochs = spec.dpo().numTrainEpochs();
        return String.format(
                Locale.ROOT,
                "DPO %s (beta %s): %d pairs x %d epoch%s%s",
                spec.dpo().lossType(),
                number(spec.dpo().beta()),
                pairs,
                epochs,
                epochs == 1 ? "" : "s",
                spec.dpo().usesLora() ? ", LoRA r " + spec.dpo().loraR() : ", all weights");
    }

    /** @param who policy, seed or baseline */
    String answer(String who, boolean thinks) {
        return String.format(
                Locale.ROOT,
                "answer the eval set with the %s%s",
                who,
                thinks
                        ? " (thought " + spec.thought().mode().wireName() + ", stripped before judging)"
                        : " (no thought)");
    }

    String evaluate(int iteration, boolean againstBaseline) {
        return String.format(
                Locale.ROOT,
                "evaluate %s%s: %s judge",
                iteration == 0 ? "the seed" : "iteration " + iteration,
                againstBaseline ? " against the baseline" : "",
                spec.judge().type().wireName());
    }

    String iterationReport(int iteration) {
        return "report of iteration " + iteration;
    }

    String runReport() {
        return "report of the run";
    }

    String trackingStart() {
        return "MLflow: find or create the run in experiment '"
                + spec.tracking().experiment() + "', log the spec";
    }

    String trackingUpdate(int iterations) {
        return "MLflow: log the metrics of "
                + (iterations == 0 ? "the seed" : iterations + " finished iteration" + (iterations == 1 ? "" : "s"));
    }

    String trackingFinish(String status) {
        return "MLflow: log the report and end the run as " + status;
    }

    private static String number(Double value) {
        return value == null ? "-" : String.format(Locale.ROOT, "%s", value);
    }
}
