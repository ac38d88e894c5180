package dev.tpo.model.tokenizer;

import com.hubspot.jinjava.interpret.Context;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rejects templates that use a filter or test Jinjava does not have. Jinja2 refuses such a template at
 * compile time; Jinjava instead renders the expression as empty (filters) or false (tests) without
 * recording any error, which would quietly drop text from prompts.
 */
final class TemplateNameCheck {

    private static final Pattern COMMENT = Pattern.compile("(?s)\\{#.*?#\\}");
    private static final Pattern CODE = Pattern.compile("(?s)\\{\\{.*?\\}\\}|\\{%.*?%\\}");
    private static final Pattern STRING = Pattern.compile("(?s)'(?:\\\\.|[^'\\\\])*'|\"(?:\\\\.|[^\"\\\\])*\"");
    private static final Pattern FILTER = Pattern.compile("\\|\\s*([A-Za-z_][A-Za-z0-9_]*)");
    private static final Pattern FILTER_TAG = Pattern.compile("^\\{%-?\\s*filter\\s+([A-Za-z_][A-Za-z0-9_]*)");
    private static final Pattern TEST = Pattern.compile("\\bis\\s+(?:not\\s+)?([A-Za-z_][A-Za-z0-9_]*)");

    private TemplateNameCheck() {}

    static void check(String template, Context context) {
        Set<String> unknownFilters = new TreeSet<>();
        Set<String> unknownTests = new TreeSet<>();
        Matcher code = CODE.matcher(COMMENT.matcher(template).replaceAll(""));
        while (code.find()) {
            String expression = STRING.matcher(code.group()).replaceAll("''");
            collect(FILTER.matcher(expression), name -> context.getFilter(name) == null, unknownFilters);
            collect(FILTER_TAG.matcher(expression), name -> context.getFilter(name) == null, unknownFilters);
            collect(TEST.matcher(expression), name -> context.getExpTest(name) == null, unknownTests);
        }
        if (!unknownFilters.isEmpty() || !unknownTests.isEmpty()) {
            throw new ChatTemplateException("chat template uses what Jinjava does not provide: filters "
                    + unknownFilters + ", tests " + unknownTests);
        }
    }

    private static void collect(Matcher matcher, java.util.function.Predicate<String> unknown, Set<String> into) {
        while (matcher.find()) {
            if (unknown.test(matcher.group(1))) {
                into.add(matcher.group(1));
            }
        }
    }
}
