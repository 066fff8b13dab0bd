package io.outdial.dialer.cli;

import io.outdial.dialer.app.DialerApp;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Command-line entry point. {@code java -jar dialer.jar <command> [options]}; commands live in a registry
 * (name → {@link Command}) so new ones ({@code run}, {@code validate}) are one {@link #register} away.
 * {@link #run(String...)} returns the exit code instead of exiting, so tests call it in-process.
 */
public final class Main {
    private final Map<String, Command> commands = new LinkedHashMap<>();
    private final CommandContext ctx;

    Main(CommandContext ctx) {
        this.ctx = ctx;
        register(new ServeCommand());
        register(new DemoCommand());
        register(new ValidateFileCommand());
        register(new io.outdial.dialer.cli.RunCommand());
        register(new io.outdial.dialer.cli.DoctorCommand());
        register(AccessCommand.user());
        register(AccessCommand.token());
    }

    /** Adds or replaces a command. */
    Main register(Command command) {
        commands.put(command.name(), command);
        return this;
    }

    public static void main(String[] args) {
        int code = new Main(CommandContext.system()).run(args);
        if (code != Command.OK) {
            System.exit(code);
        }
    }

    /** Runs one command line and returns its exit code. */
    public int run(String... args) {
        if (args.length == 0) {
            ctx.err().println("outdial: no command given");
            printHelp(ctx.err());
            return Command.USAGE;
        }
        String first = args[0];
        if (first.equals("--help") || first.equals("-h") || first.equals("help")) {
            printHelp(ctx.out());
            return Command.OK;
        }
        if (first.equals("--version") || first.equals("-V") || first.equals("version")) {
            ctx.out().println("outdial " + DialerApp.version());
            return Command.OK;
        }
        Command command = commands.get(first);
        if (command == null) {
            ctx.err().println("outdial: unknown command \"" + first + "\" (expected one of: "
                + String.join(", ", commands.keySet()) + ", --help, --version)");
            return Command.USAGE;
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        if (rest.contains("--help") || rest.contains("-h")) {
            ctx.out().println("usage: outdial " + command.name() + " " + command.usage());
            ctx.out().println("  " + command.summary());
            return Command.OK;
        }
        return command.run(rest, ctx);
    }

    private void printHelp(java.io.PrintStream to) {
        to.println("Outdial " + DialerApp.version() + ": outbound voice/IVR dialer with messaging fallback");
        to.println();
        to.println("usage: java -jar dialer.jar <command> [options]");
        to.println();
        to.println("commands:");
        for (Command c : commands.values()) {
            to.printf("  %-10s %-20s %s%n", c.name(), c.usage(), c.summary());
        }
        to.printf("  %-10s %-20s %s%n", "--help", "", "this help");
        to.printf("  %-10s %-20s %s%n", "--version", "", "print the version");
        to.println();
        to.println("Configuration: one YAML/JSON file plus DIALER_<SECTION>_<KEY> environment variables;");
        to.println("see docs/configuration.md. Exit codes: 0 ok, 1 failed, 2 bad command line or configuration.");
    }
}
