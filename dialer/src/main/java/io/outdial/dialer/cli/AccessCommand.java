package io.outdial.dialer.cli;

import io.outdial.dialer.auth.AccessCommands;
import io.outdial.dialer.config.DialerConfig;
import java.time.Clock;
import java.util.List;

/**
 * {@code user ...} or {@code token ...} ({@link AccessCommands}) as a command: the node's configuration from
 * {@code --config FILE} and the environment names the database they change.
 */
final class AccessCommand implements Command {
    private final AccessCommands access;

    AccessCommand(AccessCommands access) {
        this.access = access;
    }

    @Override
    public String name() {
        return access.name();
    }

    @Override
    public String usage() {
        return access.usage();
    }

    @Override
    public String summary() {
        return access.summary();
    }

    @Override
    public int run(List<String> args, CommandContext ctx) {
        return access.run(args, ctx.out(), ctx.err(), ctx.in(), Clock.systemUTC(),
            file -> DialerConfig.load(file, ctx.env()).database());
    }
}
