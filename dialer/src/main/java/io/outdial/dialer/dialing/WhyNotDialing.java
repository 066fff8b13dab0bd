package io.outdial.dialer.dialing;

import io.outdial.dialer.campaign.Campaign;
import io.outdial.dialer.campaign.CampaignState;
import io.outdial.dialer.pacing.LimitKey;
import io.outdial.dialer.pacing.LineUsage;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Why a campaign is not dialing right now, for {@code /ready}, the API, the live feed and the log. Each case
 * says what blocks and, where known, until when. Callers outside the package see it rendered
 * ({@link CampaignRunner#whyNotJson()}).
 */
sealed interface WhyNotDialing permits WhyNotDialing.Draft, WhyNotDialing.NotStarted, WhyNotDialing.Paused,
        WhyNotDialing.Finished, WhyNotDialing.AsteriskDown, WhyNotDialing.TrunkDown, WhyNotDialing.OutsideCalendar,
        WhyNotDialing.NoDueContacts, WhyNotDialing.LineLimit, WhyNotDialing.RateLimit {

    /** Short machine code, e.g. {@code line_limit}. */
    String code();

    /** One human sentence. */
    String message();

    /** {@code {code, message, until?}}, as the API shows it ({@code until} when the case names a time). */
    default JsonObject toJson() {
        JsonObject j = new JsonObject().put("code", code()).put("message", message());
        Instant until = null;
        if (this instanceof NotStarted n) {
            until = n.at();
        } else if (this instanceof OutsideCalendar o) {
            until = o.until();
        } else if (this instanceof NoDueContacts d) {
            until = d.until();
        } else if (this instanceof RateLimit r) {
            until = r.retryAt();
        }
        if (until != null) {
            j.put("until", until.toString());
        }
        return j;
    }

    /** The reason its life-cycle state alone gives (draft, scheduled, paused, finished, archived); empty if RUNNING. */
    static Optional<WhyNotDialing> fromState(Campaign campaign) {
        switch (campaign.state()) {
            case DRAFT:
                return Optional.of(new Draft());
            case SCHEDULED:
                return Optional.of(new NotStarted(campaign.startsAt()));
            case PAUSED:
                return Optional.of(new Paused());
            case FINISHED:
            case ARCHIVED:
                return Optional.of(new Finished(campaign.state()));
            default:
                return Optional.empty();
        }
    }

    /** Still a draft. */
    record Draft() implements WhyNotDialing {
        public String code() {
            return "draft";
        }

        public String message() {
            return "draft: not scheduled or started yet";
        }
    }

    /** Scheduled; starts at {@code at}. */
    record NotStarted(Instant at) implements WhyNotDialing {
        public String code() {
            return "scheduled";
        }

        public String message() {
            return "scheduled: starts at " + at;
        }
    }

    /** Paused by an operator. */
    record Paused() implements WhyNotDialing {
        public String code() {
            return "paused";
        }

        public String message() {
            return "paused";
        }
    }

    /** Finished or archived. */
    record Finished(CampaignState state) implements WhyNotDialing {
        public String code() {
            return state == CampaignState.ARCHIVED ? "archived" : "finished";
        }

        public String message() {
            return state.name().toLowerCase();
        }
    }

    /** The telephony server is unreachable. */
    record AsteriskDown(String server, String detail) implements WhyNotDialing {
        public String code() {
            return "asterisk_down";
        }

        public String message() {
            return "Asterisk " + server + " is down: " + detail;
        }
    }

    /** The campaign's trunk is unavailable. */
    record TrunkDown(String trunk, String detail) implements WhyNotDialing {
        public String code() {
            return "trunk_down";
        }

        public String message() {
            return "trunk " + trunk + " is down: " + detail;
        }
    }

    /** Due contacts exist but the calendar is closed for them until {@code until} (null: never again). */
    record OutsideCalendar(Instant until) implements WhyNotDialing {
        public String code() {
            return "outside_calendar";
        }

        public String message() {
            return until == null ? "outside the calendar: no opening left" : "outside the calendar until " + until;
        }
    }

    /** Nothing is due; the next contact is due at {@code until} (null: none waiting). */
    record NoDueContacts(Instant until) implements WhyNotDialing {
        public String code() {
            return "no_due_contacts";
        }

        public String message() {
            return until == null ? "no contacts waiting" : "no due contacts until " + until;
        }
    }

    /** A line limit is full. */
    record LineLimit(LineUsage usage) implements WhyNotDialing {
        public LineLimit {
            Objects.requireNonNull(usage, "usage");
        }

        public String code() {
            return "line_limit";
        }

        public String message() {
            return usage.toString();
        }
    }

    /** A rate limit refuses until {@code retryAt}. */
    record RateLimit(LimitKey key, Instant retryAt) implements WhyNotDialing {
        public String code() {
            return "rate_limit";
        }

        public String message() {
            return "rate limit on " + key + " until " + retryAt;
        }
    }
}
