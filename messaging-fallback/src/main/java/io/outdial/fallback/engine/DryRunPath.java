package io.outdial.fallback.engine;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The path one simulated recipient took in a {@link CascadeDryRun}.
 *
 * @param behaviour the behaviour's name
 * @param outcome   {@code goal} (a goal was reached), {@code end}, {@code failed} (a send failed with no
 *                  {@code error} link), {@code stopped} (stop-listed), or {@code truncated} (cut at
 *                  {@link CascadeDryRun#MAX_STEPS} steps: a loop)
 * @param goals     the names of the goals reached, in order
 * @param state     the run's final state
 * @param reason    why the run ended, as the engine says
 * @param steps     the blocks visited, in order
 * @param totalCost booked cost less refunds, in minor units
 * @param duration  simulated time from the start to the run's end
 * @param truncated true when the path was cut
 */
public record DryRunPath(String behaviour, String outcome, List<String> goals, String state, String reason,
                         List<PathStep> steps, long totalCost, Duration duration, boolean truncated) {

    public DryRunPath {
        goals = List.copyOf(goals);
        steps = List.copyOf(steps);
    }

    /**
     * One block visit.
     *
     * @param seq     1, 2, ...
     * @param blockId the block
     * @param type    the block's type ({@code sms}, {@code delay}, {@code goal}...)
     * @param channel the channel of a channel block, or null
     * @param at      simulated time since the start when the block was entered
     * @param waitFor the decision time (channel block) or the delay in force, or null
     * @param message what the block sent, or null
     * @param outcome how the block was left ({@code status busy}, {@code timeout}, {@code goal confirmed}...)
     * @param next    the block it led to, or null
     */
    public record PathStep(int seq, String blockId, String type, String channel, Duration at, Duration waitFor,
                           PathMessage message, String outcome, String next) {
    }

    /**
     * A message a block would send.
     *
     * @param text     the rendered text (the flow id for voice)
     * @param content  every rendered content value by key
     * @param segments SMS parts (1 for other channels)
     * @param encoding {@code GSM7} or {@code UCS2} for SMS, otherwise null
     * @param cost     booked when the provider accepted it, minor units
     * @param refund   refunded because it was not delivered (pay-for-delivered plans), minor units
     * @param status   the message's last status, or null
     * @param reported the statuses the simulated provider reported, in order
     * @param error    why the send failed, or null
     */
    public record PathMessage(String text, Map<String, String> content, int segments, String encoding, long cost,
                              long refund, String status, List<String> reported, String error) {
        public PathMessage {
            content = content == null ? Map.of() : Map.copyOf(content);
            reported = List.copyOf(reported);
        }
    }
}
