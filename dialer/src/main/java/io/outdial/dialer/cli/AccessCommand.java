package io.outdial.dialer.cli;

import io.outdial.dialer.auth.ApiSecurity;
import io.outdial.dialer.config.DialerConfig;
import java.time.Clock;
import java.util.List;

/**
 * {@code user ...} or {@code token ...} ({@link ApiSecurity#runAccessCommand}) as a command: the node's configuration
 * from {@code --config FILE} and the environment names the database they change.
 */
final class AccessCommand implements Command {
    private final String name;
    private final String usage;
    private final String summary;

    private AccessCommand(String name, String usage, String summary) {
        this.name = name;
        this.usage = usage;
        this.summary = summary;
    }

    /** {@code user ...}. */
    static AccessCommand user() {
        return new AccessCommand("user", "add NAME --role ROLE [--password-stdin] | passwd NAME [--password-stdin]"
            + " | role NAME --role ROLE | delete NAME | list [--config FILE]",
            "manage the users of the browser login (roles: viewer, supervisor, designer, admin)");
    }

    /** {@code token ...}. */
    static AccessCommand token() {
        return new AccessCommand("token", "create NAME --role ROLE [--expires 90d|DATE|never] | list | revoke ID"
            + " [--config FILE]", "manage API tokens (Authorization: Bearer); create prints the token once");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String usage() {
        return usage;
    }

    @Override
    public String summary() {
        return summary;
    }

    @Override
    public int run(List<String> args, CommandContext ctx) {
        return ApiSecurity.runAccessCommand(name, usage, args, ctx.out(), ctx.err(), ctx.in(), Clock.systemUTC(),
            file -> DialerConfig.load(file, ctx.env()).database());
    }
}
