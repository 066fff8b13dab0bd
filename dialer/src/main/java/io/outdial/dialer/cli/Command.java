package io.outdial.dialer.cli;

import java.util.List;

/** One subcommand of the command line ({@code serve}, {@code demo}, ...), registered in {@link Main}. */
interface Command {
    /** Exit code: success. */
    int OK = 0;
    /** Exit code: the node failed to start or stopped with an error. */
    int FAILED = 1;
    /** Exit code: bad command line or bad configuration. */
    int USAGE = 2;

    /** The word that selects this command, e.g. {@code serve}. */
    String name();

    /** Arguments after the name, e.g. {@code [--config FILE]}. */
    String usage();

    /** One line for {@code --help}. */
    String summary();

    /** Runs the command with the arguments after its name; returns the exit code. */
    int run(List<String> args, CommandContext ctx);
}
