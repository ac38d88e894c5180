package dev.tpo.model;

/** Checks token ids against a vocabulary before they reach the embedding, naming the offending input. */
public final class TokenIds {
    private TokenIds() {}

    public static void check(int[] ids, int vocabSize, String where) {
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= vocabSize) {
                throw new InvalidModelException(where + ": token id " + ids[i] + " at position " + i
                        + " is out of range [0, " + vocabSize + ")");
            }
        }
    }

    /** Token ids as the tokenizer returns them (long) in the engine's form (int); vocabularies fit an int. */
    public static int[] toInts(long[] ids) {
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = Math.toIntExact(ids[i]);
        }
        return out;
    }
}
