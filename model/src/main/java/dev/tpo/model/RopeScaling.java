package dev.tpo.model;

/**
 * Rotary embedding frequency scaling. Only the types whose math the engine implements exist here; config parsing
 * rejects every other type instead of silently running unscaled rotary embeddings.
 *
 * @param type "default" (no scaling) or "llama3" (Llama 3.1/3.2 frequency-dependent scaling)
 */
public record RopeScaling(
        String type, double factor, double lowFreqFactor, double highFreqFactor, int originalMaxPositionEmbeddings) {

    public static RopeScaling none() {
        return new RopeScaling("default", 1.0, 0, 0, 0);
    }

    public boolean isLlama3() {
        return "llama3".equals(type);
    }

    /**
     * The inverse frequencies of HF's {@code _compute_default_rope_parameters} and, for "llama3",
     * {@code _compute_llama3_parameters}, in float32 as transformers computes them.
     */
    public float[] inverseFrequencies(int headDim, double theta) {
        int half = headDim / 2;
        float[] inv = new float[half];
        for (int i = 0; i < half; i++) {
            float exponent = (float) (2 * i) / headDim;
            inv[i] = (float) (1.0 / (float) Math.pow(theta, exponent));
        }
        if (!isLlama3()) {
            return inv;
        }
        double lowFreqWavelen = originalMaxPositionEmbeddings / lowFreqFactor;
        double highFreqWavelen = originalMaxPositionEmbeddings / highFreqFactor;
        float[] scaled = new float[half];
        for (int i = 0; i < half; i++) {
            double wavelen = 2 * Math.PI / inv[i];
            float base = wavelen > lowFreqWavelen ? (float) (inv[i] / factor) : inv[i];
            boolean medium = !(wavelen < highFreqWavelen) && !(wavelen > lowFreqWavelen);
            if (medium) {
                double smooth =
                        (originalMaxPositionEmbeddings / wavelen - lowFreqFactor) / (highFreqFactor - lowFreqFactor);
                base = (float) ((1 - smooth) * base / factor + smooth * base);
            }
            scaled[i] = base;
        }
        return scaled;
    }
}
