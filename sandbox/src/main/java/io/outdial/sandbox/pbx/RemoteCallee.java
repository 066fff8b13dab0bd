package io.outdial.sandbox.pbx;

import java.util.Objects;

/**
 * A called party driven from outside while its call lives: it answers (see {@link CalleeScript#remote}), then
 * presses the keys it is told to press and hangs up when told to. The PBX attaches the live call once the callee
 * has answered; before that (ringing, or no call yet) and after the call ended, {@link #press} and {@link #hangUp}
 * do nothing and answer false. Safe to call from any thread: the actions run on the PBX context.
 */
public final class RemoteCallee {

    /** The PBX's side of an answered call, attached by the PBX (not for use by the holder of the handle). */
    public interface Line {
        /** Sends {@code digits} to the app as the callee's key presses, one after the other. */
        void press(String digits);

        /** The callee hangs up (cause 16). */
        void hangUp();

        /** Whether the call still lives. */
        boolean live();
    }

    private volatile Line line;

    /** Called by the PBX when the callee answers. */
    public void attach(Line answered) {
        this.line = Objects.requireNonNull(answered, "line");
    }

    /** Whether the callee has answered and the call still lives. */
    public boolean connected() {
        Line l = line;
        return l != null && l.live();
    }

    /**
     * Presses {@code digits} (0-9 * # A-D) on the live call: each arrives as a {@code ChannelDtmfReceived} about
     * 200 ms after the previous key (450 ms apart, as a scripted callee's keys). False when not connected.
     */
    public boolean press(String digits) {
        if (digits == null || !digits.matches("[0-9*#A-D]{1,32}")) {
            throw new IllegalArgumentException("digits \"" + digits + "\" must be 1-32 of 0-9 * # A-D");
        }
        Line l = line;
        if (l == null || !l.live()) {
            return false;
        }
        l.press(digits);
        return true;
    }

    /** Hangs up the live call as the callee (cause 16 "Normal Clearing"). False when not connected. */
    public boolean hangUp() {
        Line l = line;
        if (l == null || !l.live()) {
            return false;
        }
        l.hangUp();
        return true;
    }
}
