package io.outdial.dialer.api;

import io.outdial.dialer.calendar.ContactZones;
import io.outdial.dialer.campaign.Campaign;
import io.outdial.dialer.campaign.JdbcCampaignStore;
import io.outdial.dialer.contact.ContactCounts;
import io.outdial.dialer.contact.JdbcContactStore;
import io.outdial.dialer.ready.DependencyStatus;
import io.outdial.dialer.campaign.CampaignFile;
import io.outdial.dialer.dialing.CampaignRunners;
import io.outdial.dialer.telephony.TelephonyComponent;
import io.outdial.dialer.trunk.Trunk;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks a campaign before it starts ("campaign started, nothing dials, no logs" is the most common complaint about
 * dialers): the stored definition, its flow, the node's telephony and trunk, the contacts and the calendar. Each
 * check is {@code ok}, {@code warning} (it will dial, but maybe not as expected) or {@code error} (it cannot dial).
 * A move to RUNNING or SCHEDULED with an error is refused unless forced.
 */
final class Preflight {
    /** How far ahead a calendar window must open for no warning. */
    static final Duration SOON = Duration.ofDays(7);

    /** One check's result. */
    record Check(String name, Level level, String message) {
        JsonObject json() {
            return new JsonObject().put("check", name).put("level", level.name().toLowerCase(java.util.Locale.ROOT))
                .put("message", message);
        }
    }

    /** How bad a check's finding is. */
    enum Level { OK, WARNING, ERROR }

    /** Everything a preflight found. */
    record Report(List<Check> checks) {
        boolean blocking() {
            return checks.stream().anyMatch(c -> c.level() == Level.ERROR);
        }

        JsonObject json() {
            JsonArray list = new JsonArray();
            checks.forEach(c -> list.add(c.json()));
            long errors = checks.stream().filter(c -> c.level() == Level.ERROR).count();
            long warnings = checks.stream().filter(c -> c.level() == Level.WARNING).count();
            return new JsonObject().put("ok", errors == 0).put("errors", errors).put("warnings", warnings)
                .put("checks", list);
        }
    }

    private final ApiRoutes api;

    Preflight(ApiRoutes api) {
        this.api = api;
    }

    /** Runs every check of {@code c}; never fails (a check that throws is reported as an error). */
    Future<Report> run(Campaign c) {
        return api.blocking(() -> storedChecks(c)).compose(r -> flowCheck(r.file).compose(flow -> {
            List<Check> all = new ArrayList<>(r.checks);
            if (flow != null) {
                all.add(1, flow);
            }
            return deployment(r.file).map(found -> {
                all.addAll(found);
                return new Report(List.copyOf(all));
            });
        }));
    }

    /**
     * The doctor's checks that place no call, for the servers this node reaches: modules, clock, the campaign's trunk
     * and the media URL, named {@code doctor <check> <target>}. Reachability and the application are the telephony
     * check's (a server that is down makes dialing wait, it does not refuse the start).
     */
    private Future<List<Check>> deployment(CampaignFile file) {
        io.outdial.dialer.doctor.Doctor doctor = api.doctor();
        TelephonyComponent t = api.telephony();
        // with no server connected the telephony check already says so; the doctor would only wait on timeouts
        if (file == null || doctor == null || t == null || !t.telephony().map(x -> x.anyReady()).orElse(false)) {
            return Future.succeededFuture(List.of());
        }
        String trunk = file.trunk().name() + "@";
        return doctor.withAmd(Boolean.TRUE.equals(file.settings().amd())).quick().map(report -> report
            .getJsonArray("checks").stream()
            .map(JsonObject.class::cast)
            .filter(d -> List.of("modules", "clock", "trunk", "media-url").contains(d.getString("check")))
            .filter(d -> !d.getString("check").equals("trunk") || d.getString("target").startsWith(trunk))
            .map(Preflight::doctorCheck)
            .toList());
    }

    /** A check of the doctor's JSON report ({@code check, target, level, message, advice}) as one of ours. */
    private static Check doctorCheck(JsonObject d) {
        String target = d.getString("target");
        String advice = d.getString("advice");
        return new Check("doctor " + d.getString("check") + (target == null ? "" : " " + target),
            Level.valueOf(d.getString("level").toUpperCase(java.util.Locale.ROOT)),
            d.getString("message") + (advice.isEmpty() ? "" : "; fix: " + advice));
    }

    private record Stored(CampaignFile file, List<Check> checks) { }

    /** The checks that read the database and the node's state. Blocking. */
    private Stored storedChecks(Campaign c) {
        List<Check> out = new ArrayList<>();
        CampaignFile file;
        try {
            file = CampaignFile.fromStored(c.id(), c.settings());
            out.add(new Check("definition", Level.OK, "the stored definition is valid"));
            if (file.flowId() != null && file.flowVersion() == 0) { // a started campaign keeps its flow version
                CampaignFile latest = file;
                file = new JdbcCampaignStore(api.ds(), api.clock()).flowPin(c.id()).stream()
                    .mapToObj(latest::withFlowVersion).findFirst().orElse(latest);
            }
        } catch (RuntimeException e) {
            out.add(new Check("definition", Level.ERROR, e.getMessage()));
            return new Stored(null, out);
        }
        Instant now = api.clock().instant();
        out.add(telephony(file));
        trunk(file).ifPresent(out::add);
        out.add(contacts(c, file, now));
        out.add(calendar(c, file, now));
        return new Stored(file, out);
    }

