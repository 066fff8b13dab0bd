package io.outdial.sandbox.pbx.impl;

import io.vertx.core.json.JsonObject;

/** A live recording on a channel. */
final class Recording {

    final String name;
    final String format;
    final Channel channel;
    final String terminateOn;
    final long startedAt;
    final long audioAtStart;
    String state = "queued";
    long maxTimer = -1;
    long silenceTimer = -1;
    /** maxDurationSeconds in ms, 0 = unlimited. */
    long maxMillis;

    Recording(String name, String format, Channel channel, String terminateOn, long startedAt, long audioAtStart) {
        this.name = name;
        this.format = format;
        this.channel = channel;
        this.terminateOn = terminateOn;
        this.startedAt = startedAt;
        this.audioAtStart = audioAtStart;
    }

    boolean terminatesOn(String digit) {
        return "any".equals(terminateOn) || (terminateOn != null && !"none".equals(terminateOn)
            && terminateOn.contains(digit));
    }

    JsonObject json() {
        return new JsonObject().put("name", name).put("format", format).put("state", state)
            .put("target_uri", "channel:" + channel.id);
    }
}
