package dev.tpo.demo.synthetic;

/**
 * One instruction of the suite as the pipeline reads it: {@code prompt} is the bare instruction (the thought
 * prompt wraps it later), {@code reference} the exact expected response.
 */
public record PromptRecord(String id, String prompt, String category, String reference) {}
