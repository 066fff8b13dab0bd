package io.outdial.fallback.channel;

import io.outdial.fallback.scheme.ChannelType;
import java.time.Duration;
import java.util.Map;

/**
 * One message (or, for Voice, one call) to send.
 *
 * @param id          the engine's message id, unique; a channel may use it to refuse a repeat
 * @param runId       the run it belongs to (for logs and the Voice channel)
 * @param blockId     the scheme block that sends it
 * @param channel     the channel kind
 * @param to          recipient address (phone number in E.164 for SMS and Voice)
 * @param content     rendered content by key ({@code text}, {@code flow}, {@code url})
 * @param fields      the recipient's contact fields
 * @param maxSegments SMS only: the most parts the text may take
 * @param decisionTime the block's decision time: HTTP channels retry a send within it; null when unknown
 */
public record OutboundMessage(String id, String runId, String blockId, ChannelType channel, String to,
                              Map<String, String> content, Map<String, String> fields, int maxSegments,
                              Duration decisionTime) {
    public OutboundMessage {
        content = Map.copyOf(content);
        fields = Map.copyOf(fields);
    }

    /** A message without a decision time. */
    public OutboundMessage(String id, String runId, String blockId, ChannelType channel, String to,
                           Map<String, String> content, Map<String, String> fields, int maxSegments) {
        this(id, runId, blockId, channel, to, content, fields, maxSegments, null);
    }

    /** The {@code text} content, or null. */
    public String text() {
        return content.get("text");
    }
}
