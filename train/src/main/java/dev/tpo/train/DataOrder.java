package dev.tpo.train;

import java.util.SplittableRandom;

/**
 * The order examples are visited in: a fresh shuffle each epoch drawn from (seed, epoch) alone, so a resumed run
 * needs only the epoch and the position in it to continue with exactly the examples it would have seen.
 */
public record DataOrder(long seed, int size) {

    public int[] epoch(int epoch) {
        int[] order = new int[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch);
        for (int i = size - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
