package io.outdial.dialer.dialing;

import io.outdial.dialer.campaign.Campaign;
import io.outdial.dialer.ready.DependencyStatus;

/** The {@code campaign:<id>} readiness text of a campaign: live calls, or why it does not dial. */
final class CampaignStatus {
    private CampaignStatus() {
    }

    /**
     * Why a campaign without a runner here is not dialing, from its state. A RUNNING row gets here only when
     * another node owns it: not finished, so it reads as paused here.
     */
    static WhyNotDialing reason(Campaign c) {
        return WhyNotDialing.fromState(c).orElseGet(WhyNotDialing.Paused::new);
    }

    static DependencyStatus idle(WhyNotDialing why) {
        return status(0, why, "");
    }

    /** The readiness status of one runner. */
    static DependencyStatus status(CampaignRunner runner) {
        return status(runner.stats().live(), runner.whyNot(), runner.stats().toString());
    }

    /** UP while calls are live, DEGRADED when telephony is down, otherwise UP with the idle reason. */
    static DependencyStatus status(int live, WhyNotDialing why, String stats) {
        if (live > 0) {
            return DependencyStatus.up("dialing: " + live + " live call(s); " + stats);
        }
        if (why instanceof WhyNotDialing.AsteriskDown || why instanceof WhyNotDialing.TrunkDown) {
            return DependencyStatus.degraded(text(why));
        }
        return DependencyStatus.up("idle, " + text(why));
    }

    /** {@code code: message}, without repeating the code when the message starts with it ("paused"). */
    static String text(WhyNotDialing why) {
        return why.message().startsWith(why.code()) ? why.message() : why.code() + ": " + why.message();
    }
}
