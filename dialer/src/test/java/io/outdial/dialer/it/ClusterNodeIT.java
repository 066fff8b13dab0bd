package io.outdial.dialer.it;

import io.outdial.dialer.cluster.ClusterConfig;
import io.outdial.dialer.cluster.ClusterNode;
import io.outdial.dialer.ready.DependencyStatus;
import io.outdial.dialer.support.Await;
import io.outdial.dialer.support.TestConfigs;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Collectors;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/** The embedded member on loopback: alone by default, reported in readiness, down after stop. */
class ClusterNodeIT {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void tearDown() {
        Await.result(vertx.close());
    }

    @Test
    void singleNodeMemberStartsAloneAndReportsUpThenDown() {
        ClusterConfig config = new ClusterConfig("outdial-it-" + TestConfigs.freePort(), "127.0.0.1",
            TestConfigs.freePort(), false, List.of());
        ClusterNode node = new ClusterNode(vertx, config, java.time.Clock.systemUTC());
        assertThat(Await.result(node.check()).stateName()).isEqualTo("DOWN");

        Await.result(node.start(), 120);
        DependencyStatus up = Await.result(node.check());

        assertThat(up.stateName()).isEqualTo("UP");
        assertThat(up.detail()).contains("1 member(s)").contains("single node");
        assertThat(node.memberId()).isNotEmpty();

        Await.result(node.stop(), 60);
        assertThat(Await.result(node.check()).stateName()).isEqualTo("DOWN");
    }

    @Test
    void singleNodeStartsWithoutAJoinWarning() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        root.addAppender(logged);
        try {
            ClusterNode node = new ClusterNode(vertx, new ClusterConfig("outdial-it-" + TestConfigs.freePort(),
                "127.0.0.1", TestConfigs.freePort(), false, List.of()), java.time.Clock.systemUTC());
            Await.result(node.start(), 120);
            Await.result(node.stop(), 60);
        } finally {
            root.detachAppender(logged);
        }
        String messages = logged.list.stream().map(ILoggingEvent::getFormattedMessage)
            .collect(Collectors.joining("\n"));
        // the node drops it itself: neither the shipped nor the tests' logging configuration names a filter
        assertThat(messages).contains("cluster member started").doesNotContain("No join method");
    }

    @Test
    void twoMembersWithJoinEnabledSeeEachOther() {
        String name = "outdial-it-" + TestConfigs.freePort();
        int portA = TestConfigs.freePort();
        int portB = TestConfigs.freePort();
        ClusterNode a = new ClusterNode(vertx, new ClusterConfig(name, "127.0.0.1", portA, true,
            List.of("127.0.0.1:" + portB)), java.time.Clock.systemUTC());
        ClusterNode b = new ClusterNode(vertx, new ClusterConfig(name, "127.0.0.1", portB, true,
            List.of("127.0.0.1:" + portA)), java.time.Clock.systemUTC());
        try {
            Await.result(a.start(), 120);
            Await.result(b.start(), 120);

            assertThat(a.memberCount()).isEqualTo(2);
            assertThat(b.memberCount()).isEqualTo(2);
        } finally {
            Await.result(b.stop(), 60);
            Await.result(a.stop(), 60);
        }
    }
}
