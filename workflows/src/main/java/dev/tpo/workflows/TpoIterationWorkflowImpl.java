package dev.tpo.workflows;

import dev.tpo.api.ArtifactRef;
import dev.tpo.api.activities.GenerateActivity;
import dev.tpo.api.activities.JudgeActivity;
import dev.tpo.api.spec.RunSpec;
import dev.tpo.api.steps.AnswerInput;
import dev.tpo.api.steps.AnswerOutput;
import dev.tpo.api.steps.EvalOutput;
import dev.tpo.api.steps.EvaluateInput;
import dev.tpo.api.steps.GenerateInput;
import dev.tpo.api.steps.GenerateOutput;
import dev.tpo.api.steps.IterationArtifacts;
import dev.tpo.api.steps.IterationSummary;
import dev.tpo.api.steps.JudgeInput;
import dev.tpo.api.steps.JudgeOutput;
import dev.tpo.api.steps.PairInput;
import dev.tpo.api.steps.PairOutput;
import dev.tpo.api.steps.PromptSelection;
import dev.tpo.api.steps.ReferenceLogProbsInput;
import dev.tpo.api.steps.ReportInput;
import dev.tpo.api.steps.SelectPromptsInput;
import dev.tpo.api.steps.TrainInput;
import dev.tpo.api.steps.TrainOutput;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

public final class TpoIterationWorkflowImpl implements TpoIterationWorkflow {
    private IterationInput in;
    private RunSpec spec;
    /** This iteration's sampling and training seed. */
    private long seed;

    private StepSummaries summaries;
    private IterationActivities activities;
    private IterationSteps steps;
    private boolean paused;
    private final CorruptInputRecovery recovery = new CorruptInputRecovery();
    /** The pair step's output, replaced if it is computed again (its pairs file was found corrupt). */
    private PairOutput pairs;
    /** The reference step's output, likewise. */
    private ArtifactRef trainingPairs;

    @Override
    public IterationSummary run(IterationInput input) {
        in = input;
        spec = input.spec();
        paused = input.startPaused();
        seed = iterationSeed(spec.seed(), input.iteration());
        summaries = new StepSummaries(spec);
        activities = new IterationActivities(spec);
        steps = new IterationSteps(
                input.iteration(),
                "**" + RunDescriptions.iterationSummary(spec, input.iteration()) + "**",
                () -> paused);
        Workflow.upsertTypedSearchAttributes(
                TpoSearchAttributes.RUN_NAME.valueSet(spec.name()),
                TpoSearchAttributes.ITERATION.valueSet((long) input.iteration()),
                TpoSearchAttributes.THOUGHT_MODE.valueSet(spec.thought().mode().wireName()),
                TpoSearchAttributes.SEED_POLICY.valueSet(spec.seedPolicy()),
                TpoSearchAttributes.STATUS.valueSet("running"));
        try {
            IterationSummary summary = iterate();
            Workflow.upsertTypedSearchAttributes(
                    TpoSearchAttributes.STATUS.valueSet("completed"), TpoSearchAttributes.STEP.valueSet("done"));
            return summary;
        } catch (RuntimeException e) {
            steps.fail();
            Workflow.upsertTypedSearchAttributes(TpoSearchAttributes.STATUS.valueSet("failed"));
            throw e;
        }
    }

    /**
     * One TPO iteration: the policy writes a thought then a response, K times per prompt; the judge sees only the
     * responses; the best and worst response of each prompt, thoughts included, make a preference pair; DPO on the
     * pairs teaches the policy which thoughts lead to better responses.
     */
    private IterationSummary iterate() {
        PromptSelection selection = selectPrompts();
        List<GenerateOutput> generations = generate(selection);
        List<JudgeOutput> judgements = judge(generations);
        pair(selection, generations, judgements);

        // A prompt whose samples all scored alike gives no pair; with no pair at all there is nothing to learn, and
        // the iteration evaluates (and passes on) the policy it started from.
        TrainedPolicy trained = TrainedPolicy.untrained(in.policy());
        if (pairs.summary().pairs() > 0) {
            referenceLogProbs();
            trained = train(pairs.summary().pairs());
        }

        PolicyEvaluation evaluation = answerAndEvaluate(trained.policy());
        IterationSummary summary = summarise(selection, generations, pairs, trained, evaluation);
        return summary.withReport(writeReport(summary));
    }

