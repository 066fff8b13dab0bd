package io.outdial.dialer.cli;

import io.outdial.dialer.app.DialerApp;
import io.outdial.dialer.app.Wiring;
import io.outdial.dialer.config.DialerConfig;
import io.outdial.dialer.flow.IvrWiring;
import io.outdial.dialer.dialing.CampaignRunners;

import java.util.List;

/** {@code serve [--config FILE]}: the production server. */
final class ServeCommand implements Command {
    @Override
    public String name() {
        return "serve";
    }

    @Override
    public String usage() {
        return "[--config FILE]";
    }

    @Override
    public String summary() {
        return "run the server with a config file and DIALER_* environment overrides";
    }

    @Override
    public int run(List<String> args, CommandContext ctx) {
        return NodeRunner.run(name(), DialerConfig.defaults(), args, ctx, app -> {
                IvrWiring ivr = Wiring.ivr(app);
                CampaignRunners runners = Wiring.campaignRunners(app, Wiring.ownership(app),
                    CampaignRunners.FlowSource.stored(app.vertx(), ivr));
                app.add(runners);
                app.add(Wiring.tries(app, ivr, null)); // flow tries need the demo's sandbox PBX: 409 here
                Wiring.cascade(app);
                app.add(Wiring.api(app, runners)).add(Wiring.web(app));
            },
            app -> {
                ctx.out().println("outdial " + DialerApp.version() + " serving on " + (app.config().http().tls()
                    ? "https://" : "http://") + app.config().http().host() + ":" + app.httpPort() + "/");
                try {
                    if (!app.security().adminExists()) {
                        ctx.out().println("  no admin user yet: the API answers 401 to everyone. Make one with");
                        ctx.out().println("    java -jar dialer.jar user add NAME --role admin [--config FILE]");
                        ctx.out().println("  (it asks for the password, or reads it from stdin with --password-stdin;"
                            + " with the embedded database stop the node first), then sign in with"
                            + " POST /api/v1/auth/login or create a token with java -jar dialer.jar token create");
                    }
                } catch (RuntimeException e) {
                    ctx.err().println("outdial: cannot tell whether an admin user exists: " + e.getMessage());
                }
            });
    }
}
