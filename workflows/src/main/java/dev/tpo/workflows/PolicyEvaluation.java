package dev.tpo.workflows;

import dev.tpo.api.steps.AnswerOutput;
import dev.tpo.api.steps.EvalOutput;

/** A policy's answers to the eval set and the judge's verdict on them. */
record PolicyEvaluation(AnswerOutput answers, EvalOutput eval) {
    /** Time both activities spent working. */
    double seconds() {
        return answers.seconds() + eval.seconds();
    }
}
