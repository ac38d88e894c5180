package dev.tpo.method.judge;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.tpo.model.CausalLm;
import dev.tpo.model.ModelConfig;
import dev.tpo.model.nn.AttentionMasks;
import dev.tpo.model.tokenizer.ChatMessage;
import dev.tpo.model.tokenizer.ModelTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * A scalar reward model in Hugging Face's {@code LlamaForSequenceClassification} /
 * {@code Qwen2ForSequenceClassification} layout ({@code score.weight} of shape [1, hidden]). Each response is
 * scored as the conversation (user: prompt, assistant: response) rendered by the reward model's own chat template
 * without a generation prompt, read at the last token, as transformers does: when config.json names a
 * {@code pad_token_id}, the last token that is not that id.
 *
 * <p>Sequences are sorted by length and right-padded in batches of at most {@code maxBatch}; with right padding,
 * causal attention alone keeps real tokens from seeing padding, so a response's score does not depend on what it
 * was batched with. The model and tokenizer stay the caller's: closing this judge closes neither.
 */
public final class RewardModelJudge implements Judge {
    private final CausalLm model;
    private final ModelTokenizer tokenizer;
    private final int maxBatch;

    public RewardModelJudge(CausalLm model, ModelTokenizer tokenizer, int maxBatch) {
        ModelConfig config = model.config();
        if (!config.isClassifier()) {
            throw new IllegalArgumentException(
                    "reward model must be a sequence classifier (score.weight), got " + config.architecture());
        }
        if (config.numLabels() != 1) {
            throw new IllegalArgumentException(
                    "reward model must have one label (a scalar reward), got num_labels " + config.numLabels());
        }
        if (maxBatch < 1) {
            throw new IllegalArgumentException("reward model batch size must be >= 1, got " + maxBatch);
        }
        this.model = model;
        this.tokenizer = tokenizer;
        this.maxBatch = maxBatch;
    }

    /** One response to score: its token ids and where its score goes. */
    private record Row(int task, int response, long[] ids, int readAt) {}

    @Override
    public List<JudgeScores> score(List<JudgeTask> tasks) {
        List<Row> rows = new ArrayList<>();
        List<double[]> scores = new ArrayList<>();
        for (int t = 0; t < tasks.size(); t++) {
            JudgeTask task = tasks.get(t);
            double[] s = new double[task.responses().size()];
            Arrays.fill(s, Double.NaN);
            scores.add(s);
            for (int i : task.judgedIndices()) {
                long[] ids = tokenizer.encodeChat(
                        List.of(
                                ChatMessage.user(task.prompt()),
                                ChatMessage.assistant(task.responses().get(i))),
                        false);
                rows.add(new Row(t, i, ids, readPosition(ids, task.promptId(), i)));
            }
        }
        rows.sort(Comparator.comparingInt(r -> r.ids().length));
        for (int start = 0; start < rows.size(); start += maxBatch) {
            List<Row> batch = rows.subList(start, Math.min(rows.size(), start + maxBatch));
            float[] rewards = forward(batch);
            for (int b = 0; b < batch.size(); b++) {
                scores.get(batch.get(b).task())[batch.get(b).response()] = rewards[b];
            }
        }
        List<List<String>> details = new ArrayList<>();
        tasks.forEach(t -> details.add(new ArrayList<>()));
        rows.sort(Comparator.comparingInt(Row::task).thenComparingInt(Row::response));
        for (Row r : rows) {
            details.get(r.task())
                    .add("response " + r.response() + " reward " + scores.get(r.task())[r.response()]
                            + " read at token " + r.readAt() + " of " + r.ids().length);
        }
        List<JudgeScores> out = new ArrayList<>(tasks.size());
        for (int t = 0; t < tasks.size(); t++) {
            out.add(new JudgeScores(tasks.get(t).promptId(), scores.get(t), details.get(t)));
        }
        return out;
    }

    private int readPosition(long[] ids, String promptId, int response) {
        ModelConfig config = model.config();
        if (ids.length == 0) {
            throw new JudgeException("prompt '" + promptId + "' response " + response + " encodes to no tokens", false);
        }
        if (ids.length > config.maxPositionEmbeddings()) {
            throw new JudgeException(
                    "prompt '" + promptId + "' response " + response + " has " + ids.length
                            + " tokens, more than the reward model's " + config.maxPositionEmbeddings() + " positions",
                    false);
        }
        for (int j = 0; j < ids.length; j++) {
            if (ids[j] < 0 || ids[j] >= config.vocabSize()) {
                throw new JudgeException(
                        "prompt '" + promptId + "' response " + response + ": token id " + ids[j]
                                + " is outside the reward model's vocabulary of " + config.vocabSize()
                                + " (tokenizer and model do not match)",
                        false);
            }
        }
        int at = ids.length - 1;
        Integer pad = config.padTokenId();
        while (pad != null && at > 0 && ids[at] == pad) {
            at--;
        }
        return at;
    }

    private float[] forward(List<Row> batch) {
        int width = batch.get(batch.size() - 1).ids().length;
        long[] flat = new long[batch.size() * width];
        long padId = batch.get(0).ids()[0];
        long[] readAt = new long[batch.size()];
        for (int b = 0; b < batch.size(); b++) {
            long[] ids = batch.get(b).ids();
            System.arraycopy(ids, 0, flat, b * width, ids.length);
            // any in-vocabulary id pads: causality keeps padding (always after the real tokens) out of their view
            Arrays.fill(flat, b * width + ids.length, (b + 1) * width, padId);
            readAt[b] = batch.get(b).readAt();
        }
        int hidden = model.config().hiddenSize();
        try (NDManager scope = model.manager().newSubManager()) {
            NDArray ids = scope.create(flat, new Shape(batch.size(), width));
            NDArray positions = scope.arange(0, width, 1, DataType.INT64)
                    .reshape(1, width)
                    .broadcast(new Shape(batch.size(), width));
            NDArray mask = AttentionMasks.build(scope, null, batch.size(), 0, width, model.dtype());
            NDArray states = model.hidden(ids, positions, mask, null);
            NDArray index =
                    scope.create(readAt, new Shape(batch.size(), 1, 1)).broadcast(new Shape(batch.size(), 1, hidden));
            NDArray last = states.gather(index, 1).reshape(batch.size(), hidden);
            return model.classify(last)
                    .reshape(batch.size())
                    .toType(DataType.FLOAT32, false)
                    .toFloatArray();
        }
    }

    @Override
    public void close() {
        // the model and tokenizer belong to the caller
    }
}
