package io.outdial.sandbox.smsc;

import java.time.Duration;
import java.util.Objects;

/**
 * What the simulated network does with a message to one number. Build one with a static factory, e.g.
 * {@code RecipientScript.deliverAfter(Duration.ofMillis(200))} or {@code RecipientScript.replyWith("yes", d)}.
 *
 * @param kind  what happens
 * @param after how long after the submit the receipt (or reply) comes
 * @param text  the reply text for {@link Kind#REPLY}
 * @param error the err code in the receipt, or the command_status of a refused submit
 */
public record RecipientScript(Kind kind, Duration after, String text, int error) {

    /** The behaviours. */
    public enum Kind {
        /** Receipt stat:DELIVRD. */
        DELIVER,
        /** Receipt stat:UNDELIV. */
        UNDELIVERABLE,
        /** Receipt stat:EXPIRED. */
        EXPIRE,
        /** Receipt stat:REJECTD. */
        REJECT,
        /** Receipt stat:DELIVRD, then a reply (MO) from the recipient. */
        REPLY,
        /** No receipt ever. */
        NEVER,
        /** Two identical DELIVRD receipts. */
        TWICE,
        /** A DELIVRD receipt written before the submit_sm_resp. */
        RECEIPT_FIRST,
        /** The submit is refused with a negative submit_sm_resp. */
        REFUSE
    }

    public RecipientScript {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(after, "after");
        if (after.isNegative()) {
            throw new IllegalArgumentException("after " + after + " must not be negative");
        }
        if (kind == Kind.REPLY && (text == null || text.isEmpty())) {
            throw new IllegalArgumentException("a reply script needs a text");
        }
    }

    /** Delivered after a while (a long while makes a late receipt). */
    public static RecipientScript deliverAfter(Duration after) {
        return new RecipientScript(Kind.DELIVER, after, null, 0);
    }

    /** Undeliverable (err 001). */
    public static RecipientScript undeliverable(Duration after) {
        return new RecipientScript(Kind.UNDELIVERABLE, after, null, 1);
    }

    /** Expires (err 000). */
    public static RecipientScript expire(Duration after) {
        return new RecipientScript(Kind.EXPIRE, after, null, 0);
    }

    /** Rejected by the network (err 006). */
    public static RecipientScript reject(Duration after) {
        return new RecipientScript(Kind.REJECT, after, null, 6);
    }

    /** Delivered, then the recipient replies with a text. */
    public static RecipientScript replyWith(String text, Duration after) {
        return new RecipientScript(Kind.REPLY, after, text, 0);
    }

    /** Accepted, never a receipt. */
    public static RecipientScript neverAnswer() {
        return new RecipientScript(Kind.NEVER, Duration.ZERO, null, 0);
    }

    /** Two receipts for the same message. */
    public static RecipientScript receiptTwice(Duration after) {
        return new RecipientScript(Kind.TWICE, after, null, 0);
    }

    /** The receipt goes out before the submit_sm_resp. */
    public static RecipientScript receiptBeforeResponse() {
        return new RecipientScript(Kind.RECEIPT_FIRST, Duration.ZERO, null, 0);
    }

    /** The submit_sm is refused with this command_status (e.g. 0x0B invalid destination). */
    public static RecipientScript refuse(int commandStatus) {
        return new RecipientScript(Kind.REFUSE, Duration.ZERO, null, commandStatus);
    }
}
