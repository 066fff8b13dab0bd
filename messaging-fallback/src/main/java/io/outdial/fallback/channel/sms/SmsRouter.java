package io.outdial.fallback.channel.sms;

import io.outdial.fallback.channel.Channel;
import io.outdial.fallback.channel.ChannelEvent;
import io.outdial.fallback.channel.OutboundMessage;
import io.outdial.fallback.channel.SendException;
import io.outdial.fallback.channel.Submitted;
import io.outdial.fallback.scheme.ChannelType;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SMS over several SMSCs, one {@link SmppChannel} each. A message's route candidates are the SMSCs whose
 * {@link SmscConfig#prefixes()} match its number, the longest matching prefix first, then shorter ones, then the
 * SMSCs without prefixes (they serve every number); among SMSCs matching equally well the order is drawn by
 * {@link SmscConfig#weight()}. A candidate that certainly takes nothing of the message (no bind bound, or its
 * first part throttled, queue full or not bound) is skipped for the next; the last candidate waits for a bind as
 * a lone {@link SmppChannel} does. A refusal or a submit left unanswered (the SMSC may have taken it) ends the
 * send: a message is never sent by two SMSCs.
 *
 * <p>Provider ids name the SMSC, since message ids of different SMSCs may be equal: {@code name:id}, except the
 * first SMSC's ids without a colon, which stay bare as a lone {@link SmppChannel} reports them (so a node that went
 * from one SMSC, or from several sending through the first, to routing still matches the receipts of messages sent
 * before). Receipts are reported under the same key, replies as they come.
 */
public final class SmsRouter implements Channel {

    private static final Logger LOG = LoggerFactory.getLogger(SmsRouter.class);

    private final List<SmppChannel> channels;
    private final String first;
    private final RandomGenerator random;
    private volatile Handler<ChannelEvent> handler = e -> { };

    /**
     * A router over these channels (their configs' names must differ).
     *
     * @param channels the SMSCs, in configuration order
     * @param random   draws the order among equally matching SMSCs
     */
    public SmsRouter(List<SmppChannel> channels, RandomGenerator random) {
        if (channels.isEmpty()) {
            throw new IllegalArgumentException("a router needs at least one SMSC");
        }
        Set<String> names = new HashSet<>();
        for (SmppChannel c : channels) {
            if (!names.add(c.config().name())) {
                throw new IllegalArgumentException("smsc name \"" + c.config().name() + "\" is used twice");
            }
        }
        this.channels = List.copyOf(channels);
        this.random = random;
        this.first = this.channels.get(0).config().name();
        for (SmppChannel c : this.channels) {
            String name = c.config().name();
            c.events(e -> handler.handle(qualified(name, e)));
        }
    }

    /** The provider id the router reports for an SMSC's message id. */
    public String providerId(String smsc, String messageId) {
        return smsc.equals(first) && messageId.indexOf(':') < 0 ? messageId : smsc + ":" + messageId;
    }

    /** The name of the SMSC that sent the message of a provider id the router reported. */
    public String smscOf(String providerId) {
        int colon = providerId.indexOf(':');
        return colon < 0 ? first : providerId.substring(0, colon);
    }

    @Override
    public ChannelType type() {
        return ChannelType.SMS;
    }

    @Override
    public void events(Handler<ChannelEvent> h) {
        this.handler = h;
    }

    @Override
    public Future<Submitted> send(OutboundMessage message) {
        List<SmscConfig> route = route(channels.stream().map(SmppChannel::config).toList(), message.to(), random);
        if (route.isEmpty()) {
            return Future.failedFuture(new SendException(SendException.Reason.INVALID, "no SMSC serves "
                    + message.to() + " (message " + message.id() + ")"));
        }
        return attempt(message, route, 0);
    }

    private Future<Submitted> attempt(OutboundMessage m, List<SmscConfig> route, int i) {
        SmppChannel ch = channel(route.get(i).name());
        String name = ch.config().name();
        boolean last = i == route.size() - 1;
        Future<Submitted> sent = last ? ch.send(m) : ch.sendOrPass(m);
        return sent.map(s -> new Submitted(s.providerIds().stream().map(id -> providerId(name, id)).toList(),
                s.segments())).recover(e -> {
                    if (e instanceof SmppChannel.NotTaken && !last) {
                        LOG.info("sms: message {} passed on from smsc {} to smsc {}: {}", m.id(), name,
                                route.get(i + 1).name(), e.getMessage());
                        return attempt(m, route, i + 1);
                    }
                    return Future.failedFuture(e);
                });
    }

    private SmppChannel channel(String name) {
        for (SmppChannel c : channels) {
            if (c.config().name().equals(name)) {
                return c;
            }
        }
        throw new IllegalStateException("no smsc " + name);
    }

    /**
     * The SMSCs a number may go through, in the order they are tried: by the length of the matching prefix, longest
     * first, SMSCs without prefixes last, SMSCs with prefixes none of which matches left out; equally long matches
     * in an order drawn by weight (the first one is each SMSC's weight divided by their sum).
     */
    static List<SmscConfig> route(List<SmscConfig> smscs, String number, RandomGenerator random) {
        Map<Integer, List<SmscConfig>> byLength = new LinkedHashMap<>();
        String to = number == null ? "" : number;
        for (SmscConfig c : smscs) {
            int len = -1;
            if (c.prefixes().isEmpty()) {
                len = 0;
            } else {
                for (String p : c.prefixes()) {
                    if (to.startsWith(p)) {
                        len = Math.max(len, p.length());
                    }
                }
            }
            if (len >= 0) {
                byLength.computeIfAbsent(len, k -> new ArrayList<>()).add(c);
            }
        }
        List<SmscConfig> out = new ArrayList<>();
        byLength.keySet().stream().sorted((a, b) -> Integer.compare(b, a))
                .forEach(len -> out.addAll(weighted(byLength.get(len), random)));
        return out;
    }

    private static List<SmscConfig> weighted(List<SmscConfig> equals, RandomGenerator random) {
        List<SmscConfig> left = new ArrayList<>(equals);
        List<SmscConfig> out = new ArrayList<>();
        while (!left.isEmpty()) {
            int total = left.stream().mapToInt(SmscConfig::weight).sum();
            int draw = random.nextInt(total);
            for (int i = 0; i < left.size(); i++) {
                draw -= left.get(i).weight();
                if (draw < 0) {
                    out.add(left.remove(i));
                    break;
                }
            }
        }
        return out;
    }

    private ChannelEvent qualified(String name, ChannelEvent e) {
        if (e instanceof ChannelEvent.StatusReport r) {
            return new ChannelEvent.StatusReport(r.channel(), providerId(name, r.providerId()), r.status(), r.error(),
                    r.at());
        }
        return e;
    }
}
