package io.outdial.dialer.cli;

import io.outdial.dialer.app.DialerApp;
import java.io.PrintStream;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What a command may touch, injected so tests run commands in-process.
 *
 * @param out                 standard output
 * @param err                 standard error
 * @param env                 environment variables ({@code DIALER_...} overrides)
 * @param onStarted           called with the running node once it has started (tests stop it from here)
 * @param installShutdownHook whether to stop the node gracefully on SIGTERM/SIGINT via a JVM shutdown hook
 * @param in                  standard input (a password given with {@code --password-stdin})
 */
record CommandContext(PrintStream out, PrintStream err, Map<String, String> env,
                             Consumer<DialerApp> onStarted, boolean installShutdownHook, java.io.InputStream in) {
    public CommandContext {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(err, "err");
        in = in == null ? java.io.InputStream.nullInputStream() : in;
        env = Map.copyOf(env);
        onStarted = onStarted == null ? app -> { } : onStarted;
    }

    /** Without standard input. */
    public CommandContext(PrintStream out, PrintStream err, Map<String, String> env, Consumer<DialerApp> onStarted,
                          boolean installShutdownHook) {
        this(out, err, env, onStarted, installShutdownHook, null);
    }

    /** The real process: System streams and environment, with a shutdown hook. */
    public static CommandContext system() {
        return new CommandContext(System.out, System.err, System.getenv(), null, true, System.in);
    }
}
