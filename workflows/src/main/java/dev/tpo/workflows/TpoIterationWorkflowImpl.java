package dev.tpo.workflows;

import dev.tpo.api.ArtifactRef;
import dev.tpo.api.activities.EvaluateActivity;
import dev.tpo.api.activities.GenerateActivity;
import dev.tpo.api.activities.JudgeActivity;
import dev.tpo.api.activities.PairActivity;
import dev.tpo.api.activities.ReferenceLogProbsActivity;
import dev.tpo.api.activities.ReportActivity;
import dev.tpo.api.activities.SelectPromptsActivity;
import dev.tpo.api.activities.TrainActivity;
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
import io.temporal.activity.ActivityOptions;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

public final class TpoIterationWorkflowImpl implements TpoIterationWorkflow {
    private final Map<String, Double> stepSeconds = new LinkedHashMap<>();
    private final Map<String, Double> computeSeconds = new LinkedHashMap<>();
    private final ProgressTable table = new ProgressTable();
    private StepSummaries summaries;
    private String heading;
    private IterationInput input;
    private TpoRunWorkflow parent;
    private boolean paused;
    private String step;
    private long stepStartedMillis;

    @Override
    public IterationSummary run(IterationInput in) {
        input = in;
        paused = in.startPaused();
        summaries = new StepSummaries(in.spec());
        heading = "**" + RunDescriptions.iterationSummary(in.spec(), in.iteration()) + "**";
        parent = Workflow.getInfo().getParentWorkflowId()
                .map(id -> Workflow.newExternalWorkflowStub(TpoRunWorkflow.class, id))
                .orElse(null);
        Workflow.upsertTypedSearchAttributes(
                TpoSearchAttributes.RUN_NAME.valueSet(in.spec().name()),
                TpoSearchAttributes.ITERATION.valueSet((long) in.iteration()),
                TpoSearchAttributes.THOUGHT_MODE.valueSet(in.spec().thought().mode()),
                TpoSearchAttributes.SEED_POLICY.valueSet(in.spec().seedPolicy()),
                TpoSearchAttributes.STATUS.valueSet("running"));
        try {
            IterationSummary summary = iterate(in);
            Workflow.upsertTypedSearchAttributes(TpoSearchAttributes.STATUS.valueSet("completed"),
                    TpoSearchAttributes.STEP.valueSet("done"));
            return summary;
        } catch (RuntimeException e) {
            table.fail();
            Workflow.setCurrentDetails(table.markdown(heading));
            Workflow.upsertTypedSearchAttributes(TpoSearchAttributes.STATUS.valueSet("failed"));
            throw e;
        }
    }

