package dev.tpo.activities.report;

import dev.tpo.activities.StepServices;
import dev.tpo.activities.rows.AnswerRow;
import dev.tpo.api.ArtifactRef;
import dev.tpo.api.steps.IterationArtifacts;
import dev.tpo.api.steps.IterationSummary;
import dev.tpo.api.steps.RunReportInput;
import dev.tpo.method.eval.EvalJudgement;
import dev.tpo.train.PairRow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Picks and reads the transcripts of a run report: the first {@value #EVAL_PROMPTS} eval prompts (the eval set's
 * own order, so the same prompts in every report of a run and across runs on one set) through every evaluation, and
 * the first {@value #PAIRS_PER_ITERATION} training pairs of each iteration.
 */
public final class ReportTranscripts {
    static final int EVAL_PROMPTS = 5;
    static final int PAIRS_PER_ITERATION = 2;

    private final StepServices services;

    public ReportTranscripts(StepServices services) {
        this.services = services;
    }

    public List<EvalTranscript> eval(RunReportInput input) {
        Map<String, IterationArtifacts> evaluations = new LinkedHashMap<>();
        if (input.seedArtifacts() != null) {
            evaluations.put("seed", input.seedArtifacts());
        }
        for (IterationSummary it : input.iterations()) {
            if (it.artifacts() != null) {
                evaluations.put("iteration " + it.iteration(), it.artifacts());
            }
        }
        Map<String, AnswerRow> baseline = new HashMap<>();
        if (input.baselineAnswers() != null) {
            answers(input.baselineAnswers()).forEach(a -> baseline.put(a.promptId(), a));
        }
        Map<String, Map<String, AnswerRow>> answersBy = new LinkedHashMap<>();
        Map<String, Map<String, EvalJudgement>> verdictsBy = new LinkedHashMap<>();
        List<AnswerRow> chosen = new ArrayList<>();
        for (Map.Entry<String, IterationArtifacts> e : evaluations.entrySet()) {
            if (e.getValue().evalAnswers() == null) {
                continue;
            }
            Map<String, AnswerRow> rows = new LinkedHashMap<>();
            answers(e.getValue().evalAnswers()).forEach(a -> rows.put(a.promptId(), a));
            answersBy.put(e.getKey(), rows);
            Map<String, EvalJudgement> verdicts = new HashMap<>();
            if (e.getValue().evalJudgements() != null) {
                for (EvalJudgement j : services.json()
                        .readJsonl(
                                services.runStores().all().read(e.getValue().evalJudgements()), EvalJudgement.class)) {
                    verdicts.put(j.promptId(), j);
                }
            }
            verdictsBy.put(e.getKey(), verdicts);
            if (chosen.isEmpty()) {
                chosen = rows.values().stream().limit(EVAL_PROMPTS).toList();
            }
        }
        List<EvalTranscript> out = new ArrayList<>();
        for (AnswerRow prompt : chosen) {
            List<EvalTranscript.Cell> cells = new ArrayList<>();
            for (Map.Entry<String, Map<String, AnswerRow>> e : answersBy.entrySet()) {
                AnswerRow a = e.getValue().get(prompt.promptId());
                if (a == null) {
                    continue;
                }
                EvalJudgement j = verdictsBy.get(e.getKey()).get(prompt.promptId());
                cells.add(new EvalTranscript.Cell(
                        e.getKey(),
                        a.thought(),
                        a.response(),
                        a.malformed(),
                        // Without a baseline the judge only scored: there is no "against" to show.
                        j == null || input.baselineAnswers() == null
                                ? null
                                : j.verdict().wireName(),
                        j == null ? null : j.policyCorrect(),
                        j == null || j.details() == null ? List.of() : j.details()));
            }
            AnswerRow b = baseline.get(prompt.promptId());
            out.add(new EvalTranscript(
                    prompt.promptId(),
                    prompt.category(),
                    prompt.prompt(),
                    prompt.reference(),
                    b == null ? null : b.response(),
                    cells));
        }
        return out;
    }

    public List<PairTranscript> pairs(RunReportInput input) {
        List<PairTranscript> out = new ArrayList<>();
        for (IterationSummary it : input.iterations()) {
            if (it.artifacts() == null || it.artifacts().pairs() == null) {
                continue;
            }
            List<PairRow> rows = services.json()
                    .readJsonl(services.runStores().all().read(it.artifacts().pairs()), PairRow.class);
            for (PairRow p : rows.subList(0, Math.min(PAIRS_PER_ITERATION, rows.size()))) {
                // Pairs written before the split was stored show each whole output as the response.
                out.add(new PairTranscript(
                        it.iteration(),
                        p.promptId(),
                        p.prompt(),
                        p.chosenResponse() == null ? "" : p.chosenThought(),
                        p.chosenResponse() == null ? p.chosen() : p.chosenResponse(),
                        p.chosenScore(),
                        p.rejectedResponse() == null ? "" : p.rejectedThought(),
                        p.rejectedResponse() == null ? p.rejected() : p.rejectedResponse(),
                        p.rejectedScore(),
                        p.rejectedMalformed()));
            }
        }
        return out;
    }

    private List<AnswerRow> answers(ArtifactRef ref) {
        return services.json().readJsonl(services.runStores().all().read(ref), AnswerRow.class);
    }
}