    private PromptSelection selectPrompts() {
        String summary = summaries.select(in.iteration());
        return steps.run(
                "select",
                summary,
                () -> activities
                        .select(summary)
                        .selectPrompts(new SelectPromptsInput(
                                in.run(),
                                in.iteration(),
                                in.inputs().trainPrompts(),
                                spec.promptsPerIteration(),
                                spec.seed(),
                                spec.shards().generate())));
    }

    /**
     * K samples (thought and response) per selected prompt, one activity per prompt shard. The returned list is
     * updated in place when a shard found corrupt later is generated again.
     */
    private List<GenerateOutput> generate(PromptSelection selection) {
        int shardCount = selection.shards().size();
        List<Supplier<GenerateOutput>> shards = new ArrayList<>();
        for (int s = 0; s < shardCount; s++) {
            GenerateActivity generator =
                    activities.generate(summaries.generate(s, shardCount, selection.shardPromptCount(s)));
            GenerateInput shard = new GenerateInput(
                    in.run(),
                    in.iteration(),
                    s,
                    in.policy(),
                    selection.shards().get(s),
                    spec.thought(),
                    spec.generation(),
                    seed,
                    spec.compute());
            shards.add(() -> generator.generate(shard));
        }
        List<GenerateOutput> generations = new ArrayList<>(steps.fanOut("generate", shards));
        steps.computed(
                "generate",
                generations.stream().mapToDouble(GenerateOutput::seconds).sum());
        for (int s = 0; s < shardCount; s++) {
            int shard = s;
            recovery.producedBy(
                    () -> generations.get(shard).generations(),
                    () -> generations.set(shard, shards.get(shard).get()));
        }
        return generations;
    }

    /**
     * A score for every sampled response (the judge never sees the thought), one activity per judge shard. Each
     * shard's input is made when it starts, from the generations as they are then: a shard that found a generation
     * corrupt runs again on the regenerated one.
     */
    private List<JudgeOutput> judge(List<GenerateOutput> generations) {
        int count = Math.min(spec.shards().judge(), generations.size());
        List<Supplier<JudgeOutput>> shards = new ArrayList<>();
        for (int j = 0; j < count; j++) {
            int shard = j;
            JudgeActivity judge = activities.judge(summaries.judge(
                    j, count, judgedShards(generations, j, count).size()));
            shards.add(() -> recovery.consume(() -> judge.judge(judgeShard(generations, shard, count))));
        }
        List<JudgeOutput> judgements = new ArrayList<>(steps.fanOut("judge", shards));
        steps.computed(
                "judge", judgements.stream().mapToDouble(JudgeOutput::seconds).sum());
        for (int j = 0; j < count; j++) {
            int shard = j;
            recovery.producedBy(
                    () -> judgements.get(shard).judgements(),
                    () -> judgements.set(shard, shards.get(shard).get()));
        }
        return judgements;
    }

    /** Each judge shard takes whole generation shards (round robin), so no output is judged twice. */
    private JudgeInput judgeShard(List<GenerateOutput> generations, int shard, int count) {
        return new JudgeInput(
                in.run(),
                in.iteration(),
                shard,
                judgedShards(generations, shard, count),
                spec.judge(),
                in.inputs().judgeModel(),
                spec.compute());
    }

    private static List<ArtifactRef> judgedShards(List<GenerateOutput> generations, int shard, int count) {
        List<ArtifactRef> refs = new ArrayList<>();
        for (int g = shard; g < generations.size(); g += count) {
            refs.add(generations.get(g).generations());
        }
        return refs;
    }

    /** Per prompt, the best-scored sample is chosen and the worst rejected. */
    private void pair(PromptSelection selection, List<GenerateOutput> generations, List<JudgeOutput> judgements) {
        String summary = summaries.pair(selection.promptCount());
        Supplier<PairOutput> pairing = () -> recovery.consume(() -> activities
                .pair(summary)
                .pair(new PairInput(
                        in.run(),
                        in.iteration(),
                        generations.stream().map(GenerateOutput::generations).toList(),
                        judgements.stream().map(JudgeOutput::judgements).toList(),
                        spec.pairing())));
        pairs = steps.run("pair", summary, pairing);
        recovery.producedBy(() -> pairs.pairs(), () -> pairs = pairing.get());
        steps.report(Map.of(
                "pairs/count",
                (double) pairs.summary().pairs(),
                "pairs/mean_score_margin",
                pairs.summary().meanScoreMargin()));
    }

