package io.outdial.dialer.call;

import io.outdial.dialer.ari.AriEvent;
import io.outdial.dialer.ari.AriException;
import io.outdial.ivr.spi.CallControl;
import io.outdial.ivr.spi.CallEvent;
import io.outdial.ivr.spi.Prompt;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link CallControl} over ARI for one answered call. Runs on the engine's context; every outcome comes back
 * to the handler as a {@link CallEvent}. After hangup every method is a no-op.
 *
 * <p>A logical playback of several prompts is played one ARI playback at a time (ids
 * {@code <playbackId>.<n>}), so one {@code PlaybackFinished} reaches the flow at the end. Asterisk reports a
 * stopped playback as "done": we remember that we sent the DELETE and report STOPPED.
 */
final class AriCallControl implements CallControl {
    private static final Logger LOG = LoggerFactory.getLogger(AriCallControl.class);

    private final CallEngine engine;
    private final CallHandler call;
    private final String channelId;
    private Map<String, LogicalPlayback> playbacks;
    private Map<String, Long> timers;
    private TransferLeg transfer;
    private boolean hungUp;
    private boolean weHungUp;
    /** Channel A got a ChannelHangupRequest: Asterisk fails its playbacks before StasisEnd, which is not a prompt error. */
    private boolean hangupRequested;

    AriCallControl(CallEngine engine, CallHandler call) {
        this.engine = engine;
        this.call = call;
        this.channelId = call.channelId();
    }

    /** Several prompts played as one; sub-playbacks are played in turn. */
    private static final class LogicalPlayback {
        final String id;
        List<String> uris;
        int index = -1;
        boolean stopRequested;
        boolean finished;

        LogicalPlayback(String id) {
            this.id = id;
        }

        String currentSubId() {
            return id + "." + index;
        }
    }

    @Override
    public void play(String playbackId, List<Prompt> prompts) {
        if (hungUp) {
            return;
        }
        if (playbacks == null) {
            playbacks = new HashMap<>(4);
        }
        LogicalPlayback pb = new LogicalPlayback(playbackId);
        playbacks.put(playbackId, pb);
        List<Future<String>> resolved = new ArrayList<>(prompts.size());
        for (Prompt p : prompts) {
            resolved.add(resolve(p));
        }
        Future.all(resolved).onComplete(ar -> {
            if (pb.finished) {
                return;
            }
            if (ar.failed()) {
                LOG.warn("call {} channel {}: prompt of playback {} could not be resolved: {}", call.attemptId(),
                        channelId, playbackId, ar.cause().getMessage());
                finishPlayback(pb, CallEvent.PlaybackStatus.FAILED);
                return;
            }
            pb.uris = new ArrayList<>(prompts.size());
            for (Future<String> f : resolved) {
                pb.uris.add(f.result());
            }
            if (pb.stopRequested) {
                finishPlayback(pb, CallEvent.PlaybackStatus.STOPPED);
            } else {
                playNext(pb);
            }
        });
    }

    private Future<String> resolve(Prompt p) {
        if (p instanceof Prompt.Media) {
            return engine.resolver().resolveMedia(((Prompt.Media) p).uri());
        } else if (p instanceof Prompt.Tts) {
            Prompt.Tts t = (Prompt.Tts) p;
            return engine.resolver().resolveTts(t.text(), t.engine(), t.voice());
        } else {
            throw new IllegalStateException("unknown prompt type " + p.getClass().getName());
        }
    }

    private void playNext(LogicalPlayback pb) {
        if (hungUp) {
            finishPlayback(pb, CallEvent.PlaybackStatus.FAILED);
            return;
        }
        pb.index++;
        if (pb.index >= pb.uris.size()) {
            finishPlayback(pb, CallEvent.PlaybackStatus.DONE);
            return;
        }
        String sub = pb.currentSubId();
        engine.rest().play(channelId, sub, List.of(pb.uris.get(pb.index))).onFailure(e -> {
            LOG.warn("call {} channel {}: play {} failed: {}", call.attemptId(), channelId, sub, e.getMessage());
            if (!pb.finished && pb.currentSubId().equals(sub)) {
                finishPlayback(pb, CallEvent.PlaybackStatus.FAILED);
            }
        });
    }

    private void finishPlayback(LogicalPlayback pb, CallEvent.PlaybackStatus status) {
        if (pb.finished) {
            return;
        }
        pb.finished = true;
        playbacks.remove(pb.id);
        call.deliver(new CallEvent.PlaybackFinished(pb.id, status));
    }

    @Override
    public void stopPlayback(String playbackId) {
        LogicalPlayback pb = playbacks == null ? null : playbacks.get(playbackId);
        if (hungUp || pb == null || pb.finished || pb.stopRequested) {
            return;
        }
        pb.stopRequested = true;
        if (pb.index >= 0) {
            String sub = pb.currentSubId();
            engine.rest().stopPlayback(sub).onFailure(e -> LOG.debug("call {}: stop of playback {} failed: {}",
                    call.attemptId(), sub, e.getMessage()));
        }
    }

