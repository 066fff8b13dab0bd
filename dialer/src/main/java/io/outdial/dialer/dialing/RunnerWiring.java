package io.outdial.dialer.dialing;

import io.outdial.dialer.campaign.CampaignSettings;
import io.outdial.dialer.call.CallEngine;
import io.outdial.dialer.call.CallRecordWriter;
import io.outdial.dialer.call.MachinePolicy;
import io.outdial.dialer.calendar.ContactZones;
import io.outdial.dialer.campaign.JdbcCampaignStore;
import io.outdial.dialer.contact.JdbcContactStore;
import io.outdial.dialer.contact.PhoneNormalizer;
import io.outdial.dialer.pacing.Pacer;
import io.outdial.dialer.stoplist.JdbcStopList;
import io.outdial.dialer.storage.Database;
import io.outdial.dialer.trunk.Trunk;
import io.outdial.ivr.spi.FlowRunner;
import javax.sql.DataSource;

/** Builds a runner's parts over one database (blocking: call from a worker or before the event loop runs). */
final class RunnerWiring {
    private RunnerWiring() { }

    /**
     * The parts of a runner for {@code s.campaignId()}; live counters start from the stored counts.
     *
     * @param owner the claim owner (node id) written on picked contacts
     */
    public static RunnerParts parts(Database db, CallEngine engine, Trunk trunk, CampaignSettings s,
                                    FlowRunner flow, RunnerClock clock, String region, String owner) {
        return parts(db, Dialing.of(engine), trunk, s, flow, clock, region, owner);
    }

    /** As above, through {@code dialing}, with a pacer of the campaign's own limits (a runner alone). */
    public static RunnerParts parts(Database db, Dialing dialing, Trunk trunk, CampaignSettings s,
                                    FlowRunner flow, RunnerClock clock, String region, String owner) {
        return parts(db, dialing, trunk, s, flow, clock, region, owner, DialGate.OPEN);
    }

    /** As above; the contacts {@code gate} holds are not dialed (a campaign whose scheme starts with a message). */
    public static RunnerParts parts(Database db, Dialing dialing, Trunk trunk, CampaignSettings s,
                                    FlowRunner flow, RunnerClock clock, String region, String owner, DialGate gate) {
        Pacer pacer = Pacer.local(s.lines(), s.rates(), clock);
        return parts(db, new CallRecordWriter(db), dialing, trunk, s, flow, clock, region, NodeScope.alone(() -> owner),
                pacer, new LineSharing(pacer), 0, 1, gate);
    }

    /**
     * As above, dialing through several servers with a {@code pacer} and its {@code sharing} shared by the node's
     * runners (node-wide global and trunk line limits shared by priority and weight), writing call records through
     * the node's one {@code records} writer (the one its call engines' state changes go through).
     */
    public static RunnerParts parts(Database db, CallRecordWriter records, Dialing dialing, Trunk trunk,
                                    CampaignSettings s, FlowRunner flow, RunnerClock clock, String region,
                                    String owner, Pacer pacer, LineSharing sharing, int priority, int weight) {
        return parts(db, records, dialing, trunk, s, flow, clock, region, NodeScope.alone(() -> owner), pacer,
                sharing, priority, weight);
    }

    /**
     * As above, reconciling only the attempts and claims {@code scope} allows (this node's and dead nodes'); the
     * claim owner is {@code scope.nodeId()}.
     */
    public static RunnerParts parts(Database db, CallRecordWriter records, Dialing dialing, Trunk trunk,
                                    CampaignSettings s, FlowRunner flow, RunnerClock clock, String region,
                                    NodeScope scope, Pacer pacer, LineSharing sharing, int priority, int weight) {
        return parts(db, records, dialing, trunk, s, flow, clock, region, scope, pacer, sharing, priority, weight,
                DialGate.OPEN);
    }

    /** As above; the contacts {@code gate} holds are not dialed (a campaign whose scheme starts with a message). */
    public static RunnerParts parts(Database db, CallRecordWriter records, Dialing dialing, Trunk trunk,
                                    CampaignSettings s, FlowRunner flow, RunnerClock clock, String region,
                                    NodeScope scope, Pacer pacer, LineSharing sharing, int priority, int weight,
                                    DialGate gate) {
        String owner = scope.nodeId();
        DataSource ds = db.dataSource();
        JdbcContactStore contacts = new JdbcContactStore(ds);
        JdbcStopList stopList = new JdbcStopList(ds, clock, new PhoneNormalizer(region));
        ContactZones zones = new ContactZones(s.defaultZone());
        LiveCounters counters = new LiveCounters(contacts.counts(s.campaignId(), clock.instant()));
        CampaignScheduler scheduler = new CampaignScheduler(s.campaignId(), contacts, stopList,
                s.rules(), s.calendar(), s.phoneRule(), zones, counters, clock, owner, gate);
        return new RunnerParts(s.campaignId(), scheduler, contacts, new JdbcCampaignStore(ds, clock),
                records, stopList, zones, pacer, sharing, priority, weight, dialing, trunk, flow,
                s.amd(), MachinePolicy.HANG_UP, s.batch(), clock, scope);
    }
}