    private IterationSummary iterate(IterationInput in) {
        RunSpec spec = in.spec();
        StepOptions options = new StepOptions(spec.taskQueues(), Duration.ofSeconds(spec.heartbeatTimeoutSeconds()));
        long seed = iterationSeed(spec.seed(), in.iteration());

        String selecting = summaries.select(in.iteration());
        begin("select", 0, selecting);
        PromptSelection selection = stub(SelectPromptsActivity.class, options.control(), selecting)
                .selectPrompts(new SelectPromptsInput(in.run(), in.iteration(), in.inputs().trainPrompts(),
                        spec.promptsPerIteration(), spec.seed(), spec.shards().generate()));
        end();

        int shardCount = selection.shards().size();
        List<Supplier<GenerateOutput>> generating = new ArrayList<>();
        for (int s = 0; s < shardCount; s++) {
            GenerateActivity generator = stub(GenerateActivity.class, options.gpu(Duration.ofHours(12)),
                    summaries.generate(s, shardCount, selection.shardPromptCount(s)));
            GenerateInput shard = new GenerateInput(in.run(), in.iteration(), s, in.policy(),
                    selection.shards().get(s), spec.thought(), spec.generation(), seed, spec.compute());
            generating.add(() -> generator.generate(shard));
        }
        List<GenerateOutput> generations = fanOut("generate", generating);
        computeSeconds.put("generate", generations.stream().mapToDouble(GenerateOutput::seconds).sum());

        List<JudgeInput> judgeInputs = judgeShards(spec, generations);
        List<Supplier<JudgeOutput>> judging = new ArrayList<>();
        for (JudgeInput shard : judgeInputs) {
            JudgeActivity judge = stub(JudgeActivity.class, options.judge(spec.judge()),
                    summaries.judge(shard.shard(), judgeInputs.size(), shard.generations().size()));
            judging.add(() -> judge.judge(shard));
        }
        List<JudgeOutput> judgements = fanOut("judge", judging);
        computeSeconds.put("judge", judgements.stream().mapToDouble(JudgeOutput::seconds).sum());

        String pairing = summaries.pair(selection.promptCount());
        begin("pair", 0, pairing);
        PairOutput pairs = stub(PairActivity.class, options.control(), pairing)
                .pair(new PairInput(in.run(), in.iteration(),
                        generations.stream().map(GenerateOutput::generations).toList(),
                        judgements.stream().map(JudgeOutput::judgements).toList(), spec.pairing()));
        end();
        report(Map.of("pairs/count", (double) pairs.summary().pairs(),
                "pairs/mean_score_margin", pairs.summary().meanScoreMargin()));

        ArtifactRef policy = in.policy();
        ArtifactRef metricsLog = null;
        Map<String, Double> trainMetrics = Map.of();
        int resumedFrom = 0;
        if (pairs.summary().pairs() > 0) {
            String referencing = summaries.reference(pairs.summary().pairs());
            begin("reference", 0, referencing);
            ArtifactRef trainingPairs = stub(ReferenceLogProbsActivity.class, options.gpu(Duration.ofHours(6)),
                    referencing).referenceLogProbs(new ReferenceLogProbsInput(in.run(), in.iteration(),
                    in.policy(), pairs.pairs(), spec.compute()));
            end();

            String training = summaries.train(pairs.summary().pairs());
            begin("train", 0, training);
            TrainOutput trained = stub(TrainActivity.class, options.gpu(Duration.ofHours(48)), training)
                    .train(new TrainInput(in.run(), in.iteration(), in.policy(), trainingPairs, spec.dpo(), seed,
                            spec.compute()));
            end();
            computeSeconds.put("train", trained.seconds());
            policy = trained.model();
            metricsLog = trained.metricsLog();
            trainMetrics = trained.metrics();
            resumedFrom = trained.resumedFromStep();
            report(prefixed("train/", trainMetrics));
        }

        String answering = summaries.answer("policy", spec.thought().thinks());
        String evaluating = summaries.evaluate(in.iteration(), in.baselineAnswers() != null);
        begin("evaluate", 0, answering + "; " + evaluating);
        AnswerOutput answers = stub(EvaluateActivity.class, options.gpu(Duration.ofHours(12)), answering)
                .answer(new AnswerInput(in.run(), in.iteration(), "policy", policy, in.inputs().evalPrompts(),
                        spec.thought(), spec.evaluation(), spec.seed(), spec.compute()));
        EvalOutput eval = stub(EvaluateActivity.class, options.judge(spec.judge()), evaluating)
                .evaluate(new EvaluateInput(in.run(), in.iteration(), answers.answers(), in.baselineAnswers(),
                        spec.evaluation(), spec.judge(), in.inputs().judgeModel(), spec.compute()));
        end();
        computeSeconds.put("evaluate", answers.seconds() + eval.seconds());
        report(Map.of("eval/score", eval.result().score()));

        int samples = generations.stream().mapToInt(GenerateOutput::samples).sum();
        int malformed = generations.stream().mapToInt(GenerateOutput::malformed).sum();
        long generatedTokens = generations.stream().mapToLong(GenerateOutput::generatedTokens).sum();
        IterationArtifacts artifacts = new IterationArtifacts(pairs.summary().pairs() > 0 ? pairs.pairs() : null,
                metricsLog, answers.answers(), eval.judgements());
        IterationSummary summary = new IterationSummary(in.iteration(), spec.thought().mode(), policy,
                selection.promptCount(), samples, malformed, generatedTokens, pairs.summary(), trainMetrics,
                resumedFrom, eval.result(), Map.copyOf(stepSeconds), Map.copyOf(computeSeconds), artifacts,
                Workflow.currentTimeMillis(), null);
        String reporting = summaries.iterationReport(in.iteration());
        begin("report", 0, reporting);
        ArtifactRef report = stub(ReportActivity.class, options.control(), reporting)
                .writeIterationReport(new ReportInput(in.run(), summary));
        end();
        return summary.withReport(report);
    }

