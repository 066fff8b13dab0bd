package io.outdial.sandbox.pbx;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a simulated called party does once the PBX dials it. Build one with a static factory and refine it
 * with the {@code with...} methods, e.g.
 * {@code CalleeScript.answerAfter(Duration.ofSeconds(2)).withDigits(Duration.ofSeconds(3), "1").withHangupAfter(Duration.ofSeconds(20))}.
 *
 * @param kind        answer, fail with a Q.850 cause, or ring until the originate timeout
 * @param ringFor     how long the phone rings before answering or failing (zero: at once, no Ringing state)
 * @param failCause   Q.850 cause for {@link Kind#FAIL} (17 busy, 34 congestion, 1 unallocated number, 21 rejected...)
 * @param digits      DTMF the callee sends, each at an offset after answer
 * @param hangupAfter callee hangs up this long after answer; null = never (until the app hangs up)
 * @param talkFor     how long the callee speaks right after answer (audio in recordings, AMD); zero = silent
 * @param amd         what {@code AMD()} concludes in the {@code dialer-amd} context
 * @param remote      for {@link #remote}: the handle that presses keys and hangs up on the live call; else null
 */
public record CalleeScript(Kind kind, Duration ringFor, int failCause, List<DigitAt> digits, Duration hangupAfter,
                           Duration talkFor, Amd amd, RemoteCallee remote) {

    /** The three ways a call attempt can go on the called side. */
    public enum Kind { ANSWER, FAIL, NO_ANSWER }

    /** Digits sent {@code after} the answer. */
    public record DigitAt(Duration after, String digits) {
        public DigitAt {
            Objects.requireNonNull(after, "after");
            if (after.isNegative()) {
                throw new IllegalArgumentException("digit offset " + after + " must not be negative");
            }
            if (digits == null || !digits.matches("[0-9*#A-D]+")) {
                throw new IllegalArgumentException("digits \"" + digits + "\" must be one or more of 0-9 * # A-D");
            }
        }
    }

    /** AMD verdict as Asterisk's AMD() would set it (AMDSTATUS, AMDCAUSE) and after how long from answer. */
    public record Amd(String status, String cause, Duration decisionAfter) {
        /** A person saying one short word, then silence. */
        public static final Amd HUMAN = new Amd("HUMAN", "HUMAN-803-800", Duration.ofMillis(1970));
        /** A long greeting: more than two words. */
        public static final Amd MACHINE = new Amd("MACHINE", "MAXWORDS-3-2", Duration.ofMillis(1670));
        /** Silent audio frames: initial silence rule. */
        public static final Amd SILENCE = new Amd("MACHINE", "INITIALSILENCE-2500-2500", Duration.ofMillis(2990));
        /** No audio frames at all (a Local channel in Wait()). */
        public static final Amd NO_AUDIO = new Amd("NOTSURE", "TOOLONG-4900", Duration.ofMillis(5010));

        public Amd {
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(cause, "cause");
            Objects.requireNonNull(decisionAfter, "decisionAfter");
        }
    }

    public CalleeScript {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(ringFor, "ringFor");
        Objects.requireNonNull(talkFor, "talkFor");
        Objects.requireNonNull(amd, "amd");
        if (ringFor.isNegative() || talkFor.isNegative()) {
            throw new IllegalArgumentException("ringFor " + ringFor + " and talkFor " + talkFor + " must not be negative");
        }
        if (kind == Kind.FAIL && (failCause <= 0 || failCause > 127)) {
            throw new IllegalArgumentException("failCause " + failCause + " must be a Q.850 cause 1..127");
        }
        if (hangupAfter != null && hangupAfter.isNegative()) {
            throw new IllegalArgumentException("hangupAfter " + hangupAfter + " must not be negative");
        }
        digits = List.copyOf(digits);
        if (remote != null && (kind != Kind.ANSWER || !digits.isEmpty() || hangupAfter != null)) {
            throw new IllegalArgumentException("a remote-controlled callee answers and does nothing by itself");
        }
    }

    /** A script without a remote handle. */
    public CalleeScript(Kind kind, Duration ringFor, int failCause, List<DigitAt> digits, Duration hangupAfter,
                        Duration talkFor, Amd amd) {
        this(kind, ringFor, failCause, digits, hangupAfter, talkFor, amd, null);
    }

    /**
     * A callee driven by {@code remote}: rings {@code ringFor}, answers silently (AMD HUMAN), then presses the keys
     * and hangs up when the handle says so; otherwise stays on the line until the app hangs up.
     */
    public static CalleeScript remote(RemoteCallee remote, Duration ringFor) {
        java.util.Objects.requireNonNull(remote, "remote");
        return new CalleeScript(Kind.ANSWER, ringFor, 0, List.of(), null, Duration.ZERO, Amd.HUMAN, remote);
    }

    /** Answers after ringing {@code ringFor}; a human (AMD HUMAN) who says "hello" (0.8 s) and stays on the line. */
    public static CalleeScript answerAfter(Duration ringFor) {
        return new CalleeScript(Kind.ANSWER, ringFor, 0, List.of(), null, Duration.ofMillis(800), Amd.HUMAN, null);
    }

    /** An answering machine: answers after {@code ringFor}, plays a 6 s greeting, AMD says MACHINE. */
    public static CalleeScript machine(Duration ringFor) {
        return new CalleeScript(Kind.ANSWER, ringFor, 0, List.of(), Duration.ofSeconds(30), Duration.ofSeconds(6),
            Amd.MACHINE, null);
    }

    /** Rings until the originate timeout (cause 19, no NOANSWER event). */
    public static CalleeScript noAnswer() {
        return new CalleeScript(Kind.NO_ANSWER, Duration.ZERO, 0, List.of(), null, Duration.ZERO, Amd.NO_AUDIO, null);
    }

    /** Fails with {@code cause} after {@code after} (ringing meanwhile when {@code after} is not zero). */
    public static CalleeScript fail(int cause, Duration after) {
        return new CalleeScript(Kind.FAIL, after, cause, List.of(), null, Duration.ZERO, Amd.NO_AUDIO, null);
    }

    /** User busy, cause 17. */
    public static CalleeScript busy(Duration after) {
        return fail(17, after);
    }

    /** Circuit/channel congestion, cause 34. */
    public static CalleeScript congestion(Duration after) {
        return fail(34, after);
    }

    /** Unallocated (unassigned) number, cause 1, at once. */
    public static CalleeScript invalidNumber() {
        return fail(1, Duration.ZERO);
    }

    /** Call rejected, cause 21, after {@code after}. */
    public static CalleeScript rejected(Duration after) {
        return fail(21, after);
    }

    /** Adds digits sent {@code after} the answer. */
    public CalleeScript withDigits(Duration after, String digitsToSend) {
        List<DigitAt> all = new ArrayList<>(digits);
        all.add(new DigitAt(after, digitsToSend));
        all.sort((a, b) -> a.after().compareTo(b.after()));
        return new CalleeScript(kind, ringFor, failCause, all, hangupAfter, talkFor, amd, remote);
    }

    /** The callee hangs up {@code after} the answer (cause 16). */
    public CalleeScript withHangupAfter(Duration after) {
        return new CalleeScript(kind, ringFor, failCause, digits, after, talkFor, amd, remote);
    }

    /** The callee speaks for {@code talk} right after answering. */
    public CalleeScript withTalk(Duration talk) {
        return new CalleeScript(kind, ringFor, failCause, digits, hangupAfter, talk, amd, remote);
    }

    /** What AMD() decides for this callee. */
    public CalleeScript withAmd(Amd verdict) {
        return new CalleeScript(kind, ringFor, failCause, digits, hangupAfter, talkFor, verdict, remote);
    }
}
