package io.outdial.ivr.engine;

import io.outdial.ivr.flow.Flow;
import io.outdial.ivr.flow.Node;
import io.outdial.ivr.flow.PromptPart;
import io.outdial.ivr.spi.CallControl;
import io.outdial.ivr.spi.CallEvent;
import io.outdial.ivr.spi.CallInfo;
import io.outdial.ivr.spi.FlowResult;
import io.outdial.ivr.spi.FlowSession;
import io.outdial.ivr.spi.Prompt;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One flow run on one call: a state machine over {@link CallEvent}s. Not thread-safe (one call, one context).
 * The state is the current node plus what it waits for: a playback, a key or timer, a recording or a transfer.
 * What the run has gathered lives in {@link RunState}.
 */
final class InterpreterSession implements FlowSession {

    private static final Logger LOG = LoggerFactory.getLogger(InterpreterSession.class);

    private enum Wait { NONE, PLAYBACK, GATHER, RECORD_PROMPT, RECORDING, TRANSFER_PROMPT, TRANSFER }

    private final Flow flow;
    private final Conditions conditions;
    private final int maxSteps;
    private final CallInfo call;
    private final CallControl control;
    private final Consumer<FlowResult> onFinished;

    private final RunState run;

    private boolean started;
    private boolean hungUpBeforeStart;
    private boolean finished;
    private boolean bridged;
    private int steps;
    private int seq;
    private Node node;
    private Wait wait = Wait.NONE;
    private String playbackId;
    private String timerId;
    private String recordingName;
    private String transferId;
    private final GatherInput gather = new GatherInput();

    private final FlowInterpreter.Observer observer;

    InterpreterSession(Flow flow, Conditions conditions, int maxSteps, CallInfo call, CallControl control,
                       Consumer<FlowResult> onFinished, FlowInterpreter.Observer observer) {
        this.observer = observer;
        this.flow = flow;
        this.conditions = conditions;
        this.maxSteps = maxSteps;
        this.call = call;
        this.control = control;
        this.onFinished = onFinished;
        this.run = new RunState(flow, call);
    }

    @Override
    public void start() {
        if (started) {
            throw new IllegalStateException("attempt " + call.attemptId() + ": flow session already started");
        }
        started = true;
        if (hungUpBeforeStart) {
            finish(FlowResult.Completion.LEFT_EARLY);
            return;
        }
        LOG.debug("attempt {} flow {} v{} starts at {}", call.attemptId(), flow.id(), flow.version(), flow.start());
        advance(flow.start());
    }

    @Override
    public boolean isFinished() {
        return finished;
    }

    @Override
    public void onEvent(CallEvent event) {
        if (finished) {
            return;
        }
        if (!started) {
            // Only a hang-up matters before start: start() then ends the run at once.
            hungUpBeforeStart |= event instanceof CallEvent.HungUp;
            return;
        }
        if (event instanceof CallEvent.HungUp) {
            LOG.debug("attempt {} flow {} callee left at node {}", call.attemptId(), flow.id(), nodeId());
            cancelTimer();
            finish(FlowResult.Completion.LEFT_EARLY);
        } else if (event instanceof CallEvent.PlaybackFinished) {
            onPlaybackFinished((CallEvent.PlaybackFinished) event);
        } else if (event instanceof CallEvent.DtmfReceived) {
            if (wait == Wait.GATHER) {
                onKey(((CallEvent.DtmfReceived) event).digit());
            }
        } else if (event instanceof CallEvent.TimerFired) {
            onTimer((CallEvent.TimerFired) event);
        } else if (event instanceof CallEvent.RecordingFinished) {
            onRecordingFinished((CallEvent.RecordingFinished) event);
        } else if (event instanceof CallEvent.TransferFinished) {
            onTransferFinished((CallEvent.TransferFinished) event);
        } else {
            throw new IllegalArgumentException("unknown call event " + event);
        }
    }

    // ---- running nodes

    /** Enters nodes until one waits for the call or the flow ends. */
    private void advance(String nextId) {
        String id = nextId;
        while (id != null && !finished) {
            if (++steps > maxSteps) {
                fail("more than " + maxSteps + " nodes entered");
                return;
            }
            node = flow.node(id);
            run.path.add(id);
            wait = Wait.NONE;
            if (observer != FlowInterpreter.Observer.NONE) {
                try {
                    observer.nodeEntered(id, typeOf(node), java.util.Map.copyOf(run.answers), run.varsNow());
                } catch (RuntimeException e) {
                    LOG.warn("attempt {} flow {}: observer failed on node {}: {}", call.attemptId(), flow.id(), id,
                            e.toString());
                }
            }
            id = bridged ? enterAfterBridge(node) : enter(node);
        }
    }

