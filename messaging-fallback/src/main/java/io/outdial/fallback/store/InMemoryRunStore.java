package io.outdial.fallback.store;

import io.outdial.fallback.channel.ChannelEvent;
import io.outdial.fallback.scheme.ChannelType;
import io.outdial.fallback.scheme.Status;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A {@link RunStore} in memory, for tests and single-process use: one lock, plain maps. It survives an engine
 * restart (a new engine on the same store), not a process restart.
 */
public final class InMemoryRunStore implements RunStore {

    private static final Comparator<Timer> BY_DUE = Comparator.comparing(Timer::due).thenComparing(Timer::id);

    private final Map<String, Run> runs = new LinkedHashMap<>();
    private final Map<String, TreeMap<Integer, Step>> steps = new HashMap<>();
    private final Map<String, MessageRecord> messages = new LinkedHashMap<>();
    private final Map<String, List<String>> messagesByRun = new HashMap<>();
    private final Map<String, List<String>> messagesByAddress = new HashMap<>();
    private final Map<String, String> byProviderId = new HashMap<>();
    private final Map<String, List<ChannelEvent>> parked = new HashMap<>();
    private final Set<String> statusesSeen = new HashSet<>();
    private final Map<String, Timer> timers = new HashMap<>();
    private final TreeSet<Timer> timersByDue = new TreeSet<>(BY_DUE);
    private final List<CostEntry> ledger = new ArrayList<>();
    private final Map<String, Map<String, Map<Counter, Long>>> counters = new HashMap<>();

    @Override
    public synchronized boolean insertRun(Run run) {
        return runs.putIfAbsent(run.id(), run) == null;
    }

    @Override
    public synchronized Optional<Run> run(String runId) {
        return Optional.ofNullable(runs.get(runId));
    }

    @Override
    public synchronized void updateRun(Run run) {
        runs.put(run.id(), run);
    }

    @Override
    public synchronized List<Run> activeRuns() {
        return runs.values().stream().filter(r -> r.state().active()).collect(Collectors.toList());
    }

    @Override
    public synchronized void saveStep(Step step) {
        steps.computeIfAbsent(step.runId(), k -> new TreeMap<>()).put(step.seq(), step);
    }

    @Override
    public synchronized Optional<Step> step(String runId, int seq) {
        TreeMap<Integer, Step> s = steps.get(runId);
        return Optional.ofNullable(s == null ? null : s.get(seq));
    }

    @Override
    public synchronized List<Step> steps(String runId) {
        TreeMap<Integer, Step> s = steps.get(runId);
        return s == null ? List.of() : List.copyOf(s.values());
    }

    @Override
    public synchronized void saveMessage(MessageRecord m) {
        if (messages.put(m.id(), m) == null) {
            messagesByRun.computeIfAbsent(m.runId(), k -> new ArrayList<>()).add(m.id());
            messagesByAddress.computeIfAbsent(m.channel() + "|" + m.address(), k -> new ArrayList<>()).add(m.id());
        }
    }

    @Override
    public synchronized Optional<MessageRecord> message(String messageId) {
        return Optional.ofNullable(messages.get(messageId));
    }

    @Override
    public synchronized List<MessageRecord> messages(String runId) {
        return messagesByRun.getOrDefault(runId, List.of()).stream().map(messages::get).collect(Collectors.toList());
    }

    @Override
    public synchronized List<ChannelEvent> attachProviderIds(String messageId, ChannelType channel,
                                                             List<String> providerIds) {
        List<ChannelEvent> out = new ArrayList<>();
        for (String pid : providerIds) {
            byProviderId.put(channel + "|" + pid, messageId);
            List<ChannelEvent> p = parked.remove(channel + "|" + pid);
            if (p != null) {
                out.addAll(p);
            }
        }
        return out;
    }

    @Override
    public synchronized boolean knowsProviderId(ChannelType channel, String providerId) {
        return byProviderId.containsKey(channel + "|" + providerId);
    }

    @Override
    public synchronized Optional<MessageRecord> findOrPark(ChannelType channel, String providerId,
                                                           ChannelEvent event) {
        String id = byProviderId.get(channel + "|" + providerId);
        if (id == null) {
            parked.computeIfAbsent(channel + "|" + providerId, k -> new ArrayList<>()).add(event);
            return Optional.empty();
        }
        return Optional.of(messages.get(id));
    }

    @Override
    public synchronized Optional<MessageRecord> latestMessageTo(ChannelType channel, String address) {
        List<String> ids = messagesByAddress.getOrDefault(channel + "|" + address, List.of());
        for (int i = ids.size() - 1; i >= 0; i--) {
            MessageRecord m = messages.get(ids.get(i));
            if (m.state() == MessageRecord.MessageState.SUBMITTED) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    @Override
    public synchronized boolean recordStatus(ChannelType channel, String providerId, Status status) {
        return statusesSeen.add(channel + "|" + providerId + "|" + status);
    }

    @Override
    public synchronized int sendsSince(String address, ChannelType channel, Instant from) {
        return (int) messagesByAddress.getOrDefault(channel + "|" + address, List.of()).stream()
                .map(messages::get)
                .filter(m -> m.state() != MessageRecord.MessageState.FAILED && !m.createdAt().isBefore(from))
                .count();
    }

    @Override
    public synchronized void saveTimer(Timer timer) {
        Timer old = timers.put(timer.id(), timer);
        if (old != null) {
            timersByDue.remove(old);
        }
        timersByDue.add(timer);
    }

    @Override
    public synchronized void deleteTimer(String runId, int step) {
        Timer old = timers.remove(runId + "/" + step);
        if (old != null) {
            timersByDue.remove(old);
        }
    }

    @Override
    public synchronized List<Timer> dueTimers(Instant now, int limit) {
        List<Timer> out = new ArrayList<>();
        for (Timer t : timersByDue) {
            if (t.due().isAfter(now) || out.size() >= limit) {
                break;
            }
            out.add(t);
        }
        return out;
    }

    @Override
    public synchronized int timerCount() {
        return timers.size();
    }

    @Override
    public synchronized void book(CostEntry entry) {
        ledger.add(entry);
    }

    @Override
    public synchronized List<CostEntry> costs(String runId) {
        return ledger.stream().filter(e -> e.runId().equals(runId)).collect(Collectors.toList());
    }

    @Override
    public synchronized Map<String, Long> costByBlock(String schemeId) {
        Map<String, Long> out = new LinkedHashMap<>();
        ledger.stream().filter(e -> e.schemeId().equals(schemeId))
                .forEach(e -> out.merge(e.blockId(), e.amount(), Long::sum));
        return out;
    }

    @Override
    public synchronized long campaignCost(String campaignId) {
        return ledger.stream().filter(e -> campaignId.equals(e.campaignId())).mapToLong(CostEntry::amount).sum();
    }

    @Override
    public synchronized void addCounter(String schemeId, String blockId, Counter counter, long delta) {
        counters.computeIfAbsent(schemeId, k -> new LinkedHashMap<>())
                .computeIfAbsent(blockId, k -> new EnumMap<>(Counter.class)).merge(counter, delta, Long::sum);
    }

    @Override
    public synchronized Map<String, Map<Counter, Long>> counters(String schemeId) {
        Map<String, Map<Counter, Long>> out = new LinkedHashMap<>();
        counters.getOrDefault(schemeId, Map.of()).forEach((b, c) -> out.put(b, Map.copyOf(c)));
        return out;
    }
}
