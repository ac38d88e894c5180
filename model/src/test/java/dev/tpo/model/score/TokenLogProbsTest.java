package dev.tpo.model.score;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tpo.model.CausalLm;
import dev.tpo.model.GradMode;
import dev.tpo.model.ModelConfig;
import dev.tpo.model.TinyModels;
import org.junit.jupiter.api.Test;

class TokenLogProbsTest {
    private static final long[] IDS = {1, 5, 9, 33, 70, 12, 8, 96, 4, 17, 2, 60, 61, 3};

    private static CausalLm model(int layers) {
        ObjectNode c = TinyModels.llamaJson();
        c.put("num_hidden_layers", layers);
        c.put("tie_word_embeddings", true);
        return TinyModels.random(ModelConfig.parse(c, "test"), 11);
    }

    /** Log-probs and the gradient of their sum w.r.t. the (tied) embedding, with the given chunk size. */
    private static float[][] logProbsAndGradient(CausalLm model, long chunk) {
        NDArray embedding = model.parameters().get("model.embed_tokens.weight");
        embedding.setRequiresGradient(true);
        try (NDManager scope = model.manager().newSubManager();
                GradMode off = GradMode.offOnThisThread();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray lp = TokenLogProbs.compute(model, scope.create(IDS, new Shape(2, 7)), chunk);
            assertEquals(new Shape(2, 6), lp.getShape());
            float[] values = lp.toFloatArray();
            collector.backward(lp.sum());
            float[] grad = embedding.getGradient().toFloatArray();
            embedding.getGradient().subi(embedding.getGradient());
            return new float[][] {values, grad};
        }
    }

    @Test
    void chunkedHeadGivesTheSameLogProbsAndGradients() {
        try (CausalLm model = model(2)) {
            float[][] whole = logProbsAndGradient(model, 1000);
            // 12 positions in chunks of 5: two full chunks and a partial one, across the row boundary
            float[][] chunked = logProbsAndGradient(model, 5);
            assertArrayEquals(whole[0], chunked[0], 1e-6f);
            assertArrayEquals(whole[1], chunked[1], 1e-6f);
            float norm = 0;
            for (float g : whole[1]) {
                norm += g * g;
            }
            assertTrue(norm > 0, "the gradient must reach the embedding for the comparison to mean anything");
        }
    }

    /** Arrays a forward leaves in the caller's scope, for a model of the given depth. */
    private static int arraysLeftInScope(int layers) {
        try (CausalLm model = model(layers);
                NDManager scope = model.manager().newSubManager()) {
            TokenLogProbs.compute(model, scope.create(IDS, new Shape(2, 7)), 5);
            return scope.getManagedArrays().size();
        }
    }

    @Test
    void layerIntermediatesDoNotOutliveTheirLayer() {
        // Every layer's activations used to stay in the caller's scope until it closed (5.5 GB for 8 x 256 tokens
        // on a 30-layer model); what is left now must not depend on the depth.
        assertEquals(arraysLeftInScope(1), arraysLeftInScope(6));
    }
}