    private static String typeOf(Node n) {
        String name = n.getClass().getSimpleName();
        return "SetVars".equals(name) ? "set" : name.toLowerCase(java.util.Locale.ROOT);
    }

    /** Runs a node; returns the next node id to enter at once, or null when waiting or finished. */
    private String enter(Node n) {
        if (n instanceof Node.Say) {
            Node.Say say = (Node.Say) n;
            List<Prompt> prompts = run.prompts(List.of(PromptPart.say(say.text(), say.voice())), n);
            return play(prompts, Wait.PLAYBACK) ? null : say.next();
        } else if (n instanceof Node.Play) {
            Node.Play play = (Node.Play) n;
            return play(List.of(new Prompt.Media(play.uri())), Wait.PLAYBACK) ? null : play.next();
        } else if (n instanceof Node.Gather) {
            gather.reset();
            askGather(List.of());
            return null;
        } else if (n instanceof Node.Record) {
            if (!play(run.prompts(((Node.Record) n).prompt(), n), Wait.RECORD_PROMPT)) {
                startRecording();
            }
            return null;
        } else if (n instanceof Node.Transfer) {
            if (!play(run.prompts(((Node.Transfer) n).prompt(), n), Wait.TRANSFER_PROMPT)) {
                startTransfer();
            }
            return null;
        } else if (n instanceof Node.Hangup) {
            finish(FlowResult.Completion.COMPLETED);
            control.hangup(CallControl.HangupReason.NORMAL);
            return null;
        }
        return run.enterSilent(n, conditions);
    }

    /** After a bridged transfer the call belongs to the bridge: only silent nodes run, hangup just ends. */
    private String enterAfterBridge(Node n) {
        if (n instanceof Node.Hangup || !RunState.isSilent(n)) {
            finish(FlowResult.Completion.COMPLETED);
            return null;
        }
        return run.enterSilent(n, conditions);
    }

    // ---- gather

    private void askGather(List<PromptPart> before) {
        Node.Gather g = (Node.Gather) node;
        List<PromptPart> parts = new ArrayList<>(before);
        parts.addAll(g.prompt());
        gather.clearDigits();
        List<Prompt> prompts = run.prompts(parts, node);
        if (prompts.isEmpty()) {
            wait = Wait.GATHER;
            startTimer(g.timeout());
        } else {
            // Set before play(): an implementation may report the playback's end from inside play().
            gather.promptPlaying = true;
            play(prompts, Wait.GATHER);
        }
    }

    private void onKey(char key) {
        Node.Gather g = (Node.Gather) node;
        if (!isKey(key)) {
            return;
        }
        if (gather.promptPlaying) {
            if (!g.bargeIn()) {
                return;
            }
            gather.promptPlaying = false;
            String stopping = playbackId;
            playbackId = null;
            control.stopPlayback(stopping);
        }
        cancelTimer();
        if (g.menu() != null) {
            String target = g.menu().get(String.valueOf(key));
            if (target == null) {
                retry(g.noMatch());
            } else {
                run.answers.put(g.id(), String.valueOf(key));
                advance(target);
            }
            return;
        }
        Node.Digits d = g.digits();
        if (!d.terminator().isEmpty() && key == d.terminator().charAt(0)) {
            completeDigits();
        } else {
            gather.digits.append(key);
            if (gather.digits.length() >= d.maxLength()) {
                completeDigits();
            } else {
                startTimer(g.interDigitTimeout());
            }
        }
    }

    private void onTimer(CallEvent.TimerFired t) {
        if (!t.timerId().equals(timerId)) {
            return;
        }
        timerId = null;
        if (wait != Wait.GATHER) {
            return;
        }
        if (gather.digits.length() == 0) {
            retry(((Node.Gather) node).noInput());
        } else {
            completeDigits();
        }
    }

    private void completeDigits() {
        Node.Gather g = (Node.Gather) node;
        String input = gather.digits.toString();
        Node.Digits d = g.digits();
        boolean ok = input.length() >= d.minLength() && input.length() <= d.maxLength()
                && (d.pattern() == null || conditions.matches(d.pattern(), input));
        if (ok) {
            run.answers.put(g.id(), input);
            advance(g.next());
        } else {
            retry(g.noMatch());
        }
    }

