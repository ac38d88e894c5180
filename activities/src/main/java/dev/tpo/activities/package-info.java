/**
 * The TPO steps, one activity implementation each, named after the step: {@link dev.tpo.activities.PrepareRunStep},
 * {@link dev.tpo.activities.SelectPromptsStep}, {@link dev.tpo.activities.GenerateStep},
 * {@link dev.tpo.activities.JudgeStep}, {@link dev.tpo.activities.PairStep},
 * {@link dev.tpo.activities.ReferenceLogProbsStep}, {@link dev.tpo.activities.TrainStep},
 * {@link dev.tpo.activities.AnswerStep}, {@link dev.tpo.activities.EvaluateStep}, {@link dev.tpo.activities.ReportStep}
 * and {@link dev.tpo.activities.TrackingStep}; {@link dev.tpo.activities.ActivitySet} lists them per worker role,
 * {@link dev.tpo.activities.StepServices} is what they share within a worker and
 * {@link dev.tpo.activities.StepFailures} how their failures reach Temporal.
 * Their helpers are in the subpackages: {@code rows} (the JSONL rows they write), {@code storage} (where and how
 * they write), {@code heartbeat} (staying alive and resuming), {@code policy} (the policy model), {@code judging}
 * (judges) and {@code report} (the run report's page).
 */
package dev.tpo.activities;
