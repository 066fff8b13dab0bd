package io.outdial.fallback.hooks;

import io.outdial.fallback.channel.ChannelEvent;
import io.outdial.fallback.channel.http.HookRefused;
import io.outdial.fallback.channel.http.Inbound;
import io.outdial.fallback.channel.viber.ViberChannel;
import io.outdial.fallback.channel.webhook.WebhookChannel;
import io.outdial.fallback.channel.whatsapp.WhatsAppChannel;
import io.outdial.fallback.engine.CascadeEngine;
import io.outdial.fallback.scheme.ChannelType;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inbound webhooks of the chat and webhook channels as one Vert.x Web router, to be mounted under a prefix
 * (e.g. {@code router.route("/hooks/*").subRouter(hooks.router())}):
 *
 * <ul>
 *   <li>{@code GET /whatsapp} subscription check, {@code POST /whatsapp} notifications;</li>
 *   <li>{@code POST /viber/bot} Viber bot callbacks, {@code POST /viber/business} the partner's reports and
 *       inbound messages;</li>
 *   <li>{@code POST /webhook} statuses and replies from external systems.</li>
 * </ul>
 *
 * <p>Each request is checked before anything changes: the signature over the raw body first, then the body,
 * then that every status names a message the channel or the engine knows. A refused request is answered 4xx
 * (401 signature, 400 body or stale timestamp, 404 unknown message id) and nothing reaches the engine; a
 * request that passed is handed to the engine event by event, in order, and answered 200 once the engine took
 * them (500 when it failed, so the provider sends it again).
 */
public final class InboundHooks {

    private static final Logger LOG = LoggerFactory.getLogger(InboundHooks.class);
    /** Largest body accepted. */
    public static final long BODY_LIMIT = 1024 * 1024;

    private final Vertx vertx;
    private final Function<ChannelEvent, Future<Void>> sink;
    private final BiFunction<ChannelType, String, Future<Boolean>> known;
    private WhatsAppChannel whatsApp;
    private ViberChannel viber;
    private WebhookChannel webhook;

    /** Hooks that hand events to the engine and ask it which provider ids it knows. */
    public InboundHooks(Vertx vertx, CascadeEngine engine) {
        this(vertx, engine::onEvent, engine::knows);
    }

    /** Hooks with another sink and lookup (tests, benchmarks). */
    public InboundHooks(Vertx vertx, Function<ChannelEvent, Future<Void>> sink,
                        BiFunction<ChannelType, String, Future<Boolean>> known) {
        this.vertx = vertx;
        this.sink = sink;
        this.known = known;
    }

    /** Serves WhatsApp notifications. */
    public InboundHooks whatsApp(WhatsAppChannel channel) {
        this.whatsApp = channel;
        return this;
    }

    /** Serves Viber bot callbacks and the Viber partner's reports. */
    public InboundHooks viber(ViberChannel channel) {
        this.viber = channel;
        return this;
    }

    /** Serves the generic webhook channel's callbacks. */
    public InboundHooks webhook(WebhookChannel channel) {
        this.webhook = channel;
        return this;
    }

    /** A new router with the routes of the channels given. */
    public Router router() {
        Router r = Router.router(vertx);
        r.route().handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT));
        if (whatsApp != null) {
            WhatsAppChannel wa = whatsApp;
            r.get("/whatsapp").handler(ctx -> {
                try {
                    String challenge = wa.verifySubscription(ctx.request().getParam("hub.mode"),
                            ctx.request().getParam("hub.verify_token"), ctx.request().getParam("hub.challenge"));
                    ctx.response().putHeader("Content-Type", "text/plain").end(challenge);
                } catch (HookRefused e) {
                    refuse(ctx, "whatsapp", e);
                }
            });
            r.post("/whatsapp").handler(ctx -> handle(ctx, ChannelType.WHATSAPP, wa::issued,
                    () -> wa.parseWebhook(raw(ctx), ctx.request().getHeader("X-Hub-Signature-256"))));
        }
        if (viber != null) {
            ViberChannel v = viber;
            r.post("/viber/bot").handler(ctx -> handle(ctx, ChannelType.VIBER, v::issued,
                    () -> v.parseBotCallback(raw(ctx), ctx.request().getHeader("X-Viber-Content-Signature"))));
            r.post("/viber/business").handler(ctx -> handle(ctx, ChannelType.VIBER, v::issued,
                    () -> v.parsePartnerCallback(raw(ctx), ctx.request().headers()::get)));
        }
        if (webhook != null) {
            WebhookChannel w = webhook;
            r.post("/webhook").handler(ctx -> handle(ctx, ChannelType.WEBHOOK, w::issued,
                    () -> w.parseCallback(raw(ctx), ctx.request().headers()::get)));
        }
        return r;
    }

    private static byte[] raw(RoutingContext ctx) {
        return ctx.body() == null || ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
    }

    private void handle(RoutingContext ctx, ChannelType channel, Predicate<String> issued,
                        java.util.function.Supplier<Inbound> parse) {
        Inbound in;
        try {
            in = parse.get();
        } catch (HookRefused e) {
            refuse(ctx, channel.json(), e);
            return;
        }
        List<Future<Boolean>> checks = new ArrayList<>();
        for (String id : in.mustBeKnown()) {
            checks.add(issued.test(id) ? Future.succeededFuture(true) : known.apply(channel, id));
        }
        Future.all(checks).compose(cf -> {
            for (int i = 0; i < checks.size(); i++) {
                if (!checks.get(i).result()) {
                    throw new HookRefused(404, "unknown message id " + in.mustBeKnown().get(i));
                }
            }
            Future<Void> chain = Future.succeededFuture();
            for (ChannelEvent e : in.events()) {
                chain = chain.compose(v -> sink.apply(e));
            }
            return chain;
        }).onComplete(ar -> {
            if (ar.succeeded()) {
                ctx.response().setStatusCode(200).putHeader("Content-Type", "application/json").end("{}");
            } else if (ar.cause() instanceof HookRefused) {
                refuse(ctx, channel.json(), (HookRefused) ar.cause());
            } else {
                LOG.error("{} webhook: the engine did not take the events; the provider will send them again",
                        channel.json(), ar.cause());
                ctx.response().setStatusCode(500).end();
            }
        });
    }

    private static void refuse(RoutingContext ctx, String channel, HookRefused e) {
        LOG.warn("{} webhook refused ({}): {}", channel, e.status(), e.getMessage());
        ctx.response().setStatusCode(e.status()).putHeader("Content-Type", "text/plain")
                .end(e.getMessage() == null ? "" : e.getMessage());
    }
}
