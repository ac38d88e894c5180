package dev.tpo.train;

/** One supervised example: the loss covers the completion tokens only. */
public record SftExample(int[] promptIds, int[] completionIds) {
    public long tokenCount() {
        return (long) promptIds.length + completionIds.length;
    }
}
