package io.outdial.dialer.flow;

import io.outdial.dialer.cli.ValidateFileCommandTest;
import io.outdial.dialer.call.CallOutcome;
import io.outdial.dialer.call.CallRecord;
import io.outdial.dialer.call.CallRecordRows;
import io.outdial.dialer.call.CallState;
import io.outdial.dialer.call.OutcomeKind;
import io.outdial.dialer.support.DatabaseTest;
import io.outdial.dialer.support.MutableClock;
import io.outdial.ivr.flow.FlowDocuments;
import io.outdial.ivr.spi.FlowResult;
import io.outdial.ivr.survey.SurveyReport;
import io.outdial.ivr.tts.FreeTtsEngine;
import io.outdial.ivr.tts.TtsRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Flow versions and stored flow results on every database a subclass supplies. */
public abstract class FlowStoreContract implements DatabaseTest {
    static final String SURVEY = "satisfaction-survey";
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T09:00:00Z"));
    private JdbcFlowStore store;
    private String survey;

    @BeforeEach
    void setUp() throws IOException {
        store = new JdbcFlowStore(dataSource(), clock, new TtsRegistry(List.of(new FreeTtsEngine())));
        survey = Files.readString(ValidateFileCommandTest.example("survey-3-questions.json"));
    }

    @Test
    void eachChangedSaveIsANewVersionAndTheSameTextIsNot() {
        JdbcFlowStore.SavedVersion first = store.saveVersion(SURVEY, survey, FlowDocuments.Format.JSON);
        assertThat(first.created()).isTrue();
        assertThat(first.version().version()).isEqualTo(1);
        assertThat(first.version().valid()).isTrue();
        assertThat(store.save(SURVEY, survey, FlowDocuments.Format.JSON).created()).isFalse();
        clock.advance(Duration.ofMinutes(5));
        String edited = survey.replace("Goodbye.", "Bye now.");
        JdbcFlowStore.SavedVersion second = store.saveVersion(SURVEY, edited, FlowDocuments.Format.JSON);
        assertThat(second.created()).isTrue();
        assertThat(second.version().version()).isEqualTo(2);
        assertThat(second.version().savedAt()).isEqualTo(Instant.parse("2026-11-23T09:05:00Z"));
        assertThat(store.versions(SURVEY)).extracting(FlowVersion::version).containsExactly(1, 2);
        assertThat(store.latest(SURVEY)).get().extracting(FlowVersion::document).isEqualTo(edited);
    }

    @Test
    void aRunningCampaignKeepsTheVersionItStartedWith() {
        store.save(SURVEY, survey, FlowDocuments.Format.JSON);
        store.save(SURVEY, survey.replace("Goodbye.", "Bye now."), FlowDocuments.Format.JSON);
        assertThat(store.load(SURVEY, 1)).get().extracting(FlowVersion::document).isEqualTo(survey);
        assertThat(store.runner(SURVEY, 1).flow().version()).isEqualTo(1);
        assertThat(store.runner(SURVEY, 2).flow().version()).as("the store's number runs, not the document's")
            .isEqualTo(2);
        assertThat(store.load(SURVEY, 3)).isEmpty();
    }

    @Test
    void anInvalidDraftIsSavedWithItsErrorsButIsNeverAttachable() {
        String broken = survey.replace("\"next\": \"q1\"", "\"next\": \"q9\"");
        JdbcFlowStore.SavedVersion draft = store.saveVersion(SURVEY, broken, FlowDocuments.Format.JSON);
        assertThat(draft.version().valid()).isFalse();
        assertThat(store.load(SURVEY, 1)).get().satisfies(v -> assertThat(v.errors())
            .anySatisfy(e -> assertThat(e).contains("$.nodes.intro.next [node intro]").contains("\"q9\"")));
        assertThat(store.attachable(SURVEY, 1)).isFalse();
        assertThatThrownBy(() -> store.runner(SURVEY, 1)).isInstanceOf(FlowStoreException.class)
            .hasMessageContaining("invalid draft");
        store.save(SURVEY, survey, FlowDocuments.Format.JSON);
        assertThat(store.attachable(SURVEY, 2)).isTrue();
        assertThat(store.attachable(SURVEY, 7)).isFalse();
    }

    @Test
    void aSyntaxErrorWithLineBreaksAndADocumentIdMismatchAreKeptAsErrors() {
        store.save("other", "{\n\"id\": \"x\",\n", FlowDocuments.Format.JSON);
        assertThat(store.load("other", 1)).get().satisfies(v -> {
            assertThat(v.valid()).isFalse();
            assertThat(v.errors()).isNotEmpty().allSatisfy(e -> assertThat(e).startsWith("ERROR"));
        });
        store.save("renamed", survey, FlowDocuments.Format.JSON);
        assertThat(store.load("renamed", 1)).get().satisfies(v -> assertThat(v.errors())
            .anySatisfy(e -> assertThat(e).contains("document id \"satisfaction-survey\" differs from the flow id")));
    }

    @Test
    void flowResultsStoredWithCallRecordsAreAggregatedPerQuestion() {
        List<CallRecord> calls = new java.util.ArrayList<>();
        calls.add(ended("a1", "camp-1", result(Map.of("q1", "1", "q2", "9", "q3", "2"), FlowResult.Completion.COMPLETED,
            "end", "intro", "q1", "q2", "band", "promoter", "q3", "thanks", "bye", "end")));
        calls.add(ended("a2", "camp-1", result(Map.of("q1", "2"), FlowResult.Completion.LEFT_EARLY, "q2",
            "intro", "q1", "q2")));
        calls.add(ended("a3", "camp-2", result(Map.of("q1", "1"), FlowResult.Completion.LEFT_EARLY, "q2",
            "intro", "q1", "q2")));
        calls.forEach(r -> CallRecordRows.save(dataSource(), r));
        FlowResults results = new FlowResults(dataSource());
        assertThat(results.ofCampaign("camp-1")).hasSize(2);
        SurveyReport report = results.aggregates(store.runner(saveSurvey(), 1).flow(), "camp-1");
        assertThat(report.runs()).isEqualTo(2);
        assertThat(report.completed()).isEqualTo(1);
        assertThat(report.leftEarly()).isEqualTo(1);
        assertThat(report.questions().get(0).counts()).containsEntry("1", 1L).containsEntry("2", 1L);
        assertThat(report.dropOffByNode()).containsEntry("q2", 1L);
    }

    private String saveSurvey() {
        store.save(SURVEY, survey, FlowDocuments.Format.JSON);
        return SURVEY;
    }

    static FlowResult result(Map<String, String> answers, FlowResult.Completion completion, String endNode,
                             String... path) {
        return new FlowResult(SURVEY, 1, List.of(path), answers, Map.of(), Map.of(), false, null, false, List.of(),
            completion, endNode);
    }

    static CallRecord ended(String attemptId, String campaignId, FlowResult result) {
        Instant t = Instant.parse("2026-11-23T09:00:00Z");
        return new CallRecord(attemptId, campaignId, "c-" + attemptId, "+15550001111", "carrier", null, "sandbox",
            "ch-" + attemptId, CallState.ENDED, t, t, t, t.plusSeconds(20),
            CallOutcome.of(OutcomeKind.ANSWERED, 16, "").withFlowResult(result), null, null, "", List.of());
    }
}
