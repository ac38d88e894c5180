package dev.tpo.api.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RunSpecParserTest {
    private static final String INPUTS = "\"seed_policy\": \"s3://models/seed/\", "
            + "\"train_prompts\": \"s3://data/train.jsonl\", \"eval_prompts\": \"file:///data/eval.jsonl\"";

    private final RunSpecParser parser = new RunSpecParser();

    private List<String> problems(String json) {
        return assertThrows(InvalidRunSpecException.class, () -> parser.parse(json))
                .problems();
    }

    @Test
    void minimalSpecGetsThePapersDefaults() {
        RunSpec spec = parser.parse("{" + INPUTS + "}");
        assertEquals(ThoughtMode.SPECIFIC, spec.thought().mode());
        assertEquals(JudgeType.VERIFIER, spec.judge().type());
        assertEquals(BaselineKind.SEED, spec.evaluation().baselineKind());
        assertEquals(8, spec.generation().samplesPerPrompt());
        assertEquals(0.8, spec.generation().temperature());
        assertEquals(0.95, spec.generation().topP());
        assertEquals(5000, spec.promptsPerIteration());
        assertEquals(0.1, spec.dpo().beta());
        assertEquals("sigmoid", spec.dpo().lossType());
        assertEquals(0.0, spec.pairing().lengthControlRho());
        assertEquals("tpo-gpu", spec.taskQueues().gpu());
        assertEquals(RunSpec.DEFAULT_ARTIFACT_ROOT, spec.artifactRoot());
        assertEquals(4, spec.shards().judge(), "judge shards follow generate shards");
    }

    @Test
    void toJsonRoundTripsWithDefaultsSpelledOut() {
        RunSpec spec = parser.parse("{" + INPUTS + ", \"iterations\": 3, \"thought\": {\"mode\": \"generic\"}}");
        String json = parser.toJson(spec);
        assertTrue(json.contains("\"samples_per_prompt\" : 8"), json);
        assertEquals(spec, parser.parse(json));
    }

    @Test
    void unknownFieldIsNamedWithItsPath() {
        List<String> p = problems("{" + INPUTS + ", \"dpo\": {\"lerning_rate\": 1e-6}}");
        assertEquals(1, p.size());
        assertTrue(p.get(0).startsWith("dpo.lerning_rate: unknown field"), p.get(0));
        assertTrue(p.get(0).contains("learning_rate"), "lists the known fields: " + p.get(0));
    }

    @Test
    void wrongTypeIsNamed() {
        List<String> p = problems("{" + INPUTS + ", \"iterations\": \"two\"}");
        assertEquals(List.of("iterations: 'two' is not an integer"), p);
        assertTrue(p.get(0).startsWith("iterations: "), p.get(0));
        assertTrue(p.get(0).contains("integer"), p.get(0));
        assertTrue(problems("{" + INPUTS + ", \"iterations\": 2.5}").get(0).startsWith("iterations: "));
    }

    @Test
    void everyValueProblemIsListedAtOnce() {
        List<String> p =
                problems("{\"train_prompts\": \"http://x/train.jsonl\", \"eval_prompts\": \"s3://data/e.jsonl\","
                        + " \"seed_policy\": \"s3://models/seed\", \"iterations\": 0,"
                        + " \"generation\": {\"samples_per_prompt\": 1, \"top_p\": 1.5},"
                        + " \"dpo\": {\"loss_type\": \"kto\", \"beta\": -1}, \"compute\": {\"dtype\": \"bfloat16\"}}");
        String all = String.join("\n", p);
        for (String field : List.of(
                "seed_policy: ",
                "train_prompts: ",
                "iterations: ",
                "generation.samples_per_prompt: ",
                "generation.top_p: ",
                "dpo.loss_type: ",
                "dpo.beta: ",
                "compute.dtype: ")) {
            assertTrue(all.contains(field), "missing " + field + " in\n" + all);
        }
        assertEquals(8, p.size(), all);
    }

    @Test
    void customThoughtTemplateNeedsPlaceholderAndAMarkerInsideIt() {
        List<String> p = problems("{" + INPUTS + ", \"thought\": {\"mode\": \"custom\", \"template\": \"Think.\","
                + " \"response_marker\": \"ANSWER:\"}}");
        assertEquals(2, p.size(), String.join("\n", p));
        assertTrue(p.get(0).startsWith("thought.template: "));
        assertTrue(p.get(1).startsWith("thought.response_marker: "));
        RunSpec ok = parser.parse("{" + INPUTS + ", \"thought\": {\"mode\": \"custom\", "
                + "\"template\": \"{instruction}\\nThink, then write ANSWER: and the answer.\","
                + " \"response_marker\": \"ANSWER:\"}}");
        assertEquals("ANSWER:", ok.thought().responseMarker());
        assertTrue(problems("{" + INPUTS + ", \"thought\": {\"mode\": \"generic\", \"template\": \"{instruction}\"}}")
                .get(0)
                .startsWith("thought.template: "));
    }

    @Test
    void judgeKindsNeedTheirOwnSettings() {
        assertTrue(problems("{" + INPUTS + ", \"judge\": {\"type\": \"reward_model\"}}")
                .get(0)
                .startsWith("judge.model: "));
        assertTrue(problems("{" + INPUTS + ", \"judge\": {\"type\": \"pairwise_llm\"}}")
                .get(0)
                .startsWith("judge: "));
        List<String> endpoint = problems("{" + INPUTS + ", \"judge\": {\"type\": \"pointwise_llm\", \"endpoint\":"
                + " {\"base_url\": \"vllm:8000\", \"model\": \"judge\", \"api_key_env\": \"sk-secret\"}}}");
        assertEquals(2, endpoint.size(), String.join("\n", endpoint));
        assertTrue(endpoint.get(0).startsWith("judge.endpoint.base_url: "));
        assertTrue(endpoint.get(1).startsWith("judge.endpoint.api_key_env: "));
        String pointwise = "{" + INPUTS + ", \"judge\": {\"type\": \"pointwise_llm\", \"endpoint\":"
                + " {\"base_url\": \"http://vllm:8000/v1\", \"model\": \"judge\"%s}}}";
        JudgeEndpoint defaults =
                parser.parse(String.format(pointwise, "")).judge().endpoint();
        assertEquals(10, defaults.maxStepAttempts());
        assertEquals(6, defaults.maxRetries());
        assertEquals(120, defaults.timeoutSeconds());
        List<String> budget = problems(String.format(pointwise, ", \"max_step_attempts\": 0"));
        assertEquals(1, budget.size(), String.join("\n", budget));
        assertTrue(budget.get(0).startsWith("judge.endpoint.max_step_attempts: "), budget.get(0));
        RunSpec rm = parser.parse(
                "{" + INPUTS + ", \"judge\": {\"type\": \"reward_model\", \"model\": \"s3://models/rm/\"}}");
        assertTrue(rm.judge().needsLocalModel());
        assertEquals(
                List.of("judge.verifier_regex: is required with verifier_mode regex"),
                problems("{" + INPUTS + ", \"judge\": {\"verifier_mode\": \"regex\"}}"));
    }

    @Test
    void enumValuesAreNamedWithTheirFieldAndTheAllowedValues() {
        assertEquals(
                List.of("judge.type: 'foo' is not one of pairwise_llm, pointwise_llm, reward_model, verifier"),
                problems("{" + INPUTS + ", \"judge\": {\"type\": \"foo\"}}"));
        assertEquals(
                List.of("thought.mode: 'deep' is not one of custom, generic, none, specific"),
                problems("{" + INPUTS + ", \"thought\": {\"mode\": \"deep\"}}"));
        assertEquals(
                List.of("judge.verifier_mode: 'fuzzy' is not one of exact, normalised, numeric, regex"),
                problems("{" + INPUTS + ", \"judge\": {\"verifier_mode\": \"fuzzy\"}}"));
        // Wire names only: not the Java constant, not another case, not an ordinal.
        assertTrue(problems("{" + INPUTS + ", \"thought\": {\"mode\": \"SPECIFIC\"}}")
                .get(0)
                .startsWith("thought.mode: 'SPECIFIC' is not one of "));
        assertTrue(problems("{" + INPUTS + ", \"judge\": {\"type\": 1}}")
                .get(0)
                .startsWith("judge.type: '1' is not one of "));
    }

    @Test
    void enumsKeepTheirLowerCaseWireNames() {
        RunSpec spec = parser.parse("{" + INPUTS + ", \"thought\": {\"mode\": \"none\"}, \"judge\": {\"type\":"
                + " \"pairwise_llm\", \"model\": \"s3://models/judge/\", \"verifier_mode\": \"numeric\"},"
                + " \"evaluation\": {\"baseline\": \"s3://models/base/\"}}");
        assertEquals(ThoughtMode.NONE, spec.thought().mode());
        assertEquals(JudgeType.PAIRWISE_LLM, spec.judge().type());
        assertEquals(VerifierMode.NUMERIC, spec.judge().verifierMode());
        assertEquals(BaselineKind.MODEL, spec.evaluation().baselineKind());
        String json = parser.toJson(spec);
        for (String wire : List.of(
                "\"mode\" : \"none\"",
                "\"type\" : \"pairwise_llm\"",
                "\"verifier_mode\" : \"numeric\"",
                "\"baseline\" : \"s3://models/base/\"")) {
            assertTrue(json.contains(wire), wire + " in " + json);
        }
        assertEquals(
                BaselineKind.NONE,
                parser.parse("{" + INPUTS + ", \"evaluation\": {\"baseline\": \"none\"}}")
                        .evaluation()
                        .baselineKind());
    }

    @Test
    void notJsonAndNotAnObjectAreClearErrors() {
        assertTrue(problems("{\"iterations\": ").get(0).contains("line 1"));
        assertEquals(List.of("the run spec must be a JSON object"), problems("[1, 2]"));
    }

    @Test
    void loraIsOffByDefaultAndCheckedWhenOn() {
        assertEquals(0, parser.parse("{" + INPUTS + "}").dpo().loraR());
        RunSpec lora = parser.parse("{" + INPUTS + ", \"dpo\": {\"lora_r\": 16, \"lora_target_modules\": [\"q_proj\","
                + " \"k_proj\", \"v_proj\", \"o_proj\"]}}");
        assertTrue(lora.dpo().usesLora());
        assertEquals(4, lora.dpo().loraTargetModules().size());
        assertEquals(
                List.of("dpo.lora_target_modules: 'qkv' is not one of down_proj, gate_proj, k_proj, o_proj, "
                        + "q_proj, up_proj, v_proj"),
                problems("{" + INPUTS + ", \"dpo\": {\"lora_r\": 8, " + "\"lora_target_modules\": [\"qkv\"]}}"));
    }

    @Test
    void trackingIsOffByDefaultAndCheckedWhenOn() {
        assertEquals(null, parser.parse("{" + INPUTS + "}").tracking());
        RunSpec tracked = parser.parse("{" + INPUTS + ", \"tracking\": {\"mlflow_uri\": \"http://mlflow:5000\"}}");
        assertTrue(tracked.tracked());
        assertEquals("tpo", tracked.tracking().experiment(), "default experiment");
        assertEquals(tracked, parser.parse(parser.toJson(tracked)));

        assertEquals(
                List.of("tracking.mlflow_uri: is required (the MLflow tracking server's URL, e.g. "
                        + "http://mlflow:5000)"),
                problems("{" + INPUTS + ", \"tracking\": {}}"));
        assertTrue(problems("{" + INPUTS + ", \"tracking\": {\"mlflow_uri\": \"mlflow:5000\"}}")
                .get(0)
                .startsWith("tracking.mlflow_uri: 'mlflow:5000' is not an http:// or https:// URL"));
        List<String> p = problems("{" + INPUTS + ", \"tracking\": {\"mlflow_uri\": \"https://me:s3cret@mlflow\", "
                + "\"experiment\": \"\"}}");
        assertEquals(2, p.size(), p.toString());
        assertTrue(p.get(0).startsWith("tracking.mlflow_uri: must not carry credentials"), p.get(0));
        assertTrue(p.stream().noneMatch(line -> line.contains("s3cret")), "the secret is never echoed: " + p);
        assertTrue(p.get(1).startsWith("tracking.experiment: "), p.get(1));
        assertTrue(problems("{" + INPUTS + ", \"tracking\": {\"mlflow_uri\": \"http://m\", \"token\": \"x\"}}")
                .get(0)
                .startsWith("tracking.token: unknown field"));
    }
}