    private void retry(List<PromptPart> apology) {
        Node.Gather g = (Node.Gather) node;
        gather.attempts++;
        if (gather.attempts > g.retries()) {
            LOG.debug("attempt {} flow {} gather {} failed after {} tries", call.attemptId(), flow.id(), g.id(),
                    gather.attempts);
            advance(g.onFail());
        } else {
            askGather(apology);
        }
    }

    private static boolean isKey(char c) {
        return (c >= '0' && c <= '9') || c == '*' || c == '#';
    }

    // ---- playback, record, transfer

    /** Starts a playback of the prompts, or returns false when there is nothing to play. */
    private boolean play(List<Prompt> prompts, Wait then) {
        if (prompts.isEmpty()) {
            return false;
        }
        playbackId = newId("pb");
        wait = then;
        control.play(playbackId, prompts);
        return true;
    }

    private void onPlaybackFinished(CallEvent.PlaybackFinished p) {
        if (!p.playbackId().equals(playbackId)) {
            return;
        }
        playbackId = null;
        if (p.status() == CallEvent.PlaybackStatus.FAILED) {
            fail("playback failed at node " + nodeId());
            return;
        }
        if (wait == Wait.PLAYBACK) {
            advance(node.successors().get(0));
        } else if (wait == Wait.GATHER) {
            gather.promptPlaying = false;
            if (gather.digits.length() == 0) {
                startTimer(((Node.Gather) node).timeout());
            }
        } else if (wait == Wait.RECORD_PROMPT) {
            startRecording();
        } else if (wait == Wait.TRANSFER_PROMPT) {
            startTransfer();
        }
    }

    private void startRecording() {
        Node.Record r = (Node.Record) node;
        wait = Wait.RECORDING;
        recordingName = newId("rec");
        control.record(recordingName, new CallControl.RecordOptions(r.maxLength(), r.silenceEnd(), r.beep(),
                r.finishKey()));
    }

    private void onRecordingFinished(CallEvent.RecordingFinished r) {
        if (wait != Wait.RECORDING || !r.recordingName().equals(recordingName)) {
            return;
        }
        recordingName = null;
        if (r.status() == CallEvent.RecordingStatus.DONE && r.reference() != null) {
            run.recordings.put(node.id(), r.reference());
        } else {
            LOG.warn("attempt {} flow {} recording at node {} failed; going on", call.attemptId(), flow.id(), nodeId());
        }
        advance(((Node.Record) node).next());
    }

    private void startTransfer() {
        Node.Transfer t = (Node.Transfer) node;
        String number = run.resolve(t.number()).trim();
        if (number.isEmpty()) {
            LOG.warn("attempt {} flow {} transfer {} has no number after templates", call.attemptId(), flow.id(),
                    t.id());
            advance(t.onUnanswered());
            return;
        }
        wait = Wait.TRANSFER;
        transferId = newId("xfer");
        control.transfer(transferId, new CallControl.TransferRequest(number, t.trunk(), t.ringTimeout(),
                t.callerId() == null ? null : run.resolve(t.callerId())));
    }

    private void onTransferFinished(CallEvent.TransferFinished t) {
        if (wait != Wait.TRANSFER || !t.transferId().equals(transferId)) {
            return;
        }
        transferId = null;
        Node.Transfer node = (Node.Transfer) this.node;
        if (t.status() == CallEvent.TransferStatus.BRIDGED) {
            bridged = true;
            if (node.onBridged() == null) {
                finish(FlowResult.Completion.COMPLETED);
            } else {
                advance(node.onBridged());
            }
        } else {
            advance(node.onUnanswered());
        }
    }

    // ---- helpers

    private void startTimer(java.time.Duration delay) {
        cancelTimer();
        timerId = newId("t");
        control.startTimer(timerId, delay);
    }

    private void cancelTimer() {
        if (timerId != null) {
            control.cancelTimer(timerId);
            timerId = null;
        }
    }

    private String newId(String kind) {
        return kind + "-" + call.attemptId() + "-" + (++seq);
    }

    private String nodeId() {
        return node == null ? null : node.id();
    }

    private void fail(String why) {
        LOG.warn("attempt {} flow {} v{} error: {}", call.attemptId(), flow.id(), flow.version(), why);
        cancelTimer();
        finish(FlowResult.Completion.ERROR);
        control.hangup(CallControl.HangupReason.NORMAL);
    }

    private void finish(FlowResult.Completion completion) {
        finished = true;
        wait = Wait.NONE;
        FlowResult result = run.result(completion, nodeId());
        LOG.info("attempt {} flow {} v{} finished {} at node {} after {} nodes", call.attemptId(), flow.id(),
                flow.version(), completion, nodeId(), run.path.size());
        onFinished.accept(result);
    }
}
