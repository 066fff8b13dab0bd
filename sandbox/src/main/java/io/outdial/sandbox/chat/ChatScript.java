package io.outdial.sandbox.chat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What a simulated chat recipient does after a message reaches it: a list of callbacks, each after a delay
 * from the send. Build one with a factory, e.g. {@code ChatScript.inOrder(Duration.ofMillis(20))} or
 * {@code ChatScript.inOrder(d).thenReply("yes", d)}.
 *
 * @param steps  the callbacks in the order they are sent
 * @param refuse when set, the send itself is refused (see {@link Refusal})
 */
public record ChatScript(List<Step> steps, Refusal refuse) {

    /** Kinds of callback. */
    public enum Kind {
        /** The message left the provider. */
        SENT,
        /** On the recipient's device. */
        DELIVERED,
        /** Read (WhatsApp {@code read}, Viber {@code seen}). */
        READ,
        /** Failed, with an error code. */
        FAILED,
        /** A text reply. */
        REPLY,
        /** A button reply (WhatsApp quick-reply button). */
        BUTTON,
        /** The user unsubscribed (Viber bot). */
        UNSUBSCRIBED
    }

    /**
     * One callback.
     *
     * @param kind  what it reports
     * @param after delay from the send
     * @param value error code (FAILED) or text (REPLY, BUTTON)
     */
    public record Step(Kind kind, Duration after, String value) {
    }

    /**
     * A refused send.
     *
     * @param httpStatus the HTTP status of the answer
     * @param code       the provider's error code
     * @param message    its text
     */
    public record Refusal(int httpStatus, String code, String message) {
    }

    public ChatScript {
        steps = List.copyOf(steps);
    }

    /** Sent, delivered and read, {@code gap} apart. */
    public static ChatScript inOrder(Duration gap) {
        return new ChatScript(List.of(new Step(Kind.SENT, gap, null), new Step(Kind.DELIVERED, gap.multipliedBy(2),
                null), new Step(Kind.READ, gap.multipliedBy(3), null)), null);
    }

    /** Read first, then delivered, then sent, {@code gap} apart. */
    public static ChatScript outOfOrder(Duration gap) {
        return new ChatScript(List.of(new Step(Kind.READ, gap, null), new Step(Kind.DELIVERED, gap.multipliedBy(2),
                null), new Step(Kind.SENT, gap.multipliedBy(3), null)), null);
    }

    /** Sent at once; delivered and read only after {@code late}. */
    public static ChatScript late(Duration gap, Duration late) {
        return new ChatScript(List.of(new Step(Kind.SENT, gap, null), new Step(Kind.DELIVERED, late, null),
                new Step(Kind.READ, late.plus(gap), null)), null);
    }

    /** Sent, then delivered twice. */
    public static ChatScript twice(Duration gap) {
        return new ChatScript(List.of(new Step(Kind.SENT, gap, null), new Step(Kind.DELIVERED, gap.multipliedBy(2),
                null), new Step(Kind.DELIVERED, gap.multipliedBy(3), null)), null);
    }

    /** Accepted, never a callback. */
    public static ChatScript never() {
        return new ChatScript(List.of(), null);
    }

    /** Sent, then failed with the provider's error code. */
    public static ChatScript fail(String code, Duration gap) {
        return new ChatScript(List.of(new Step(Kind.SENT, gap, null), new Step(Kind.FAILED, gap.multipliedBy(2),
                code)), null);
    }

    /** The send is refused at once. */
    public static ChatScript refuse(int httpStatus, String code, String message) {
        return new ChatScript(List.of(), new Refusal(httpStatus, code, message));
    }

    /** This script, then a text reply {@code after} the send. */
    public ChatScript thenReply(String text, Duration after) {
        return then(new Step(Kind.REPLY, after, text));
    }

    /** This script, then a button reply {@code after} the send. */
    public ChatScript thenButton(String text, Duration after) {
        return then(new Step(Kind.BUTTON, after, text));
    }

    /** This script, then an unsubscribe {@code after} the send. */
    public ChatScript thenUnsubscribe(Duration after) {
        return then(new Step(Kind.UNSUBSCRIBED, after, null));
    }

    private ChatScript then(Step s) {
        List<Step> all = new ArrayList<>(steps);
        all.add(s);
        return new ChatScript(all, refuse);
    }
}
