package io.outdial.dialer.cascade;

import io.outdial.dialer.support.MutableClock;
import io.outdial.fallback.channel.ChatPeers;
import io.outdial.fallback.scheme.ChannelType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link JdbcChatPeers} on each database: what one node writes another reads; concurrent first writes. */
abstract class ChatPeersContract {

    abstract DataSource dataSource();

    private ChatPeers peers() {
        return new JdbcChatPeers(this::dataSource, new MutableClock(Instant.parse("2026-12-05T10:00:00Z")));
    }

    @Test
    void aBotUserIsReadBackByAnotherInstanceWithItsLatestNumberAndToken() {
        ChatPeers a = peers();
        assertThat(a.botUser(ChannelType.VIBER, "u1")).isNull();
        a.botUser(ChannelType.VIBER, "u1", "+33612340001", "111");
        a.botUser(ChannelType.VIBER, "u1", "+33612340001", "222");
        ChatPeers b = peers();
        assertThat(b.botUser(ChannelType.VIBER, "u1")).isEqualTo(new ChatPeers.BotUser("+33612340001", "222"));
        assertThat(b.botUser(ChannelType.WHATSAPP, "u1")).isNull();
    }

    @Test
    void theLatestInboundTimeIsKeptAndAnEarlierOneChangesNothing() {
        ChatPeers a = peers();
        Instant t1 = Instant.parse("2026-12-05T09:00:00Z");
        Instant t2 = Instant.parse("2026-12-05T09:30:00Z");
        assertThat(a.lastInbound(ChannelType.WHATSAPP, "+33612340002")).isNull();
        a.inbound(ChannelType.WHATSAPP, "+33612340002", t2);
        a.inbound(ChannelType.WHATSAPP, "+33612340002", t1);
        assertThat(peers().lastInbound(ChannelType.WHATSAPP, "+33612340002")).isEqualTo(t2);
        assertThat(peers().lastInbound(ChannelType.VIBER, "+33612340002")).isNull();
    }

    @Test
    void concurrentFirstWritesOfOneKeyAllSucceed() throws Exception {
        int writers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            CyclicBarrier start = new CyclicBarrier(writers);
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                Instant at = Instant.parse("2026-12-05T09:00:00Z").plusSeconds(i);
                String token = String.valueOf(i);
                all.add(CompletableFuture.runAsync(() -> {
                    ChatPeers p = peers();
                    try {
                        start.await(30, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    p.inbound(ChannelType.WHATSAPP, "+33612340003", at);
                    p.botUser(ChannelType.VIBER, "u3", "+33612340003", token);
                }, pool));
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertThat(peers().lastInbound(ChannelType.WHATSAPP, "+33612340003"))
            .isEqualTo(Instant.parse("2026-12-05T09:00:07Z"));
        assertThat(peers().botUser(ChannelType.VIBER, "u3").address()).isEqualTo("+33612340003");
    }
}