    /** An activity stub whose every call carries {@code summary}, shown beside it in the Web UI. */
    private static <T> T stub(Class<T> activity, ActivityOptions options, String summary) {
        return Workflow.newActivityStub(activity, ActivityOptions.newBuilder(options).setSummary(summary).build());
    }

    /** Each judge shard takes whole generation shards (round robin), so no output is judged twice. */
    private List<JudgeInput> judgeShards(RunSpec spec, List<GenerateOutput> generations) {
        int count = Math.min(spec.shards().judge(), generations.size());
        List<JudgeInput> inputs = new ArrayList<>();
        for (int j = 0; j < count; j++) {
            List<ArtifactRef> refs = new ArrayList<>();
            for (int g = j; g < generations.size(); g += count) {
                refs.add(generations.get(g).generations());
            }
            inputs.add(new JudgeInput(input.run(), input.iteration(), j, refs, spec.judge(),
                    input.inputs().judgeModel(), spec.compute()));
        }
        return inputs;
    }

    /** Starts one activity per shard and waits for all, telling the run as shards finish. */
    private <O> List<O> fanOut(String name, List<Supplier<O>> shards) {
        begin(name, shards.size(), shards.size() + (shards.size() == 1 ? " shard" : " shards"));
        List<Promise<O>> running = new ArrayList<>();
        for (Supplier<O> shard : shards) {
            running.add(Async.function(shard::get));
        }
        int reported = 0;
        while (true) {
            List<Promise<O>> pending = running.stream().filter(p -> !p.isCompleted()).toList();
            int done = running.size() - pending.size();
            if (done > reported) {
                reported = done;
                table.shards(done, shards.size());
                Workflow.setCurrentDetails(table.markdown(heading));
                tellParent(done, shards.size(), Map.of());
            }
            if (pending.isEmpty()) {
                break;
            }
            Promise.anyOf(pending).get();
        }
        end();
        return running.stream().map(Promise::get).toList();
    }

    /** A step starts (after any pause): the UI's search attribute, details table and the run hear of it. */
    private void begin(String name, int shards, String note) {
        Workflow.await(() -> !paused);
        step = name;
        stepStartedMillis = Workflow.currentTimeMillis();
        Workflow.upsertTypedSearchAttributes(TpoSearchAttributes.STEP.valueSet(name));
        table.begin(name, shards, note);
        Workflow.setCurrentDetails(table.markdown(heading));
        tellParent(0, shards, Map.of());
    }

    private void end() {
        double seconds = (Workflow.currentTimeMillis() - stepStartedMillis) / 1000.0;
        stepSeconds.merge(step, seconds, Double::sum);
        table.end(seconds);
        Workflow.setCurrentDetails(table.markdown(heading));
    }

    private void report(Map<String, Double> metrics) {
        tellParent(0, 0, metrics);
    }

    /**
     * Progress is for display, so the iteration does not wait for the run to receive it: a blocking signal costs a
     * workflow task round trip before every step, and the signal goes out with the step's own commands instead.
     */
    private void tellParent(int shardsDone, int shardsTotal, Map<String, Double> metrics) {
        if (parent != null) {
            Async.procedure(parent::reportStep,
                    new StepProgress(input.iteration(), step, shardsDone, shardsTotal, metrics));
        }
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
