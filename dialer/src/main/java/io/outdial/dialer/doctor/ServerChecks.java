package io.outdial.dialer.doctor;

import io.outdial.dialer.ari.AriException;
import io.outdial.dialer.ari.AriHealth;
import io.outdial.dialer.ari.AriRestClient;
import io.outdial.dialer.ari.AriServerConfig;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * One Asterisk server without placing a call: ARI reachable with the credentials and its version, the clock, the
 * loaded modules and who holds the application.
 */
final class ServerChecks {
    /** A clock further apart than this is a warning (the Date header has a one-second resolution). */
    static final Duration DRIFT = Duration.ofSeconds(2);

    /** What the later checks need to know about the server. */
    record Facts(boolean reachable, String version, Set<String> modules) { }

    /**
     * One reply of a raw read.
     *
     * @param status     the HTTP status, 0 when no reply came ({@code error} says why)
     * @param body       the body as text, or null
     * @param date       the {@code Date} header, or null
     * @param error      why no reply came, or null
     * @param sentAt     when the request left
     * @param receivedAt when the reply (or the failure) came
     */
    record Reply(int status, String body, String date, String error, Instant sentAt, Instant receivedAt) {
        boolean ok() {
            return status == 200;
        }

        JsonObject json() {
            return body == null ? new JsonObject() : new JsonObject(body);
        }

        JsonArray array() {
            return body == null ? new JsonArray() : new JsonArray(body);
        }

        /** Asterisk's clock from the Date header, or null. */
        Instant serverTime() {
            try {
                return date == null ? null
                    : ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            } catch (RuntimeException e) {
                return null;
            }
        }

        /** Asterisk's message of an error reply. */
        String message() {
            if (error != null) {
                return error;
            }
            try {
                JsonObject j = json();
                return j.getString("message", j.getString("error", "HTTP " + status));
            } catch (RuntimeException e) {
                return "HTTP " + status;
            }
        }
    }

    private final AriServerConfig server;
    private final DoctorSetup setup;
    private final AriRestClient rest;
    private final Consumer<DoctorCheck> out;

    ServerChecks(AriServerConfig server, DoctorSetup setup, AriRestClient rest, Consumer<DoctorCheck> out) {
        this.server = server;
        this.setup = setup;
        this.rest = rest;
        this.out = out;
    }

    Future<Facts> run() {
        return get("/asterisk/info").compose(info -> {
            if (!reach(info)) {
                return Future.succeededFuture(new Facts(false, null, Set.of()));
            }
            JsonObject system = info.json().getJsonObject("system", new JsonObject());
            String version = system.getString("version");
            clock(info);
            return modules(version).compose(mods -> application().map(v -> new Facts(true, version, mods)));
        });
    }

    /** A raw read of the server ({@link AriRestClient#probe}); never fails: a missing reply is status 0. */
    private Future<Reply> get(String path) {
        Instant sent = setup.clock().instant();
        return rest.probe(path)
            .map(r -> new Reply(r.getInteger("status"), r.getString("body"), r.getString("date"), null, sent,
                setup.clock().instant()))
            .otherwise(e -> new Reply(0, null, null, String.valueOf(e.getMessage()), sent, setup.clock().instant()));
    }

    private String name() {
        return server.name();
    }

    private boolean reach(Reply info) {
        String where = server.ariBase();
        if (info.status() == 0) {
            out.accept(DoctorCheck.error("ari", name(), "cannot reach ARI at " + where + ": " + info.message(),
                "check asterisk[" + name() + "].url, that http.conf has enabled=yes and bindaddr/bindport reachable "
                    + "from this host, and firewalls between them"));
            return false;
        }
        if (info.status() == 401) {
            out.accept(DoctorCheck.error("ari", name(), "ARI at " + where + " refused user \"" + server.username()
                + "\" (HTTP 401)", "make asterisk[" + name() + "].username/password match a [user] with type=user in"
                + " ari.conf (asterisk-config/ari-user.sh writes it from ARI_USERNAME/ARI_PASSWORD)"));
            return false;
        }
        if (info.status() == 404) {
            out.accept(DoctorCheck.error("ari", name(), "no ARI at " + where + " (HTTP 404)", "load res_ari.so and "
                + "res_ari_asterisk.so, set enabled=yes in ari.conf, and point the url at Asterisk's HTTP server "
                + "(http://host:8088)"));
            return false;
        }
        if (!info.ok()) {
            out.accept(DoctorCheck.error("ari", name(), "GET " + where + "/asterisk/info answered HTTP "
                + info.status() + ": " + info.message(), "read Asterisk's log for the ARI error"));
            return false;
        }
        String version = info.json().getJsonObject("system", new JsonObject()).getString("version", "(unknown)");
        int[] v = ModuleRequirements.parse(version);
        if (v != null && v[0] < 20) {
            out.accept(DoctorCheck.warning("ari", name(), "Asterisk " + version + " at " + where + " (user "
                + server.username() + ")", "the dialer is built and tested against Asterisk 22; upgrade to 22 LTS"));
        } else {
            out.accept(DoctorCheck.ok("ari", name(), "Asterisk " + version + " answers at " + where + " (user "
                + server.username() + ")"));
        }
        return true;
    }

