package io.outdial.ivr.support;

import io.outdial.ivr.spi.CallControl;
import io.outdial.ivr.spi.CallEvent;
import io.outdial.ivr.spi.FlowSession;
import io.outdial.ivr.spi.Prompt;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A scripted {@link CallControl}: records every command and plays the callee. Timers run on a manual clock
 * advanced by {@link #advance(Duration)}; nothing sleeps. After a hangup every command is a no-op, as in the SPI.
 */
public final class FakeCallControl implements CallControl {

    /** A command the flow gave. */
    public record Command(String kind, String id, Object detail) { }

    private final List<Command> commands = new ArrayList<>();
    private final Map<String, Long> timers = new LinkedHashMap<>();
    private FlowSession session;
    private long nowMillis;
    private boolean hungUp;
    private String lastPlayback;
    private String lastRecording;
    private String lastTransfer;

    public void attach(FlowSession session) {
        this.session = session;
    }

    @Override
    public void play(String playbackId, List<Prompt> prompts) {
        if (!hungUp) {
            commands.add(new Command("play", playbackId, List.copyOf(prompts)));
            lastPlayback = playbackId;
        }
    }

    @Override
    public void stopPlayback(String playbackId) {
        if (!hungUp) {
            commands.add(new Command("stop", playbackId, null));
        }
    }

    @Override
    public void record(String recordingName, RecordOptions options) {
        if (!hungUp) {
            commands.add(new Command("record", recordingName, options));
            lastRecording = recordingName;
        }
    }

    @Override
    public void transfer(String transferId, TransferRequest request) {
        if (!hungUp) {
            commands.add(new Command("transfer", transferId, request));
            lastTransfer = transferId;
        }
    }

    @Override
    public void startTimer(String timerId, Duration delay) {
        if (!hungUp) {
            timers.put(timerId, nowMillis + delay.toMillis());
        }
    }

    @Override
    public void cancelTimer(String timerId) {
        timers.remove(timerId);
    }

    @Override
    public void hangup(HangupReason reason) {
        if (!hungUp) {
            commands.add(new Command("hangup", null, reason));
            hungUp = true;
            timers.clear();
            session.onEvent(new CallEvent.HungUp(false, 16));
        }
    }

    // ---- the callee and the clock

    /** The last playback ends normally. */
    public void finishPlayback() {
        session.onEvent(new CallEvent.PlaybackFinished(lastPlayback, CallEvent.PlaybackStatus.DONE));
    }

    public void failPlayback() {
        session.onEvent(new CallEvent.PlaybackFinished(lastPlayback, CallEvent.PlaybackStatus.FAILED));
    }

    /** The callee presses each key in turn. */
    public void press(String keys) {
        for (char c : keys.toCharArray()) {
            session.onEvent(new CallEvent.DtmfReceived(c));
        }
    }

    public void finishRecording(int seconds, String reference) {
        session.onEvent(new CallEvent.RecordingFinished(lastRecording, CallEvent.RecordingStatus.DONE, seconds,
                reference));
    }

    public void failRecording() {
        session.onEvent(new CallEvent.RecordingFinished(lastRecording, CallEvent.RecordingStatus.FAILED, 0, null));
    }

    public void finishTransfer(CallEvent.TransferStatus status) {
        session.onEvent(new CallEvent.TransferFinished(lastTransfer, status, null));
    }

    public void calleeHangsUp() {
        hungUp = true;
        session.onEvent(new CallEvent.HungUp(true, 16));
    }

    /** Moves the manual clock; fires due timers in due order. */
    public void advance(Duration d) {
        long target = nowMillis + d.toMillis();
        for (int guard = 0; guard < 10_000; guard++) {
            Map.Entry<String, Long> due = timers.entrySet().stream().filter(e -> e.getValue() <= target)
                    .min(Map.Entry.comparingByValue()).orElse(null);
            if (due == null) {
                break;
            }
            timers.remove(due.getKey());
            nowMillis = due.getValue();
            session.onEvent(new CallEvent.TimerFired(due.getKey()));
        }
        nowMillis = target;
    }

    // ---- inspection

    public List<Command> commands() {
        return commands;
    }

    public List<String> kinds() {
        return commands.stream().map(Command::kind).collect(Collectors.toList());
    }

    public Command last() {
        return commands.get(commands.size() - 1);
    }

    /** Texts or URIs of the last play command. */
    @SuppressWarnings("unchecked")
    public List<String> lastPlayed() {
        for (int i = commands.size() - 1; i >= 0; i--) {
            if (commands.get(i).kind().equals("play")) {
                return ((List<Prompt>) commands.get(i).detail()).stream()
                        .map(p -> p instanceof Prompt.Tts ? ((Prompt.Tts) p).text() : ((Prompt.Media) p).uri())
                        .collect(Collectors.toList());
            }
        }
        return List.of();
    }

    public String lastPlaybackId() {
        return lastPlayback;
    }

    public Map<String, Long> pendingTimers() {
        return timers;
    }

    public boolean isHungUp() {
        return hungUp;
    }
}
