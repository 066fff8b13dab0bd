package io.outdial.fallback.channel;

import io.outdial.fallback.scheme.ChannelType;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the chat channels know about their peers beyond one request: the phone number a Viber bot user id stands
 * for (with the last message token sent to that user), and when a WhatsApp user last wrote (which opens their
 * 24-hour window). The dialer keeps it in its database, so a restarted node, or another node of the cluster,
 * still stop-lists the right number when a bot user unsubscribes and still knows an open window;
 * {@link #inMemory(int)} keeps it in the process. Blocking: the channels call it on worker threads.
 */
public interface ChatPeers {

    /** A bot user's phone number and the last message token sent to that user. */
    record BotUser(String address, String lastToken) {
    }

    /** Records that {@code userId} of {@code channel} was sent {@code lastToken} at {@code address}. */
    void botUser(ChannelType channel, String userId, String address, String lastToken);

    /** The user's number and last token, or null when no node has sent to that user. */
    BotUser botUser(ChannelType channel, String userId);

    /** Records a message from {@code address} at {@code at} (an earlier time than the one kept changes nothing). */
    void inbound(ChannelType channel, String address, Instant at);

    /** When {@code address} last wrote on {@code channel}, or null. */
    Instant lastInbound(ChannelType channel, String address);

    /** Kept in this process only: at most {@code capacity} bot users and as many inbound times (oldest dropped). */
    static ChatPeers inMemory(int capacity) {
        return new ChatPeers() {
            private final Map<String, BotUser> users = lru(capacity);
            private final Map<String, Instant> inbound = lru(capacity);

            @Override
            public void botUser(ChannelType channel, String userId, String address, String lastToken) {
                synchronized (users) {
                    users.put(channel + "/" + userId, new BotUser(address, lastToken));
                }
            }

            @Override
            public BotUser botUser(ChannelType channel, String userId) {
                synchronized (users) {
                    return users.get(channel + "/" + userId);
                }
            }

            @Override
            public void inbound(ChannelType channel, String address, Instant at) {
                synchronized (inbound) {
                    inbound.merge(channel + "/" + address, at, (a, b) -> a.isAfter(b) ? a : b);
                }
            }

            @Override
            public Instant lastInbound(ChannelType channel, String address) {
                synchronized (inbound) {
                    return inbound.get(channel + "/" + address);
                }
            }
        };
    }

    private static <V> Map<String, V> lru(int capacity) {
        return new LinkedHashMap<>(256, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > capacity;
            }
        };
    }
}
