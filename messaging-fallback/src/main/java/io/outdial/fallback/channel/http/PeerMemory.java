package io.outdial.fallback.channel.http;

import io.outdial.fallback.channel.ChatPeers;
import io.outdial.fallback.scheme.ChannelType;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A chat channel's view of {@link ChatPeers}: an in-process cache (the latest {@value #CACHED} peers) in front of
 * the durable store, written through on a worker thread (the send or callback that learnt it does not wait) and
 * read on a worker when the cache cannot answer.
 */
public final class PeerMemory {
    private static final Logger LOG = LoggerFactory.getLogger(PeerMemory.class);
    /** Peers kept in the process. */
    static final int CACHED = 100_000;

    private final Vertx vertx;
    private final ChannelType channel;
    private final ChatPeers cache = ChatPeers.inMemory(CACHED);
    private final ChatPeers durable;

    /** The memory of {@code channel}; {@code durable} may be null (the process only). */
    public PeerMemory(Vertx vertx, ChannelType channel, ChatPeers durable) {
        this.vertx = vertx;
        this.channel = channel;
        this.durable = durable;
    }

    /** Remembers a bot user's number and last token. */
    public void botUser(String userId, String address, String lastToken) {
        cache.botUser(channel, userId, address, lastToken);
        if (durable != null) {
            vertx.executeBlocking(() -> {
                durable.botUser(channel, userId, address, lastToken);
                return null;
            }, false).onFailure(e -> LOG.warn("{}: could not store bot user {}: {}", channel, userId, e.toString()));
        }
    }

    /** The bot user as this process knows it, or null. */
    public ChatPeers.BotUser cachedBotUser(String userId) {
        return cache.botUser(channel, userId);
    }

    /** The bot user from the cache, else from the durable store (null when unknown). */
    public Future<ChatPeers.BotUser> botUser(String userId) {
        ChatPeers.BotUser known = cache.botUser(channel, userId);
        if (known != null || durable == null) {
            return Future.succeededFuture(known);
        }
        return vertx.executeBlocking(() -> {
            ChatPeers.BotUser found = durable.botUser(channel, userId);
            if (found != null) {
                cache.botUser(channel, userId, found.address(), found.lastToken());
            }
            return found;
        }, false);
    }

    /** Remembers a message from {@code address}. */
    public void inbound(String address, Instant at) {
        cache.inbound(channel, address, at);
        if (durable != null) {
            vertx.executeBlocking(() -> {
                durable.inbound(channel, address, at);
                return null;
            }, false).onFailure(e -> LOG.warn("{}: could not store a message time of {}: {}", channel, address,
                e.toString()));
        }
    }

    /** The cached last message time of {@code address}, or null. */
    public Instant cachedLastInbound(String address) {
        return cache.lastInbound(channel, address);
    }

    /**
     * The last message time of {@code address}: the cached one when it is {@code enough}, else the durable
     * store's (another node or an earlier run of this one may know a later one); null when none is known.
     */
    public Future<Instant> lastInbound(String address, Predicate<Instant> enough) {
        Instant cached = cache.lastInbound(channel, address);
        if (durable == null || cached != null && enough.test(cached)) {
            return Future.succeededFuture(cached);
        }
        return vertx.executeBlocking(() -> {
            Instant stored = durable.lastInbound(channel, address);
            if (stored != null) {
                cache.inbound(channel, address, stored);
            }
            return stored == null || cached != null && cached.isAfter(stored) ? cached : stored;
        }, false);
    }
}
