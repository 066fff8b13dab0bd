package io.outdial.fallback.support;

import io.outdial.fallback.channel.Channel;
import io.outdial.fallback.channel.ChannelEvent;
import io.outdial.fallback.channel.OutboundMessage;
import io.outdial.fallback.channel.SendException;
import io.outdial.fallback.channel.Submitted;
import io.outdial.fallback.scheme.ChannelType;
import io.outdial.fallback.sms.SmsSplit;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A channel that accepts at once (provider ids {@code <type>-<n>[.<part>]}), or holds submits until a test
 * releases them, or fails them.
 */
public final class FakeChannel implements Channel {

    private final ChannelType type;
    private final List<OutboundMessage> sent = new CopyOnWriteArrayList<>();
    private final Map<String, Promise<Submitted>> held = new ConcurrentHashMap<>();
    private final Map<String, List<String>> providerIds = new ConcurrentHashMap<>();
    private final AtomicInteger counter = new AtomicInteger();
    private volatile boolean hold;
    private volatile SendException failWith;
    private volatile Handler<ChannelEvent> handler;

    public FakeChannel(ChannelType type) {
        this.type = type;
    }

    @Override
    public ChannelType type() {
        return type;
    }

    @Override
    public Future<Submitted> send(OutboundMessage message) {
        sent.add(message);
        if (failWith != null) {
            return Future.failedFuture(failWith);
        }
        int n = counter.incrementAndGet();
        int parts = type == ChannelType.SMS ? SmsSplit.of(message.text()).segments() : 1;
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= parts; i++) {
            ids.add(type.json() + "-" + n + (parts > 1 ? "." + i : ""));
        }
        providerIds.put(message.id(), ids);
        Submitted s = new Submitted(ids, parts);
        if (hold) {
            Promise<Submitted> p = Promise.promise();
            held.put(message.id(), p);
            return p.future();
        }
        return Future.succeededFuture(s);
    }

    @Override
    public void events(Handler<ChannelEvent> h) {
        this.handler = h;
    }

    /** Holds the next submits until {@link #release}. */
    public void hold(boolean on) {
        hold = on;
    }

    /** Fails every submit with this, or stops failing with null. */
    public void failWith(SendException e) {
        failWith = e;
    }

    /** Completes a held submit. */
    public void release(String messageId) {
        held.remove(messageId).complete(new Submitted(providerIds.get(messageId), providerIds.get(messageId).size()));
    }

    /** Messages submitted, in order. */
    public List<OutboundMessage> sent() {
        return List.copyOf(sent);
    }

    /** The provider ids the fake gave (or will give) a message. */
    public List<String> providerIds(String messageId) {
        return providerIds.get(messageId);
    }

    /** Ids of held submits. */
    public List<String> held() {
        return List.copyOf(held.keySet());
    }

    public Handler<ChannelEvent> handler() {
        return handler;
    }
}
