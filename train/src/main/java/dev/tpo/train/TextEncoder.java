package dev.tpo.train;

/**
 * Turns the text form of training data into token ids with the model's tokenizer: the prompt is chat-formatted
 * text (the template already rendered, special tokens included), a completion is the assistant's text, which ends
 * with the end-of-sequence token so the model learns to stop.
 */
public interface TextEncoder {
    int[] prompt(String chatFormattedPrompt);

    int[] completion(String text);
}