    private void clock(Reply info) {
        Instant theirs = info.serverTime();
        if (theirs == null) {
            out.accept(DoctorCheck.warning("clock", name(), "Asterisk sent no readable Date header: clocks not "
                + "compared", "run NTP (chrony or systemd-timesyncd) on both hosts"));
            return;
        }
        Instant mid = info.sentAt().plus(Duration.between(info.sentAt(), info.receivedAt()).dividedBy(2));
        // the header is whole seconds: Asterisk's clock lies in [theirs, theirs + 1 s)
        Duration drift = Duration.between(mid, theirs.plusMillis(500));
        String text = "Asterisk's clock is " + Math.abs(drift.toMillis()) + " ms " + (drift.isNegative() ? "behind"
            : "ahead of") + " this node's";
        if (drift.abs().compareTo(DRIFT) > 0) {
            out.accept(DoctorCheck.warning("clock", name(), text, "run NTP (chrony or systemd-timesyncd) on both "
                + "hosts: calendars, retry times and call records use this node's clock, recordings and CDRs "
                + "Asterisk's"));
        } else {
            out.accept(DoctorCheck.ok("clock", name(), text + " (within " + DRIFT.toSeconds() + " s)"));
        }
    }

    private Future<Set<String>> modules(String version) {
        return get("/asterisk/modules").map(reply -> {
            if (!reply.ok()) {
                out.accept(DoctorCheck.error("modules", name(), "GET /asterisk/modules answered "
                    + (reply.status() == 0 ? "nothing" : "HTTP " + reply.status()) + ": " + reply.message(),
                    "load res_ari_asterisk.so (modules.conf)"));
                return Set.<String>of();
            }
            Set<String> running = new TreeSet<>();
            reply.array().forEach(o -> {
                JsonObject m = (JsonObject) o;
                if ("Running".equalsIgnoreCase(m.getString("status", "Running"))) {
                    running.add(ModuleRequirements.bare(m.getString("name", "")));
                }
            });
            Map<String, String> needed = ModuleRequirements.of(version, setup.amdUsed(), setup.trunks());
            List<String> missing = needed.keySet().stream().filter(m -> !running.contains(m)).toList();
            if (missing.isEmpty()) {
                out.accept(DoctorCheck.ok("modules", name(), "the " + needed.size() + " modules the dialer needs are "
                    + "loaded"));
            } else {
                out.accept(DoctorCheck.error("modules", name(), "not loaded: " + missing.stream()
                    .map(m -> m + " (" + needed.get(m) + ")").collect(Collectors.joining(", ")),
                    "add " + missing.stream().map(m -> "\"load = " + m + ".so\"").collect(Collectors.joining(", "))
                        + " to modules.conf (with autoload = no only listed modules load; asterisk-config/modules.conf"
                        + " lists them all) and restart Asterisk"));
            }
            return running;
        });
    }

    private Future<Void> application() {
        String app = server.app();
        if (setup.nodeHealth() != null) {
            AriHealth h = setup.nodeHealth().apply(name());
            if (h == null) {
                out.accept(DoctorCheck.warning("application", name(), "this node has no connection to " + name(),
                    "the server is not part of this node's telephony"));
            } else if (h.up()) {
                out.accept(DoctorCheck.ok("application", name(), "application " + app + " is held by this node"));
            } else if (h.replaced()) {
                out.accept(DoctorCheck.error("application", name(), "application " + app + " was taken by another "
                    + "process (" + h.detail() + "); this node gets no events", "give each dialer node its own "
                    + "asterisk[].app (two nodes or a test tool share \"" + app + "\"), then take it back: POST "
                    + "/api/v1/telephony/servers/" + name() + "/reconnect"));
            } else {
                out.accept(DoctorCheck.error("application", name(), "this node does not hold application " + app
                    + ": " + h.state() + ", " + h.detail(), "see GET /api/v1/telephony and the node's log"));
            }
            return Future.succeededFuture();
        }
        return rest.application(app).map(a -> {
            out.accept(DoctorCheck.ok("application", name(), "application " + app + " is registered (a dialer "
                + "node is connected; " + a.channelIds().size() + " channel(s))"));
            return (Void) null;
        }).recover(e -> {
            if (e instanceof AriException && ((AriException) e).notFound()) {
                out.accept(DoctorCheck.warning("application", name(), "no process holds application " + app
                    + " now", "start the node (serve) to take it; each node needs its own asterisk[].app"));
            } else {
                out.accept(DoctorCheck.error("application", name(), "GET /applications/" + app + " failed: "
                    + e.getMessage(), "load res_ari_applications.so"));
            }
            return Future.succeededFuture();
        });
    }
}
