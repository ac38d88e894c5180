package dev.tpo.model.tokenizer;

import com.hubspot.jinjava.objects.SafeString;
import java.beans.FeatureDescriptor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELResolver;

/**
 * Lets templates call Python {@code str} methods ({@code content.startswith('<think>')},
 * {@code content.split('</think>')[-1].lstrip('\n')}) that Jinja2 inherits from Python and Jinjava lacks:
 * without this Jinjava looks for Java methods of those names, finds none and renders nothing.
 * Only method calls on strings are handled; every other lookup falls through to Jinjava's resolvers.
 */
final class PythonStringMethodResolver extends ELResolver {

    static final Set<String> METHODS = Set.of(
            "startswith",
            "endswith",
            "strip",
            "lstrip",
            "rstrip",
            "split",
            "replace",
            "upper",
            "lower",
            "find",
            "count",
            "join",
            "title",
            "capitalize");

    @Override
    public Object invoke(ELContext context, Object base, Object method, Class<?>[] paramTypes, Object[] params) {
        if (!(base instanceof String || base instanceof SafeString) || !(method instanceof String)) {
            return null;
        }
        String name = (String) method;
        if (!METHODS.contains(name)) {
            return null;
        }
        String self = base.toString();
        Object[] args = params == null ? new Object[0] : params;
        Object result = call(self, name, args);
        context.setPropertyResolved(true);
        return result;
    }

    private static Object call(String self, String name, Object[] args) {
        return switch (name) {
            case "startswith" -> anyAffix(args, 0, name, self::startsWith);
            case "endswith" -> anyAffix(args, 0, name, self::endsWith);
            case "strip" -> rstrip(lstrip(self, chars(args)), chars(args));
            case "lstrip" -> lstrip(self, chars(args));
            case "rstrip" -> rstrip(self, chars(args));
            case "split" -> split(self, args);
            case "replace" -> replace(self, args);
            case "upper" -> self.toUpperCase(java.util.Locale.ROOT);
            case "lower" -> self.toLowerCase(java.util.Locale.ROOT);
            case "find" -> (long) self.indexOf(stringArg(args, 0, name));
            case "count" -> count(self, stringArg(args, 0, name));
            case "join" -> join(self, args);
            case "title" -> title(self);
            case "capitalize" ->
                self.isEmpty()
                        ? self
                        : self.substring(0, 1).toUpperCase(java.util.Locale.ROOT)
                                + self.substring(1).toLowerCase(java.util.Locale.ROOT);
            default -> throw new IllegalStateException("unhandled str method " + name);
        };
    }

    private static boolean anyAffix(Object[] args, int index, String name, java.util.function.Predicate<String> test) {
        if (args.length <= index) {
            throw new IllegalArgumentException("str." + name + "() needs an argument");
        }
        Object arg = args[index];
        // Python accepts a tuple of candidates; Jinjava hands tuples over as lists.
        if (arg instanceof Collection<?> candidates) {
            return candidates.stream().anyMatch(c -> test.test(String.valueOf(c)));
        }
        return test.test(stringArg(args, index, name));
    }

    private static String chars(Object[] args) {
        return args.length == 0 || args[0] == null ? null : args[0].toString();
    }

    private static boolean strippable(char c, String chars) {
        return chars == null ? Character.isWhitespace(c) : chars.indexOf(c) >= 0;
    }

    private static String lstrip(String s, String chars) {
        int start = 0;
        while (start < s.length() && strippable(s.charAt(start), chars)) {
            start++;
        }
        return s.substring(start);
    }

    private static String rstrip(String s, String chars) {
        int end = s.length();
        while (end > 0 && strippable(s.charAt(end - 1), chars)) {
            end--;
        }
        return s.substring(0, end);
    }

    private static List<String> split(String self, Object[] args) {
        String sep = args.length == 0 || args[0] == null ? null : args[0].toString();
        long maxSplit = args.length > 1 && args[1] instanceof Number n ? n.longValue() : -1;
        List<String> parts = new ArrayList<>();
        if (sep == null) {
            // Python's whitespace split: runs of whitespace separate, leading/trailing whitespace yields nothing.
            String rest = lstrip(self, null);
            while (!rest.isEmpty()) {
                if (maxSplit >= 0 && parts.size() == maxSplit) {
                    parts.add(rest);
                    return parts;
                }
                int i = 0;
                while (i < rest.length() && !Character.isWhitespace(rest.charAt(i))) {
                    i++;
                }
                parts.add(rest.substring(0, i));
                rest = lstrip(rest.substring(i), null);
            }
            return parts;
        }
        if (sep.isEmpty()) {
            throw new IllegalArgumentException("str.split(): empty separator");
        }
        int from = 0;
        while (maxSplit < 0 || parts.size() < maxSplit) {
            int at = self.indexOf(sep, from);
            if (at < 0) {
                break;
            }
            parts.add(self.substring(from, at));
            from = at + sep.length();
        }
        parts.add(self.substring(from));
        return parts;
    }

    private static String replace(String self, Object[] args) {
        String old = stringArg(args, 0, "replace");
        String replacement = stringArg(args, 1, "replace");
        long limit = args.length > 2 && args[2] instanceof Number n ? n.longValue() : -1;
        if (limit < 0) {
            return self.replace(old, replacement);
        }
        StringBuilder out = new StringBuilder();
        int from = 0;
        for (long done = 0; done < limit; done++) {
            int at = self.indexOf(old, from);
            if (at < 0) {
                break;
            }
            out.append(self, from, at).append(replacement);
            from = at + old.length();
        }
        return out.append(self.substring(from)).toString();
    }

    private static long count(String self, String sub) {
        if (sub.isEmpty()) {
            return self.length() + 1L;
        }
        long n = 0;
        for (int at = self.indexOf(sub); at >= 0; at = self.indexOf(sub, at + sub.length())) {
            n++;
        }
        return n;
    }

    private static String join(String self, Object[] args) {
        if (args.length != 1 || !(args[0] instanceof Iterable<?> items)) {
            throw new IllegalArgumentException("str.join() needs one list argument");
        }
        List<String> parts = new ArrayList<>();
        items.forEach(item -> parts.add(String.valueOf(item)));
        return String.join(self, parts);
    }

    private static String title(String self) {
        StringBuilder out = new StringBuilder(self.length());
        boolean previousCased = false;
        for (char c : self.toCharArray()) {
            out.append(previousCased ? Character.toLowerCase(c) : Character.toUpperCase(c));
            previousCased = Character.isLetter(c);
        }
        return out.toString();
    }

    private static String stringArg(Object[] args, int index, String name) {
        if (args.length <= index || args[index] == null) {
            throw new IllegalArgumentException("str." + name + "() is missing argument " + (index + 1));
        }
        return args[index].toString();
    }

    @Override
    public Class<?> getCommonPropertyType(ELContext context, Object base) {
        return null;
    }

    @Override
    public Iterator<FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) {
        return Collections.emptyIterator();
    }

    @Override
    public Class<?> getType(ELContext context, Object base, Object property) {
        return null;
    }

    @Override
    public Object getValue(ELContext context, Object base, Object property) {
        return null;
    }

    @Override
    public boolean isReadOnly(ELContext context, Object base, Object property) {
        return true;
    }

    @Override
    public void setValue(ELContext context, Object base, Object property, Object value) {
        // Strings are immutable; nothing for this resolver to write.
    }
}