    private Future<Check> flowCheck(CampaignFile file) {
        if (file == null) {
            return Future.succeededFuture(null);
        }
        if (file.flow() == null && file.flowId() == null) {
            return Future.succeededFuture(new Check("flow", Level.WARNING,
                "no flow: answered calls are hung up at once (set flow or flowId)"));
        }
        CampaignRunners.FlowSource flows = api.flowSource();
        if (flows == null) {
            return Future.succeededFuture(new Check("flow", Level.WARNING, "this node does not dial campaigns: the"
                + " flow was not checked"));
        }
        String what = file.flowId() != null ? "flow " + file.flowId()
            + (file.flowVersion() > 0 ? " v" + file.flowVersion() : " (latest valid version)") : "flow file " + file.flow();
        return flows.flow(file).map(f -> new Check("flow", Level.OK, what + " is valid"))
            .otherwise(e -> new Check("flow", Level.ERROR, what + ": " + e.getMessage()));
    }

    private Check telephony(CampaignFile file) {
        TelephonyComponent t = api.telephony();
        if (t == null) {
            return new Check("telephony", Level.WARNING, "this node does not dial campaigns: telephony not checked");
        }
        if (t.servers().isEmpty()) {
            return new Check("telephony", Level.ERROR, "no Asterisk server is configured on this node (asterisk[] in"
                + " the configuration): nothing can be dialed");
        }
        boolean ready = t.telephony().map(x -> x.anyReady()).orElse(false);
        if (!ready) {
            return new Check("telephony", Level.WARNING, "no Asterisk server is connected now ("
                + t.servers().size() + " configured): dialing waits for one (asterisk_down)");
        }
        return new Check("telephony", Level.OK, "Asterisk connected");
    }

    private Optional<Check> trunk(CampaignFile file) {
        TelephonyComponent t = api.telephony();
        if (t == null || t.servers().isEmpty()) {
            return Optional.empty();
        }
        String name = file.trunk().name();
        Optional<Trunk> configured = t.trunk(name);
        // the same view as /ready's trunk:<name>; with no server ready the telephony check already says so
        DependencyStatus health = t.trunkStatus(name);
        if (health.isDown() && t.telephony().map(x -> x.anyReady()).orElse(false)) {
            return Optional.of(new Check("trunk", Level.WARNING, "trunk " + name + " is down on every server: "
                + health.detail() + " (dialing waits: trunk_down)"));
        }
        if (configured.isEmpty()) {
            return Optional.of(new Check("trunk", Level.WARNING, "trunk " + name + " is not configured on this node:"
                + " the definition's endpoint " + file.trunk().endpointPattern() + " and limits are used"));
        }
        int campaignLines = file.settings().lines().campaigns().getOrDefault(file.settings().campaignId(),
            Integer.MAX_VALUE);
        if (campaignLines > configured.get().maxLines()) {
            return Optional.of(new Check("trunk", Level.WARNING, "the campaign's " + campaignLines
                + " lines exceed trunk " + name + "'s " + configured.get().maxLines() + ": the trunk caps it"));
        }
        return Optional.of(new Check("trunk", Level.OK, "trunk " + name + " configured (" + configured.get().maxLines()
            + " lines)"));
    }

    private Check contacts(Campaign c, CampaignFile file, Instant now) {
        ContactCounts n = new JdbcContactStore(api.ds()).counts(c.id(), now);
        if (n.total() == 0) {
            return new Check("contacts", file.alwaysActive() ? Level.WARNING : Level.ERROR, "no contacts: import"
                + " some (POST /api/v1/campaigns/" + c.id() + "/imports)" + (file.alwaysActive() ? "; the"
                + " campaign is always-active and waits for them" : "; a started campaign would finish at once"));
        }
        long open = n.availableNow() + n.planned() + n.inProgress();
        if (open == 0) {
            return new Check("contacts", file.alwaysActive() ? Level.WARNING : Level.ERROR, "all " + n.total()
                + " contacts are closed (" + n.closedSuccess() + " success, " + n.closedNoSuccess() + " failure, "
                + n.exhausted() + " exhausted, " + n.noValidNumber() + " no valid number, " + n.stopListed()
                + " stop-listed): nothing left to dial");
        }
        if (n.availableNow() == 0) {
            return new Check("contacts", Level.WARNING, "no contact is due now (" + n.planned()
                + " planned for later retries)");
        }
        return new Check("contacts", Level.OK, n.availableNow() + " of " + n.total() + " contacts due now");
    }

    private Check calendar(Campaign c, CampaignFile file, Instant now) {
        if (c.endsAt() != null && !now.isBefore(c.endsAt())) {
            return new Check("calendar", Level.ERROR, "the campaign ended at " + c.endsAt());
        }
        Instant from = c.startsAt() != null && c.startsAt().isAfter(now) ? c.startsAt() : now;
        var zones = new ContactZones(file.settings().defaultZone()).zonesFor(null, null);
        Optional<Instant> open = file.settings().calendar().nextOpen(from, zones);
        if (open.isEmpty() || c.endsAt() != null && !open.get().isBefore(c.endsAt())) {
            return new Check("calendar", Level.ERROR, "the calendar never opens" + (c.endsAt() != null
                ? " before the end " + c.endsAt() : "") + " (zone " + file.settings().defaultZone() + ")");
        }
        if (open.get().isAfter(from.plus(SOON))) {
            return new Check("calendar", Level.WARNING, "the calendar opens only at " + open.get() + " (zone "
                + file.settings().defaultZone() + ")");
        }
        return new Check("calendar", Level.OK, open.get().equals(from) ? "open now (zone "
            + file.settings().defaultZone() + ")" : "next opens at " + open.get() + " (zone "
            + file.settings().defaultZone() + ")");
    }
}
