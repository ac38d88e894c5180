package dev.tpo.model.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites the two pieces of Jinja2 syntax found in real chat templates (Qwen3) whose meaning Jinjava's
 * expression grammar gets wrong, into equivalent Jinjava syntax. The rewrite is purely syntactic; it never
 * adds prompt text.
 *
 * <ul>
 *   <li>{@code xs[::-1]}: Jinjava slices have no step; becomes {@code (xs|reverse)}.
 *   <li>{@code namespace(a=x|length - 1)}: Jinjava binds {@code a=x|length} before the {@code - 1}, turning
 *       the keyword argument into a number; each keyword value is parenthesised.
 *   <li>{@code not x is defined}: Jinja2 reads {@code not (x is defined)}, Jinjava {@code (not x) is defined}
 *       (always true), which silently drops e.g. Llama's tool block; the test is parenthesised.
 * </ul>
 */
final class JinjaSyntaxShim {

    private static final Pattern REVERSE_SLICE =
            Pattern.compile("([A-Za-z_][A-Za-z0-9_]*(?:\\.[A-Za-z_][A-Za-z0-9_]*)*)\\[\\s*:\\s*:\\s*-1\\s*\\]");
    private static final Pattern NAMESPACE_CALL = Pattern.compile("\\bnamespace\\s*\\(");
    private static final Pattern KEYWORD_ARG = Pattern.compile("(?s)^(\\s*[A-Za-z_][A-Za-z0-9_]*\\s*)=(?!=)(.*)$");

    private static final Pattern CODE = Pattern.compile("(?s)\\{\\{.*?\\}\\}|\\{%.*?%\\}");
    private static final Pattern NOT_IS_TEST =
            Pattern.compile("\\bnot\\s+([A-Za-z_][A-Za-z0-9_]*(?:\\.[A-Za-z_][A-Za-z0-9_]*|\\[[^\\]\\[]*\\])*)"
                    + "\\s+is\\s+((?:not\\s+)?[A-Za-z_][A-Za-z0-9_]*)\\b");

    private JinjaSyntaxShim() {}

    static String rewrite(String template) {
        return parenthesiseNotIsTests(parenthesiseNamespaceArguments(rewriteReverseSlices(template)));
    }

    static String parenthesiseNotIsTests(String template) {
        return CODE.matcher(template)
                .replaceAll(code -> Matcher.quoteReplacement(NOT_IS_TEST
                        .matcher(code.group())
                        .replaceAll(m -> Matcher.quoteReplacement("not (" + m.group(1) + " is " + m.group(2) + ")"))));
    }

    static String rewriteReverseSlices(String template) {
        Matcher matcher = REVERSE_SLICE.matcher(template);
        return matcher.replaceAll(m -> Matcher.quoteReplacement("(" + m.group(1) + "|reverse)"));
    }

    static String parenthesiseNamespaceArguments(String template) {
        StringBuilder out = new StringBuilder();
        Matcher matcher = NAMESPACE_CALL.matcher(template);
        int copied = 0;
        while (matcher.find(copied)) {
            int open = matcher.end() - 1;
            int close = matchingParen(template, open);
            if (close < 0) {
                break; // Unbalanced: leave it for Jinjava to report as a syntax error.
            }
            out.append(template, copied, open + 1);
            List<String> args = topLevelArguments(template.substring(open + 1, close));
            for (int i = 0; i < args.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                Matcher keyword = KEYWORD_ARG.matcher(args.get(i));
                out.append(keyword.matches() ? keyword.group(1) + "=(" + keyword.group(2) + ")" : args.get(i));
            }
            out.append(')');
            copied = close + 1;
        }
        return out.append(template.substring(copied)).toString();
    }

    private static int matchingParen(String s, int open) {
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'' || c == '"') {
                i = endOfString(s, i);
                if (i < 0) {
                    return -1;
                }
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                if (--depth == 0) {
                    return c == ')' ? i : -1;
                }
            }
        }
        return -1;
    }

    private static List<String> topLevelArguments(String inner) {
        List<String> args = new ArrayList<>();
        if (inner.isBlank()) {
            return args;
        }
        int depth = 0;
        int start = 0;
        for (int i = 0; i < inner.length(); i++) {
            char c = inner.charAt(i);
            if (c == '\'' || c == '"') {
                i = endOfString(inner, i);
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            } else if (c == ',' && depth == 0) {
                args.add(inner.substring(start, i));
                start = i + 1;
            }
        }
        args.add(inner.substring(start));
        return args;
    }

    private static int endOfString(String s, int quote) {
        char q = s.charAt(quote);
        for (int i = quote + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == q) {
                return i;
            }
        }
        return -1;
    }
}
