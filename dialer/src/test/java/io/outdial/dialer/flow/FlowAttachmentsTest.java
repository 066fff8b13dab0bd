package io.outdial.dialer.flow;

import io.outdial.dialer.cli.ValidateFileCommandTest;
import io.outdial.dialer.support.MigratedDatabases;
import io.outdial.ivr.flow.Flow;
import io.outdial.ivr.flow.FlowDocuments;
import io.outdial.ivr.tts.FreeTtsEngine;
import io.outdial.ivr.tts.TtsCache;
import io.outdial.ivr.tts.TtsRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** Attaching stored flow versions: valid only, one runner per version, render-ahead called with the flow. */
class FlowAttachmentsTest {
    private final Vertx vertx = Vertx.vertx();
    private final JdbcFlowStore store = new JdbcFlowStore(MigratedDatabases.h2(), Clock.systemUTC(),
        new TtsRegistry(List.of(new FreeTtsEngine())));
    private final List<Flow> rendered = new CopyOnWriteArrayList<>();
    private final FlowAttachments attachments = new FlowAttachments(vertx, store, f -> {
        rendered.add(f);
        return Future.succeededFuture(new TtsCache.RenderAheadReport(3, 0, List.of()));
    });

    @AfterEach
    void close() {
        vertx.close().await();
    }

    @Test
    void aValidVersionAttachesOnceWithItsPromptsRenderedAhead() throws Exception {
        String survey = Files.readString(ValidateFileCommandTest.example("survey-3-questions.json"));
        store.save("satisfaction-survey", survey, FlowDocuments.Format.JSON);
        FlowAttachments.Attached a = attachments.attach("satisfaction-survey", 1).await();
        assertThat(a.flow().version()).isEqualTo(1);
        assertThat(a.rendered().rendered()).isEqualTo(3);
        assertThat(attachments.attach("satisfaction-survey", 1).await().runner()).isSameAs(a.runner());
        assertThat(rendered).hasSize(1);
    }

    @Test
    void aDraftIsRefusedNamingItsErrorsAndCanBeRetriedAfterAFix() throws Exception {
        String survey = Files.readString(ValidateFileCommandTest.example("survey-3-questions.json"));
        store.save("satisfaction-survey", survey.replace("\"start\": \"intro\"", "\"start\": \"nope\""),
            FlowDocuments.Format.JSON);
        assertThat(attachments.attach("satisfaction-survey", 1).toCompletionStage().toCompletableFuture())
            .failsWithin(Duration.ofSeconds(5)).withThrowableThat().havingRootCause()
            .isInstanceOf(FlowStoreException.class).withMessageContaining("invalid draft");
        assertThat(attachments.attach("satisfaction-survey", 9).toCompletionStage().toCompletableFuture())
            .failsWithin(Duration.ofSeconds(5)).withThrowableThat().withMessageContaining("has no version 9");
        assertThat(rendered).isEmpty();
    }
}
