package io.outdial.dialer.call;

import io.outdial.dialer.ari.AriEvent;
import io.outdial.dialer.support.Transcripts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;
import java.util.TreeMap;

import static io.outdial.dialer.ari.TestAriEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

class OutcomeClassifierTest {

    /** transcript → expected outcome of its originated channel, or "OPEN" when the capture never ends it. */
    private static final Map<String, String> EXPECTED = new TreeMap<>(Map.ofEntries(
            Map.entry("100.jsonl", "ANSWERED"), Map.entry("100_cid.jsonl", "ANSWERED"),
            Map.entry("100_entry.jsonl", "OPEN"), Map.entry("100_n.jsonl", "ANSWERED"),
            Map.entry("100_play_hangup.jsonl", "ANSWERED"), Map.entry("101.jsonl", "ANSWERED"),
            Map.entry("102.jsonl", "BUSY"), Map.entry("103.jsonl", "NO_ANSWER"),
            Map.entry("103_timeout_5.jsonl", "NO_ANSWER"), Map.entry("104.jsonl", "CONGESTION"),
            Map.entry("105.jsonl", "ANSWERED"), Map.entry("106_play.jsonl", "ANSWERED"),
            Map.entry("112.jsonl", "BUSY"), Map.entry("114.jsonl", "CONGESTION"),
            Map.entry("999.jsonl", "FAILED"),
            Map.entry("amd_human.jsonl", "ANSWERED"), Map.entry("amd_machine.jsonl", "ANSWERED"),
            Map.entry("amd_notsure.jsonl", "ANSWERED"), Map.entry("amd_silence_frames.jsonl", "ANSWERED"),
            Map.entry("application_replaced.jsonl", "ANSWERED"), Map.entry("barge_in.jsonl", "ANSWERED"),
            Map.entry("callee_hangup_during_playback.jsonl", "ANSWERED"),
            Map.entry("originate_after_ws_closed.jsonl", "OPEN"),
            Map.entry("originate_variables_callerid.jsonl", "ANSWERED"),
            Map.entry("playback_http.jsonl", "ANSWERED"), Map.entry("record.jsonl", "ANSWERED"),
            Map.entry("transfer_bridge.jsonl", "ANSWERED"), Map.entry("ws_reconnect.jsonl", "ANSWERED"),
            Map.entry("ws_reconnect_call_ended.jsonl", "OPEN")));

    @Test
    void everyTranscriptClassifiesAsExpectedFromTheEventsOfItsOriginatedChannel() {
        assertThat(EXPECTED.keySet()).as("every transcript has a row").containsExactlyElementsOf(Transcripts.names());
        Map<String, String> actual = new TreeMap<>();
        for (String name : Transcripts.names()) {
            String channelId = Transcripts.originatedChannelId(name);
            OutcomeClassifier classifier = new OutcomeClassifier(channelId);
            Transcripts.eventJson(name).forEach(json -> classifier.accept(event(json)));
            actual.put(name, classifier.ended() ? classifier.outcome().kind().name() : "OPEN");
        }
        assertThat(actual).isEqualTo(EXPECTED);
    }

    @Test
    void busyWithCauseZeroOnTheStasisHalfIsBusyByDialStatus() {
        OutcomeClassifier c = classify("102.jsonl");
        assertThat(c.cause()).isZero();
        assertThat(c.outcome().detail()).contains("dial status BUSY");
    }

    @Test
    void noAnswerAtTheOriginateTimeoutComesFromCause19WithoutANoAnswerDialEvent() {
        OutcomeClassifier c = classify("103_timeout_5.jsonl");
        assertThat(c.dialstatus()).isEqualTo("RINGING");
        assertThat(c.outcome()).extracting(CallOutcome::kind, CallOutcome::cause)
                .containsExactly(OutcomeKind.NO_ANSWER, 19);
    }

    @ParameterizedTest(name = "cause {0} -> {1}")
    @CsvSource({"17,BUSY", "18,NO_ANSWER", "19,NO_ANSWER", "34,CONGESTION", "38,CONGESTION", "41,CONGESTION",
        "42,CONGESTION", "1,INVALID_NUMBER", "3,INVALID_NUMBER", "28,INVALID_NUMBER", "21,REJECTED",
        "16,FAILED", "0,FAILED"})
    void destroyCauseDecidesWhenThereIsNoAnswerAndNoFinalDialStatus(int cause, OutcomeKind expected) {
        OutcomeClassifier c = new OutcomeClassifier("c1");
        c.accept(dial("c1", "RINGING"));
        c.accept(destroyed("c1", cause));
        assertThat(c.outcome().kind()).isEqualTo(expected);
        assertThat(c.outcome().cause()).isEqualTo(cause);
    }

    @ParameterizedTest(name = "dialstatus {0} with cause {1} -> {2}")
    @CsvSource({"BUSY,0,BUSY", "CONGESTION,0,CONGESTION", "NOANSWER,16,NO_ANSWER", "CHANUNAVAIL,0,CONGESTION",
        "CHANUNAVAIL,1,INVALID_NUMBER", "BUSY,34,BUSY", "ANSWER,16,ANSWERED", "CANCEL,19,NO_ANSWER"})
    void finalDialStatusWinsOverTheCause(String dialstatus, int cause, OutcomeKind expected) {
        OutcomeClassifier c = new OutcomeClassifier("c1");
        c.accept(dial("c1", dialstatus));
        c.accept(destroyed("c1", cause));
        assertThat(c.outcome().kind()).isEqualTo(expected);
    }

    @Test
    void hangupRequestCauseIsNeverUsed() {
        OutcomeClassifier c = new OutcomeClassifier("c1");
        c.accept(event("{\"type\":\"ChannelHangupRequest\",\"cause\":17,\"channel\":{\"id\":\"c1\"}}"));
        c.accept(destroyed("c1", 19));
        assertThat(c.outcome().kind()).isEqualTo(OutcomeKind.NO_ANSWER);
    }

    @Test
    void eventsOfTheOtherLocalHalfAreIgnored() {
        OutcomeClassifier c = new OutcomeClassifier("c1");
        c.accept(destroyed("c1-2", 17));
        assertThat(c.ended()).isFalse();
    }

    private static OutcomeClassifier classify(String name) {
        OutcomeClassifier c = new OutcomeClassifier(Transcripts.originatedChannelId(name));
        Transcripts.eventJson(name).forEach(json -> c.accept(event(json)));
        return c;
    }

    static AriEvent dial(String id, String status) {
        return event("{\"type\":\"Dial\",\"dialstatus\":\"" + status + "\",\"peer\":{\"id\":\""
                + id + "\"}}");
    }

    static AriEvent destroyed(String id, int cause) {
        return event("{\"type\":\"ChannelDestroyed\",\"cause\":" + cause + ",\"channel\":{\"id\":\""
                + id + "\"}}");
    }
}
