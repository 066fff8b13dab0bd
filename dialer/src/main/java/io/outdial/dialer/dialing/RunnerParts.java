package io.outdial.dialer.dialing;

import io.outdial.dialer.call.CallRecordWriter;
import io.outdial.dialer.call.MachinePolicy;
import io.outdial.dialer.calendar.ContactZones;
import io.outdial.dialer.campaign.JdbcCampaignStore;
import io.outdial.dialer.contact.JdbcContactStore;
import io.outdial.dialer.pacing.Pacer;
import io.outdial.dialer.stoplist.JdbcStopList;
import io.outdial.dialer.trunk.Trunk;
import io.outdial.ivr.spi.FlowRunner;
import java.util.Objects;

/**
 * What one {@link CampaignRunner} works with.
 *
 * @param campaignId    the campaign
 * @param scheduler     the campaign's scheduler (pick, before-originate check, rules)
 * @param contacts      contact store (next due time, open contacts, crash recovery)
 * @param campaigns     campaign store (state, finish)
 * @param records       the node's call-record writer (the attempt row before the originate, the outcome)
 * @param stopList      stop-list (IVR unsubscribe adds the number)
 * @param zones         contact zones (crash recovery rebuilds dial tasks)
 * @param pacer         line leases and rate tokens
 * @param sharing       shares the global and trunk lines with the node's other campaigns (priority, weight)
 * @param priority      higher gets free shared lines first
 * @param weight        share of the shared lines within its priority
 * @param dialing       the Asterisk servers to originate through (one picked per call)
 * @param trunk         the campaign's trunk
 * @param flow          the flow for answered calls, or null
 * @param amd           run AMD (null = the trunk's setting)
 * @param machinePolicy what to do with a MACHINE
 * @param batch         contacts picked at most per round
 * @param clock         runner time
 * @param scope         which attempts and claims this node may reconcile (its own, dead nodes')
 */
record RunnerParts(String campaignId, CampaignScheduler scheduler, JdbcContactStore contacts,
                          JdbcCampaignStore campaigns, CallRecordWriter records, JdbcStopList stopList,
                          ContactZones zones, Pacer pacer, LineSharing sharing, int priority,
                          int weight, Dialing dialing, Trunk trunk, FlowRunner flow,
                          Boolean amd, MachinePolicy machinePolicy, int batch, RunnerClock clock,
                          NodeScope scope) {
    public RunnerParts {
        Objects.requireNonNull(campaignId, "campaignId");
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(contacts, "contacts");
        Objects.requireNonNull(campaigns, "campaigns");
        Objects.requireNonNull(records, "records");
        Objects.requireNonNull(stopList, "stopList");
        Objects.requireNonNull(zones, "zones");
        Objects.requireNonNull(pacer, "pacer");
        Objects.requireNonNull(sharing, "sharing");
        Objects.requireNonNull(dialing, "dialing");
        Objects.requireNonNull(trunk, "trunk");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(scope, "scope");
        if (batch < 1) {
            throw new IllegalArgumentException("runner batch " + batch + " must be at least 1");
        }
    }
}
