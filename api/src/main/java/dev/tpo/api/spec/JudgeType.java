package dev.tpo.api.spec;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The kinds of judge a run spec's {@code judge.type} names, in snake_case on the wire. The one list of them: the
 * spec's validation and the worker's judge factory both switch over it, so a new kind fails to compile until
 * both handle it.
 */
public enum JudgeType {
    /** Compares a response's answer with the prompt's reference answer. */
    VERIFIER,
    /** A LlamaForSequenceClassification folder scoring each response (local model). */
    REWARD_MODEL,
    /** Self-Taught-Evaluator style, both orders, Bradley-Terry scores (local model or endpoint). */
    PAIRWISE_LLM,
    /** Scores each response against a rubric (endpoint). */
    POINTWISE_LLM;

    @JsonValue
    public String wireName() {
        return WireNames.of(this);
    }

    /** The wire name, so text built from a type reads as the spec wrote it. */
    @Override
    public String toString() {
        return wireName();
    }

    /** The wire names, sorted, comma-separated (as the spec parser lists them). */
    public static String allowed() {
        return WireNames.allowed(JudgeType.class);
    }
}
