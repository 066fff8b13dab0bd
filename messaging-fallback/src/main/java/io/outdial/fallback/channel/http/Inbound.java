package io.outdial.fallback.channel.http;

import io.outdial.fallback.channel.ChannelEvent;
import java.util.List;

/**
 * What a verified inbound webhook carried: events for the engine, and the provider ids whose statuses must
 * belong to a known message (an unknown one refuses the whole request).
 *
 * @param events       statuses and replies, in payload order
 * @param mustBeKnown  provider ids of the status events
 */
public record Inbound(List<ChannelEvent> events, List<String> mustBeKnown) {
    public Inbound {
        events = List.copyOf(events);
        mustBeKnown = List.copyOf(mustBeKnown);
    }
}
