package dev.tpo.workflows;

import dev.tpo.api.spec.RunSpec;
import java.util.Locale;

/**
 * What the Web UI shows about a run or an iteration before anyone opens it: a one-line summary and a few lines of
 * markdown details. Runs started with {@code tpo start} carry these as their static summary and details; the
 * iteration workflows always do (the run sets them on its children).
 */
public final class RunDescriptions {
    private RunDescriptions() {}

    /** "TPO run math-v1: 2 iterations x 64 prompts x 8 samples, thought specific, verifier judge". */
    public static String runSummary(RunSpec spec) {
        return String.format(
                Locale.ROOT,
                "TPO run %s: %d iterations x %d prompts x %d samples, thought %s, %s judge",
                spec.name(),
                spec.iterations(),
                spec.promptsPerIteration(),
                spec.generation().samplesPerPrompt(),
                spec.thought().mode().wireName(),
                spec.judge().type().wireName());
    }

    /** The run's identity for an audit: name, spec digest, seed policy, thought mode, inputs. */
    public static String runDetails(RunSpec spec, String specSha256) {
        return "| | |\n|---|---|\n"
                + row("run name", code(spec.name()))
                + row("spec sha256", code(specSha256))
                + row("seed policy", code(spec.seedPolicy()))
                + row("thought mode", code(spec.thought().mode().wireName()))
                + row("judge", code(spec.judge().type().wireName()))
                + row("train prompts", code(spec.trainPrompts()))
                + row("eval prompts", code(spec.evalPrompts()))
                + row("artifact root", code(spec.artifactRoot()));
    }

    /** "TPO iteration 2/3 of math-v1: 64 prompts x 8 samples, thought specific". */
    public static String iterationSummary(RunSpec spec, int iteration) {
        return String.format(
                Locale.ROOT,
                "TPO iteration %d/%d of %s: %d prompts x %d samples, thought %s",
                iteration,
                spec.iterations(),
                spec.name(),
                spec.promptsPerIteration(),
                spec.generation().samplesPerPrompt(),
                spec.thought().mode().wireName());
    }

    /** The iteration's identity: its run, the spec digest and the policy it starts from. */
    public static String iterationDetails(RunSpec spec, String specSha256, String runId, String policyUri) {
        return "| | |\n|---|---|\n"
                + row("run", code(runId))
                + row("run name", code(spec.name()))
                + row("spec sha256", code(specSha256))
                + row("seed policy", code(spec.seedPolicy()))
                + row("thought mode", code(spec.thought().mode().wireName()))
                + row("starting policy", code(policyUri));
    }

    static String row(String name, String value) {
        return "| " + name + " | " + value + " |\n";
    }

    /** Inline code; a backtick inside would end it early, so it becomes a quote mark. */
    static String code(String text) {
        return text == null ? "-" : "`" + text.replace('`', '\'').replace("|", "\\|") + "`";
    }
}
