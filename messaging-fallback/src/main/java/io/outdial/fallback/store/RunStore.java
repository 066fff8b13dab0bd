package io.outdial.fallback.store;

import io.outdial.fallback.channel.ChannelEvent;
import io.outdial.fallback.scheme.ChannelType;
import io.outdial.fallback.scheme.Status;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Where the cascade engine keeps runs, steps, messages, timers, the cost ledger and counters. Methods block
 * (the engine calls them on worker threads) and are safe to call from several threads. Each method is atomic
 * on its own; the engine orders its writes so that any prefix of them can be resumed, and runs each step of a run
 * inside {@link #batch} so that a store may write the step's writes together.
 */
public interface RunStore {

    /**
     * Runs one engine step ({@code work}: the handling of one start, send outcome, event, timer, cancel or resume of
     * one run, on the calling thread) and lets the store group the writes it makes. A store may hold them and write
     * them together, in one transaction, before this returns; it writes them earlier when a read could see them, and
     * may write them earlier at any point (any prefix of a step's writes can be resumed). Reads inside {@code work}
     * see its writes. When {@code work} throws, the writes it made before are still written. The engine acts on a
     * step (a send) only once this returned, so a crash loses at most the writes of a step nothing was done for yet,
     * as if the crash had come before the step. The default runs {@code work}: every write is made when called.
     */
    default <T> T batch(Supplier<T> work) {
        return work.get();
    }

    /** Inserts a run; false (and no change) when a run with that id exists. */
    boolean insertRun(Run run);

    /** A run by id. */
    Optional<Run> run(String runId);

    /** Replaces a run. */
    void updateRun(Run run);

    /** Runs in RUNNING or WAITING. */
    List<Run> activeRuns();

    /** Inserts or replaces a step (key: run id and step number). */
    void saveStep(Step step);

    /** A step of a run. */
    Optional<Step> step(String runId, int seq);

    /** Every step of a run, in order: the path it took. */
    List<Step> steps(String runId);

    /** Inserts or replaces a message (key: its id). */
    void saveMessage(MessageRecord message);

    /** A message by id. */
    Optional<MessageRecord> message(String messageId);

    /** A run's messages, oldest first. */
    List<MessageRecord> messages(String runId);

    /**
     * Records the provider ids of a message and returns the events that were parked under them by
     * {@link #findOrPark}, removing them.
     */
    List<ChannelEvent> attachProviderIds(String messageId, ChannelType channel, List<String> providerIds);

    /**
     * The message that owns a provider id; when none does yet (a receipt before the submit response), parks the
     * event under that id for {@link #attachProviderIds} and returns empty. Atomic with attachProviderIds.
     */
    Optional<MessageRecord> findOrPark(ChannelType channel, String providerId, ChannelEvent event);

    /**
     * The owner of a provider id as {@link #findOrPark} would return it, when the store holds it in memory (an owner
     * never changes once attached); empty when it would have to read it. Does not block: the engine asks it before
     * handing an event to a worker. The default knows none.
     */
    default Optional<MessageRecord> rememberedOwner(ChannelType channel, String providerId) {
        return Optional.empty();
    }

    /** The latest submitted message to an address on a channel (replies are matched to it). */
    Optional<MessageRecord> latestMessageTo(ChannelType channel, String address);

    /**
     * True when a message owns this provider id. Inbound webhooks refuse statuses for ids no message owns. The
     * default says yes to every id (the engine then parks what it does not know), for stores that cannot tell.
     */
    default boolean knowsProviderId(ChannelType channel, String providerId) {
        return true;
    }

    /** Marks (provider id, status) seen; false when it was seen before (a duplicate). */
    boolean recordStatus(ChannelType channel, String providerId, Status status);

    /** Messages to an address on a channel written at or after a time (frequency caps). */
    int sendsSince(String address, ChannelType channel, Instant from);

    /** Inserts or replaces a timer (one per step). */
    void saveTimer(Timer timer);

    /** Removes a step's timer if present. */
    void deleteTimer(String runId, int step);

    /** Timers due at or before a time, earliest first, at most limit. */
    List<Timer> dueTimers(Instant now, int limit);

    /** Number of timers held. */
    int timerCount();

    /** Appends to the cost ledger. */
    void book(CostEntry entry);

    /** A run's ledger lines. */
    List<CostEntry> costs(String runId);

    /** Net cost per block of a scheme, in minor units. */
    Map<String, Long> costByBlock(String schemeId);

    /** Net cost of a campaign, in minor units. */
    long campaignCost(String campaignId);

    /** Adds to a counter of a scheme's block (a split branch is {@code block/branch}). */
    void addCounter(String schemeId, String blockId, Counter counter, long delta);

    /** Counters of a scheme: block id to counter to value. */
    Map<String, Map<Counter, Long>> counters(String schemeId);
}
