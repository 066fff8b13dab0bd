package io.outdial.sandbox.pbx.impl;

import io.outdial.sandbox.pbx.CalleeScript;
import java.util.List;

/**
 * One originate: the originated channel ({@link #origin}, the Local ;1 half or the trunk channel), the Local ;2
 * half ({@link #callee}, null on trunks) and the called party's program being interpreted.
 */
final class Call {

    /** How the answered channel reaches the app. */
    enum Mode { APP, CONTEXT }

    final Mode mode;
    final String appName;
    final String appArgs;
    final String context;
    final String extension;
    final int priority;
    final String dialstring;
    final List<Step> steps;
    final CalleeScript.Amd amd;

    Channel origin;
    Channel callee;
    int stepIndex = -1;
    /** Virtual time the current step was due: the next timed step is scheduled from here, not from "now". */
    long due;
    long stepTimer = -1;
    long timeoutTimer = -1;
    long amdTimer = -1;
    boolean answered;
    volatile boolean ended;
    /** The ;2 Answer() is waiting for media from ;1 before its next priority. */
    boolean awaitingMedia;
    /** Virtual time at which the callee's current audio (Playback on the called side) started, or -1. */
    long audioSince = -1;
    /** Audio milliseconds the callee sent so far (ended playbacks). */
    long audioMillis;
    /** True for Local channels: recordings only get the frames the callee plays. */
    final boolean local;
    /** A remote-controlled callee's handle (attached at the answer), or null. */
    io.outdial.sandbox.pbx.RemoteCallee remote;
    /** Virtual time the remote callee's last key press is due: the next keys follow it. */
    long remoteKeysDue;

    Call(Mode mode, String appName, String appArgs, String context, String extension, int priority,
         String dialstring, List<Step> steps, CalleeScript.Amd amd, boolean local) {
        this.mode = mode;
        this.appName = appName;
        this.appArgs = appArgs;
        this.context = context;
        this.extension = extension;
        this.priority = priority;
        this.dialstring = dialstring;
        this.steps = steps;
        this.amd = amd;
        this.local = local;
    }

    /** Audio the callee has sent up to {@code now}. */
    long audioUntil(long now) {
        return audioMillis + (audioSince >= 0 ? now - audioSince : 0);
    }
}
