package io.outdial.dialer.cli;

import io.outdial.dialer.app.DialerApp;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Consumer;

/** The command line in-process with its standard output and error captured (no System.exit, no shutdown hook). */
final class CapturedOutput {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    /** A context writing to the captured streams, reading {@code stdin} (none when null). */
    CommandContext context(Map<String, String> env, Consumer<DialerApp> onStarted, String stdin) {
        return new CommandContext(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), env, onStarted, false,
            stdin == null ? null : new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
    }

    /** Runs {@code args} through {@link Main} after clearing what earlier runs printed; the exit code. */
    int run(Map<String, String> env, Consumer<DialerApp> onStarted, String stdin, String... args) {
        out.reset();
        err.reset();
        return new Main(context(env, onStarted, stdin)).run(args);
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
