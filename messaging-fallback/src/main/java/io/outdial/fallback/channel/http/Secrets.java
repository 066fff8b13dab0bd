package io.outdial.fallback.channel.http;

import java.util.Map;
import java.util.function.Function;

/** Reads secrets (tokens, app secrets) from environment variables named in the configuration. */
public final class Secrets {

    private Secrets() {
    }

    /** The value of the variable, or an error naming the configuration key when it is unset or blank. */
    public static String fromEnv(Function<String, String> env, String variable, String key) {
        if (variable == null || variable.isBlank()) {
            throw new IllegalArgumentException(key + ": the name of an environment variable is required");
        }
        String v = env.apply(variable);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(key + ": environment variable " + variable + " is not set");
        }
        return v;
    }

    /** The process environment as a lookup. */
    public static Function<String, String> system() {
        Map<String, String> env = System.getenv();
        return env::get;
    }
}
