package io.outdial.dialer.cli;

import io.outdial.dialer.app.DialerApp;
import io.outdial.dialer.input.InvalidInput;
import io.outdial.dialer.input.Reason;
import io.outdial.dialer.config.DialerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/** Shared by {@code serve} and {@code demo}: parse {@code --config}, load, start, wait for the stop. */
final class NodeRunner {
    private static final Logger LOG = LoggerFactory.getLogger(NodeRunner.class);

    private NodeRunner() {
    }

    /** The file named by {@code --config FILE} or {@code --config=FILE}; throws on any other argument. */
    static Optional<Path> configFile(String command, List<String> args) {
        Optional<Path> file = Optional.empty();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--config") && i + 1 < args.size()) {
                file = Optional.of(Path.of(args.get(++i)));
            } else if (a.startsWith("--config=") && a.length() > "--config=".length()) {
                file = Optional.of(Path.of(a.substring("--config=".length())));
            } else {
                throw InvalidInput.of("command line", a, a, "--config FILE", Reason.UNKNOWN_KEY,
                    command + ": unexpected argument \"" + a + "\" (expected --config FILE)");
            }
        }
        return file;
    }

    /** Loads the configuration over {@code base}, starts the node, blocks until it has stopped. */
    static int run(String command, DialerConfig base, List<String> args, CommandContext ctx,
                   Consumer<DialerApp> wire, Consumer<DialerApp> announce) {
        DialerConfig config;
        try {
            config = DialerConfig.load(base, configFile(command, args), ctx.env());
        } catch (InvalidInput e) {
            ctx.err().println("outdial: bad configuration: " + e.getMessage());
            return Command.USAGE;
        }
        DialerApp app = DialerApp.create(config);
        if (ctx.installShutdownHook()) {
            // Installed before start: a SIGTERM during start-up waits for it to settle, then stops cleanly.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stopOnSignal(app), "outdial-shutdown"));
        }
        try {
            wire.accept(app);
            await(app.start());
        } catch (ExecutionException e) {
            ctx.err().println("outdial: cannot start: " + e.getCause().getMessage());
            return Command.FAILED;
        } catch (RuntimeException e) {
            ctx.err().println("outdial: cannot start: " + e.getMessage());
            app.stop();
            return Command.FAILED;
        }
        announce.accept(app);
        ctx.onStarted().accept(app);
        try {
            await(app.terminated());
            return Command.OK;
        } catch (ExecutionException e) {
            ctx.err().println("outdial: stopped with an error: " + e.getCause().getMessage());
            return Command.FAILED;
        }
    }

    private static void stopOnSignal(DialerApp app) {
        LOG.info("shutdown signal received");
        try {
            await(app.stop());
        } catch (ExecutionException e) {
            LOG.error("shutdown failed: {}", e.getCause().toString());
        }
    }

    private static <T> T await(io.vertx.core.Future<T> future) throws ExecutionException {
        CompletableFuture<T> cf = future.toCompletionStage().toCompletableFuture();
        try {
            return cf.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ExecutionException(e);
        }
    }
}
