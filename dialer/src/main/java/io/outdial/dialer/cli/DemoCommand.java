package io.outdial.dialer.cli;

import io.outdial.dialer.demo.DemoSetup;
import io.outdial.dialer.config.DialerConfig;
import io.outdial.dialer.server.HttpConfig;

import java.util.List;

/** {@code demo [--config FILE]}: the server on embedded defaults with simulated telephony, on loopback. */
final class DemoCommand implements Command {
    @Override
    public String name() {
        return "demo";
    }

    @Override
    public String usage() {
        return "[--config FILE]";
    }

    @Override
    public String summary() {
        return "run a self-contained demo: embedded H2 in ./data, single-node cluster, simulated carriers";
    }

    @Override
    public int run(List<String> args, CommandContext ctx) {
        DialerConfig base = DialerConfig.defaults().withHttp(new HttpConfig("127.0.0.1", 8080));
        return NodeRunner.run(name(), base, args, ctx, DemoSetup::install, app -> {
            String url = "http://127.0.0.1:" + app.httpPort() + "/";
            ctx.out().println("Outdial demo running (SIMULATED telephony and messaging): " + url);
            ctx.out().println("  health " + url + "health   readiness " + url + "ready   metrics " + url
                + "metrics");
            app.telephony().servers().forEach(s -> ctx.out().println("  asterisk " + s.name() + ": " + s.ariBase()
                + (s.name().equals("sandbox") ? " (SIMULATED: " + DemoSetup.SIMULATED_LABEL + ")" : "")));
            ctx.out().println("  stop with Ctrl+C");
        });
    }
}
