package io.outdial.dialer.cli;

import io.outdial.dialer.doctor.Doctor;
import io.outdial.dialer.input.InvalidInput;
import io.outdial.dialer.input.Reason;
import io.outdial.dialer.config.DialerConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * {@code doctor [--config FILE] [--test-number NUMBER] [--trunk NAME] [--json]}: checks the configured deployment
 * ({@link Doctor#ofConfig}) and prints what it found for a person, or as JSON; exit code 0 when no check is an
 * error, 1 otherwise, 2 for a bad command line or configuration. The node's media is served by the doctor for the
 * duration of the check when no node holds the HTTP port.
 */
final class DoctorCommand implements Command {
    @Override
    public String name() {
        return "doctor";
    }

    @Override
    public String usage() {
        return "[--config FILE] [--test-number NUMBER] [--trunk NAME] [--json]";
    }

    @Override
    public String summary() {
        return "check Asterisk, trunks, media, AMD, database and clock before the first campaign";
    }

    /** The parsed command line. */
    private record Args(Optional<Path> config, String testNumber, String trunk, boolean json) { }

    @Override
    public int run(List<String> args, CommandContext ctx) {
        Args a;
        DialerConfig config;
        try {
            a = parse(args);
            config = DialerConfig.load(DialerConfig.defaults(), a.config(), ctx.env());
        } catch (InvalidInput | IllegalArgumentException e) {
            ctx.err().println("outdial doctor: " + e.getMessage() + " (usage: outdial doctor " + usage() + ")");
            return USAGE;
        }
        if (ctx.out() == System.out) {
            quietLogs(ctx.env().containsKey("OUTDIAL_LOG_LEVEL"));
        }
        Vertx vertx = Vertx.vertx();
        try {
            JsonObject report = Doctor.ofConfig(vertx, config, a.testNumber(), a.trunk(), Clock.systemUTC(), note -> {
                if (!a.json()) {
                    ctx.out().println(note);
                }
            }).await();
            ctx.out().print(a.json() ? report.encodePrettily() + "\n" : Doctor.text(report));
            return report.getBoolean("ok") ? OK : FAILED;
        } catch (RuntimeException e) {
            ctx.err().println("outdial doctor: " + e.getMessage());
            return FAILED;
        } finally {
            vertx.close().await();
        }
    }

    /**
     * The report owns standard output (a tool reads {@code --json} from it): the log goes to standard error, and
     * only from WARN on unless {@code OUTDIAL_LOG_LEVEL} asks otherwise.
     */
    private static void quietLogs(boolean levelChosen) {
        if (!(org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext logs)) {
            return;
        }
        ch.qos.logback.classic.Logger root = logs.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        if (!levelChosen) {
            root.setLevel(ch.qos.logback.classic.Level.WARN);
        }
        root.iteratorForAppenders().forEachRemaining(a -> {
            if (a instanceof ch.qos.logback.core.ConsoleAppender<?> console) {
                console.stop();
                console.setTarget("System.err");
                console.start();
            }
        });
    }

    private static Args parse(List<String> args) {
        Optional<Path> config = Optional.empty();
        String number = null;
        String trunk = null;
        boolean json = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            boolean hasValue = i + 1 < args.size();
            if (a.equals("--config") && hasValue) {
                config = Optional.of(Path.of(args.get(++i)));
            } else if (a.startsWith("--config=")) {
                config = Optional.of(Path.of(a.substring("--config=".length())));
            } else if (a.equals("--test-number") && hasValue) {
                number = args.get(++i);
            } else if (a.equals("--trunk") && hasValue) {
                trunk = args.get(++i);
            } else if (a.equals("--json")) {
                json = true;
            } else {
                throw new IllegalArgumentException("unexpected argument \"" + a + "\"");
            }
        }
        return new Args(config, number, trunk, json);
    }
}
