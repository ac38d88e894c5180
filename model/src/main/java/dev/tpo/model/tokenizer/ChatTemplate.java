package dev.tpo.model.tokenizer;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.el.JinjavaInterpreterResolver;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import jinjava.javax.el.CompositeELResolver;

/**
 * A model's Jinja chat template rendered with Jinjava, set up to behave like transformers'
 * {@code apply_chat_template} environment (trim_blocks, lstrip_blocks, Python-style whitespace control and
 * operator precedence, {@code raise_exception}, {@code strftime_now}, Python {@code tojson} and str methods).
 *
 * <p>Jinjava records problems on the render result and carries on, printing nothing where an expression
 * failed; a prompt silently missing a piece would poison training data, so every recorded error makes
 * {@link #render} throw.
 */
public final class ChatTemplate {

    private final String source;
    private final String jinjavaSource;
    private final Map<String, Object> specialTokens;
    private final Clock clock;
    private final Jinjava jinjava;

    /**
     * @param source the Jinja template text, as found in tokenizer_config.json
     * @param specialTokens variables such as bos_token/eos_token every render sees
     * @param clock what {@code strftime_now} reads (tests pin it; production passes the system clock)
     */
    public ChatTemplate(String source, Map<String, ?> specialTokens, Clock clock) {
        this.source = Objects.requireNonNull(source, "source");
        this.specialTokens = Map.copyOf(specialTokens);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.jinjavaSource = JinjaSyntaxShim.rewrite(source);
        this.jinjava = newJinjava();
        TemplateNameCheck.check(jinjavaSource, jinjava.getGlobalContext());
    }

    /** The template of {@code config}; fails when the model folder has none, since formats are never guessed. */
    public static ChatTemplate fromConfig(TokenizerConfig config, String modelDescription, Clock clock) {
        if (config.chatTemplate() == null) {
            throw new ChatTemplateException(modelDescription
                    + " has no chat_template (looked in tokenizer_config.json, chat_template.jinja and"
                    + " chat_template.json); add one to the model folder");
        }
        return new ChatTemplate(config.chatTemplate(), config.templateVariables(), clock);
    }

    public String source() {
        return source;
    }

    public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        return render(messages, addGenerationPrompt, Map.of());
    }

    /**
     * @param extraVariables further template variables, e.g. {@code enable_thinking} or {@code tools}
     */
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt, Map<String, ?> extraVariables) {
        List<Map<String, Object>> messageMaps = new ArrayList<>();
        for (ChatMessage message : messages) {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("role", message.role());
            map.put("content", message.content());
            messageMaps.add(map);
        }
        Map<String, Object> bindings = new HashMap<>(specialTokens);
        // Templates probe "strftime_now is defined" before calling it; Jinjava's "defined" looks at variables only.
        bindings.put("strftime_now", "strftime_now");
        bindings.put("raise_exception", "raise_exception");
        bindings.put(TemplateFunctions.CLOCK_VARIABLE, clock);
        bindings.putAll(extraVariables);
        bindings.put("messages", messageMaps);
        bindings.put("add_generation_prompt", addGenerationPrompt);

        RenderResult result;
        try {
            result = jinjava.renderForResult(jinjavaSource, bindings);
        } catch (RuntimeException e) {
            throw failure(List.of(), e);
        }
        if (result.hasErrors()) {
            throw failure(result.getErrors(), null);
        }
        return result.getOutput();
    }

    private ChatTemplateException failure(List<TemplateError> errors, RuntimeException thrown) {
        String raised = raisedMessage(thrown);
        for (TemplateError error : errors) {
            if (raised == null) {
                raised = raisedMessage(error.getException());
            }
        }
        if (raised != null) {
            return new ChatTemplateException("chat template raised an exception: " + raised, thrown);
        }
        StringBuilder message = new StringBuilder("chat template failed to render");
        for (TemplateError error : errors) {
            message.append("\n  ")
                    .append(error.getSeverity())
                    .append(' ')
                    .append(error.getReason())
                    .append(" at line ")
                    .append(error.getLineno())
                    .append(": ")
                    .append(error.getMessage());
        }
        if (thrown != null) {
            message.append("\n  ").append(thrown);
        }
        String head = source.length() > 120 ? source.substring(0, 120) + "..." : source;
        message.append("\n  template starts: ").append(head.replace("\n", "\\n"));
        return new ChatTemplateException(message.toString(), thrown);
    }

    private static String raisedMessage(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof TemplateFunctions.TemplateRaisedException) {
                return t.getMessage();
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    private static Jinjava newJinjava() {
        CompositeELResolver resolver = new CompositeELResolver();
        resolver.add(new PythonStringMethodResolver());
        resolver.add(JinjavaInterpreterResolver.DEFAULT_RESOLVER_READ_ONLY);
        JinjavaConfig config = JinjavaConfig.newBuilder()
                .withTrimBlocks(true)
                .withLstripBlocks(true)
                // Jinjava would otherwise render an expression's value again when it looks like template source, so
                // a message holding "{{" or "{%" (code, or any model's sample) would be interpreted or fail to parse;
                // Jinja2 prints values as they are.
                .withNestedInterpretationEnabled(false)
                .withElResolver(resolver)
                .withLegacyOverrides(LegacyOverrides.newBuilder()
                        .withUseTrimmingForNotesAndExpressions(true)
                        .withParseWhitespaceControlStrictly(true)
                        .withAllowAdjacentTextNodes(true)
                        .withUseNaturalOperatorPrecedence(true)
                        .withKeepNullableLoopValues(true)
                        .build())
                .build();
        Jinjava jinjava = new Jinjava(config);
        jinjava.registerFunction(new ELFunctionDefinition(
                "", "raise_exception", TemplateFunctions.class, "raiseException", String.class));
        jinjava.registerFunction(
                new ELFunctionDefinition("", "strftime_now", TemplateFunctions.class, "strftimeNow", String.class));
        jinjava.registerFilter(new PythonToJsonFilter());
        return jinjava;
    }
}
