package io.outdial.dialer.cli;

import io.outdial.dialer.auth.ApiSecurity;
import io.outdial.dialer.auth.Role;
import io.outdial.dialer.demo.DemoSetup;
import io.outdial.dialer.config.DialerConfig;
import io.outdial.dialer.server.HttpConfig;

import java.util.List;

/**
 * {@code demo [--config FILE] [--viber]}: the server on embedded defaults with simulated telephony, on loopback;
 * {@code --viber} adds a sandbox Viber peer and a second demo campaign whose scheme starts with Viber.
 */
final class DemoCommand implements Command {
    @Override
    public String name() {
        return "demo";
    }

    @Override
    public String usage() {
        return "[--config FILE] [--viber]";
    }

    @Override
    public String summary() {
        return "run a self-contained demo: embedded H2 in ./data, single-node cluster, simulated carriers";
    }

    /** The local demo user (admin, a random password nobody knows): signed in through a one-time link. */
    static final String DEMO_USER = "demo";

    /** Makes the demo user on the first start and a one-time sign-in link for it. */
    static String signInLink(io.outdial.dialer.app.DialerApp app) {
        app.security().addUserWithRandomPassword(DEMO_USER, Role.ADMIN);
        return app.security().issueLink(DEMO_USER);
    }

    @Override
    public int run(List<String> args, CommandContext ctx) {
        DialerConfig base = DialerConfig.defaults().withHttp(new HttpConfig("127.0.0.1", 8080));
        boolean viber = args.contains("--viber");
        List<String> rest = args.stream().filter(a -> !a.equals("--viber")).toList();
        return NodeRunner.run(name(), base, rest, ctx, app -> DemoSetup.install(app, viber), app -> {
            String url = "http://127.0.0.1:" + app.httpPort() + "/";
            ctx.out().println("Outdial demo running (SIMULATED telephony): " + url);
            ctx.out().println("  health " + url + "health   readiness " + url + "ready   metrics " + url
                + "metrics");
            app.telephony().servers().forEach(s -> ctx.out().println("  asterisk " + s.name() + ": " + s.ariBase()
                + (s.name().equals("sandbox") ? " (SIMULATED: " + DemoSetup.SIMULATED_LABEL + ")" : "")));
            try {
                ctx.out().println("  sign in (from this machine, once, within "
                    + ApiSecurity.LINK_TTL.toMinutes() + " minutes): " + url + signInLink(app).substring(1));
            } catch (RuntimeException e) {
                ctx.err().println("outdial: no sign-in link: " + e.getMessage());
            }
            ctx.out().println("  stop with Ctrl+C");
        });
    }
}
