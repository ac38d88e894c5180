package dev.tpo.activities;

import java.util.List;

/** The step implementations each worker role registers, so worker wiring never lists steps itself. */
public final class ActivitySet {
    private ActivitySet() {}

    /** Steps for the control task queue: cheap, no native model libraries needed. */
    public static List<Object> control(StepEnvironment env) {
        StepServices services = StepServices.of(env);
        return List.of(
                new PrepareRunStep(services),
                new SelectPromptsStep(services),
                new PairStep(services),
                new ReportStep(services),
                new JudgeStep(services),
                new AnswerStep(services),
                new EvaluateStep(services),
                new TrackingStep(services, System::getenv));
    }

    /** Steps for the GPU task queue: everything that runs a model. */
    public static List<Object> gpu(StepEnvironment env) {
        StepServices services = StepServices.of(env);
        return List.of(
                new GenerateStep(services),
                new JudgeStep(services),
                new ReferenceLogProbsStep(services),
                new TrainStep(services),
                new AnswerStep(services),
                new EvaluateStep(services));
    }
}