    @Override
    public void record(String recordingName, RecordOptions options) {
        if (hungUp) {
            return;
        }
        engine.rest().record(channelId, recordingName, options.maxDuration().toSeconds(),
                options.maxSilence().toSeconds(), options.beep(), options.finishKeys()).onFailure(e -> {
                    LOG.warn("call {} channel {}: record {} failed: {}", call.attemptId(), channelId, recordingName,
                            e.getMessage());
                    call.deliver(new CallEvent.RecordingFinished(recordingName, CallEvent.RecordingStatus.FAILED, 0,
                            null));
                });
    }

    @Override
    public void transfer(String transferId, TransferRequest request) {
        if (hungUp) {
            return;
        }
        if (transfer != null && !transfer.finished()) {
            call.deliver(new CallEvent.TransferFinished(transferId, CallEvent.TransferStatus.FAILED,
                    "transfer " + transfer.transferId() + " is still in progress"));
            return;
        }
        transfer = new TransferLeg(engine, call, transferId, request);
        transfer.start();
    }

    @Override
    public void startTimer(String timerId, Duration delay) {
        if (hungUp) {
            return;
        }
        if (timers == null) {
            timers = new HashMap<>(4);
        }
        cancelTimer(timerId);
        long id = engine.flowTimers().set(Math.max(1, delay.toMillis()), () -> {
            if (timers.remove(timerId) != null && !hungUp) {
                call.deliver(new CallEvent.TimerFired(timerId));
            }
        });
        timers.put(timerId, id);
    }

    @Override
    public void cancelTimer(String timerId) {
        Long id = timers == null ? null : timers.remove(timerId);
        if (id != null) {
            engine.flowTimers().cancel(id);
        }
    }

    @Override
    public void hangup(HangupReason reason) {
        if (hungUp || weHungUp) {
            return;
        }
        weHungUp = true;
        engine.rest().hangup(channelId, ariReason(reason)).onFailure(e -> {
            if (!(e instanceof AriException && ((AriException) e).notFound())) {
                LOG.warn("call {} channel {}: hangup failed: {}", call.attemptId(), channelId, e.getMessage());
            }
        });
    }

    static String ariReason(HangupReason reason) {
        switch (reason) {
            case BUSY: return "busy";
            case CONGESTION: return "congestion";
            case NO_ANSWER: return "no_answer";
            default: return "normal";
        }
    }

    /** Maps an ARI event of this call (channel A or its playbacks/recordings) to flow events. */
    void onAriEvent(AriEvent event) {
        if (event instanceof AriEvent.PlaybackFinished) {
            onPlaybackFinished(((AriEvent.PlaybackFinished) event).playback());
        } else if (event instanceof AriEvent.ChannelDtmfReceived) {
            String digit = ((AriEvent.ChannelDtmfReceived) event).digit();
            if (digit != null && !digit.isEmpty()) {
                call.deliver(new CallEvent.DtmfReceived(digit.charAt(0)));
            }
        } else if (event instanceof AriEvent.RecordingFinished) {
            var r = ((AriEvent.RecordingFinished) event).recording();
            String ref = "recording:" + r.name();
            call.attempt().recorded(ref);
            call.deliver(new CallEvent.RecordingFinished(r.name(), CallEvent.RecordingStatus.DONE,
                    r.duration() == null ? 0 : r.duration(), ref));
        } else if (event instanceof AriEvent.ChannelHangupRequest && channelId.equals(event.channelId())) {
            hangupRequested = true;
        } else if (event instanceof AriEvent.RecordingFailed) {
            var r = ((AriEvent.RecordingFailed) event).recording();
            call.deliver(new CallEvent.RecordingFinished(r.name(), CallEvent.RecordingStatus.FAILED, 0, null));
        }
    }

    private void onPlaybackFinished(io.outdial.dialer.ari.AriModel.Playback p) {
        if (p == null || p.id() == null || playbacks == null) {
            return;
        }
        int dot = p.id().lastIndexOf('.');
        LogicalPlayback pb = dot < 0 ? null : playbacks.get(p.id().substring(0, dot));
        if (pb == null || pb.finished || !pb.currentSubId().equals(p.id())) {
            return;
        }
        if (pb.stopRequested) {
            finishPlayback(pb, CallEvent.PlaybackStatus.STOPPED);
        } else if ("failed".equalsIgnoreCase(p.state())) {
            if (hangupRequested) {
                // The callee hung up mid-prompt: HungUp follows and ends the flow as left early, not as an error.
                return;
            }
            finishPlayback(pb, CallEvent.PlaybackStatus.FAILED);
        } else {
            playNext(pb);
        }
    }

    /** The A channel is gone: cancel timers, end the transfer leg, tell the flow. */
    void onHungUp(int cause) {
        if (hungUp) {
            return;
        }
        hungUp = true;
        if (timers != null) {
            timers.values().forEach(engine.flowTimers()::cancel);
            timers.clear();
        }
        if (transfer != null) {
            transfer.onCallEnded();
        }
        // HungUp first: a flow must see the hang-up, not a failed prompt, when the callee leaves mid-playback.
        call.deliver(new CallEvent.HungUp(!weHungUp, cause));
        if (playbacks != null) {
            for (LogicalPlayback pb : List.copyOf(playbacks.values())) {
                finishPlayback(pb, CallEvent.PlaybackStatus.FAILED);
            }
        }
    }

    /** True while the call is bridged to a transfer target. */
    boolean bridged() {
        return transfer != null && transfer.bridged();
    }

    TransferLeg transferLeg() {
        return transfer;
    }
}
