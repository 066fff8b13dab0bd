package io.outdial.sandbox.pbx.impl;

import io.vertx.core.json.JsonObject;
import java.util.List;

/** A playback on a channel: its media list, which one plays, and its timer. */
final class Playback {

    final String id;
    final Channel channel;
    final List<String> media;
    int index;
    String state = "queued";
    long timer = -1;
    /** Virtual time the current media started. */
    long mediaStart;
    boolean finished;
    /** The current {@code sound:http} item as fetched (for the PBX log), or null. */
    io.outdial.sandbox.pbx.PbxLog.Media fetched;

    Playback(String id, Channel channel, List<String> media) {
        this.id = id;
        this.channel = channel;
        this.media = List.copyOf(media);
    }

    String currentUri() {
        return media.get(Math.min(index, media.size() - 1));
    }

    JsonObject json() {
        JsonObject json = new JsonObject().put("id", id).put("media_uri", currentUri());
        if (index + 1 < media.size() && !finished) {
            json.put("next_media_uri", media.get(index + 1));
        }
        return json.put("target_uri", "channel:" + channel.id).put("language", "en").put("state", state);
    }
}
