package dev.tpo.method.judge;

/**
 * A 200 reply whose body is not an OpenAI chat completion (an HTML error page from a proxy or load balancer, a
 * truncated body, JSON of another shape). It says nothing about the judgement, so the backend retries it like a
 * 5xx; a well-formed completion whose text holds no verdict is not this, but a malformed judgement.
 */
final class NotAChatCompletionException extends Exception {
    NotAChatCompletionException(String problem) {
        super(problem);
    }
}
