package dev.tpo.cli;

import java.nio.file.Path;
import java.util.Map;

/** Flags win over environment variables; an empty variable counts as unset, as docker-compose passes them. */
final class EnvFallback {
    private EnvFallback() {}

    static String first(String flag, Map<String, String> env, String variable) {
        if (flag != null) {
            return flag;
        }
        String value = env.get(variable);
        return value == null || value.isBlank() ? null : value.trim();
    }

    static Path path(Path flag, Map<String, String> env, String variable) {
        String value = first(flag == null ? null : flag.toString(), env, variable);
        return value == null ? null : Path.of(value);
    }

    static Boolean bool(Boolean flag, Map<String, String> env, String variable, String flagName) {
        String value = first(flag == null ? null : flag.toString(), env, variable);
        if (value == null) {
            return null;
        }
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(value);
        }
        throw new UsageException(flagName + " (" + variable + "): '" + value + "' is not true or false");
    }

    static Integer integer(Integer flag, Map<String, String> env, String variable, String flagName) {
        String value = first(flag == null ? null : flag.toString(), env, variable);
        if (value == null) {
            return null;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new UsageException(flagName + " (" + variable + "): '" + value + "' is not an integer");
        }
    }
}