    /**
     * DPO measures the trained policy against the one the iteration started from; that policy's log-probs of each
     * pair are computed once, here, rather than on every training step.
     */
    private void referenceLogProbs() {
        String summary = summaries.reference(pairs.summary().pairs());
        Supplier<ArtifactRef> scoring = () -> recovery.consume(() -> activities
                .reference(summary)
                .referenceLogProbs(new ReferenceLogProbsInput(
                        in.run(), in.iteration(), in.policy(), pairs.pairs(), spec.compute())));
        trainingPairs = steps.run("reference", summary, scoring);
        recovery.producedBy(() -> trainingPairs, () -> trainingPairs = scoring.get());
    }

    private TrainedPolicy train(int pairCount) {
        String summary = summaries.train(pairCount);
        TrainOutput trained = steps.run(
                "train",
                summary,
                () -> recovery.consume(() -> activities
                        .train(summary)
                        .train(new TrainInput(
                                in.run(),
                                in.iteration(),
                                in.policy(),
                                trainingPairs,
                                spec.dpo(),
                                seed,
                                spec.compute()))));
        steps.computed("train", trained.seconds());
        steps.report(prefixed("train/", trained.metrics()));
        return TrainedPolicy.of(trained);
    }

    /** The new policy answers the eval set and the judge scores it (against the baseline's answers, if any). */
    private PolicyEvaluation answerAndEvaluate(ArtifactRef policy) {
        String answering = summaries.answer("policy", spec.thought().thinks());
        String evaluating = summaries.evaluate(in.iteration(), in.baselineAnswers() != null);
        PolicyEvaluation evaluation = steps.run("evaluate", answering + "; " + evaluating, () -> {
            AnswerOutput answers = activities
                    .answer(answering)
                    .answer(new AnswerInput(
                            in.run(),
                            in.iteration(),
                            "policy",
                            policy,
                            in.inputs().evalPrompts(),
                            spec.thought(),
                            spec.evaluation(),
                            spec.seed(),
                            spec.compute()));
            EvalOutput eval = activities
                    .evaluate(evaluating)
                    .evaluate(new EvaluateInput(
                            in.run(),
                            in.iteration(),
                            answers.answers(),
                            in.baselineAnswers(),
                            spec.evaluation(),
                            spec.judge(),
                            in.inputs().judgeModel(),
                            spec.compute()));
            return new PolicyEvaluation(answers, eval);
        });
        steps.computed("evaluate", evaluation.seconds());
        steps.report(Map.of("eval/score", evaluation.eval().result().score()));
        return evaluation;
    }

    /** What the iteration did, as the run's result and progress show it; its report is written from this. */
    private IterationSummary summarise(
            PromptSelection selection,
            List<GenerateOutput> generations,
            PairOutput pairs,
            TrainedPolicy trained,
            PolicyEvaluation evaluation) {
        int samples = generations.stream().mapToInt(GenerateOutput::samples).sum();
        int malformed = generations.stream().mapToInt(GenerateOutput::malformed).sum();
        long generatedTokens =
                generations.stream().mapToLong(GenerateOutput::generatedTokens).sum();
        IterationArtifacts artifacts = new IterationArtifacts(
                pairs.summary().pairs() > 0 ? pairs.pairs() : null,
                trained.metricsLog(),
                evaluation.answers().answers(),
                evaluation.eval().judgements());
        return new IterationSummary(
                in.iteration(),
                spec.thought().mode().wireName(),
                trained.policy(),
                selection.promptCount(),
                samples,
                malformed,
                generatedTokens,
                pairs.summary(),
                trained.metrics(),
                trained.resumedFromStep(),
                evaluation.eval().result(),
                steps.stepSeconds(),
                steps.computeSeconds(),
                artifacts,
                Workflow.currentTimeMillis(),
                null);
    }

    private ArtifactRef writeReport(IterationSummary summary) {
        String note = summaries.iterationReport(in.iteration());
        return steps.run(
                "report", note, () -> activities.report(note).writeIterationReport(new ReportInput(in.run(), summary)));
    }

    private static Map<String, Double> prefixed(String prefix, Map<String, Double> metrics) {
        Map<String, Double> out = new LinkedHashMap<>();
        metrics.forEach((k, v) -> out.put(prefix + k, v));
        return out;
    }

    /** A different sampling stream per iteration, reproducible from the run's seed. */
    static long iterationSeed(long runSeed, int iteration) {
        long z = runSeed + 0x9E3779B97F4A7C15L * iteration;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Override
    public void pause() {
        paused = true;
    }

    @Override
    public void resume() {
        paused = false;
    }

    @Override
    public boolean paused() {
        return paused;
    }
}
