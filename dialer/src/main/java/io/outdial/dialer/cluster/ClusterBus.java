package io.outdial.dialer.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * What crosses the nodes of a cluster besides the limits: the live view and campaign state changes.
 * <ul>
 * <li>Live view: every {@link #PUBLISH_MS} each node writes a small snapshot of its own live calls (per campaign)
 * into the {@link #LIVE} IMap under its member id, with a {@link #LIVE_TTL_MS} TTL (a dead node's entry goes by
 * itself), reads the snapshots of the members it sees and the lines each node holds (from the shared global line
 * leases), all on a worker thread. {@link #view} adds them to the live feed's snapshot without any cluster call:
 * a {@code nodes} list (per node: lines, live calls, calls per campaign) and the {@code cluster} totals, and each
 * campaign's live calls counted on every node.</li>
 * <li>Campaign changes: {@link #campaignChanged} (after the API changed a campaign's state or replaced its
 * definition in the database) is published on the {@link #CHANGES} topic; every node, the one that sent it included,
 * tells its listeners, which read the campaign table at once: a pause or a new start time given to any node reaches
 * the owner without waiting for its next periodic read. The message carries only the campaign id: the database
 * stays the source of truth, and a lost message only delays the change until that periodic read.</li>
 * <li>Contact changes: {@link #contactsChanged} (after the API imported, added, edited or deleted contacts of a
 * campaign, or changed a stop list) is published on the same topic as {@code contacts:<campaign id>} (a campaign
 * id has no colon); every node tells its contact listeners: the owner re-reads the campaign's counters and picks
 * at once instead of at its next periodic counter read and round.</li>
 * </ul>
 * A node alone publishes nothing and calls its listeners directly.
 */
final class ClusterBus {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterBus.class);

    /** The IMap of live snapshots: member id → JSON text. */
    static final String LIVE = "outdial-live";
    /** The topic of campaign changes: campaign ids (state, definition) and {@code contacts:<id>} (contacts). */
    static final String CHANGES = "outdial-campaign-changes";
    /** How often a node publishes its snapshot and reads the others'. */
    static final long PUBLISH_MS = 1_000;
    /** How long a snapshot lives without being published again. */
    static final long LIVE_TTL_MS = 3_000;

    private final ClusterNode node;
    private final MeterRegistry registry;
    /** A message of the {@link #CHANGES} topic about a campaign's contacts starts with this. */
    static final String CONTACTS = "contacts:";

    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<String>> contactListeners = new CopyOnWriteArrayList<>();
    /** The snapshots last read: member id → snapshot (lines added). */
    private volatile Map<String, JsonObject> nodes = Map.of();
    private volatile UUID subscription;
    private long ticks;

    ClusterBus(ClusterNode node, MeterRegistry registry) {
        this.node = Objects.requireNonNull(node, "node");
        this.registry = Objects.requireNonNull(registry, "registry");
        if (node.shared()) {
            node.onTick(this::tick);
        }
    }

    /** Adds a listener told (on any thread) the id of each campaign whose state or definition changed on any node. */
    void onCampaignChanged(Consumer<String> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Adds a listener told (on any thread) the id of each campaign whose contacts changed on any node. */
    void onContactsChanged(Consumer<String> listener) {
        contactListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Tells every node (this one too) that {@code campaign}'s state or definition changed in the database. Never
     * waits for the cluster; a node alone tells its listeners directly.
     */
    void campaignChanged(String campaign) {
        publish(campaign);
    }

    /**
     * Tells every node (this one too) that contacts of {@code campaign} were imported, added, edited or deleted (or
     * a stop list it uses changed). Never waits for the cluster; a node alone tells its listeners directly.
     */
    void contactsChanged(String campaign) {
        publish(CONTACTS + campaign);
    }

    private void publish(String message) {
        if (node.shared()) {
            try {
                node.hazelcast().<String>getTopic(CHANGES).publishAsync(message).whenCompleteAsync((v, err) -> {
                    if (err != null) {
                        LOG.warn("cluster: change {} not told to the other nodes: {}", message, err.toString());
                    }
                }, node.calls());
                if (subscription != null) {
                    return;
                }
            } catch (RuntimeException e) {
                LOG.warn("cluster: change {} not told to the other nodes: {}", message, e.toString());
            }
        }
        tell(message);
    }

    private void tell(String message) {
        boolean contacts = message.startsWith(CONTACTS);
        String campaign = contacts ? message.substring(CONTACTS.length()) : message;
        for (Consumer<String> l : contacts ? contactListeners : listeners) {
            try {
                l.accept(campaign);
            } catch (RuntimeException e) {
                LOG.warn("campaign change listener failed: {}", e.toString());
            }
        }
    }

    /** On a worker every {@link ClusterNode#TICK_MS}: subscribes once, publishes and reads every {@link #PUBLISH_MS}. */
    private void tick() {
        HazelcastInstance hz = node.hazelcast();
        if (subscription == null) {
            subscription = hz.<String>getTopic(CHANGES).addMessageListener(m -> tell(m.getMessageObject()));
        }
        if (ticks++ % Math.max(1, PUBLISH_MS / ClusterNode.TICK_MS) != 0) {
            return;
        }
        String me = node.memberId();
        IMap<String, String> live = hz.getMap(LIVE);
        live.set(me, local().encode(), LIVE_TTL_MS, TimeUnit.MILLISECONDS);
        Map<String, Integer> lines = hz.<String, LeaseSet>getMap(ClusterLineLeases.MAP)
            .executeOnKey("global", new LinesByNode(node.now()));
        Map<String, JsonObject> seen = new TreeMap<>();
        live.getAll(node.memberIds()).forEach((id, json) -> seen.put(id, new JsonObject(json)
            .put("lines", lines == null ? 0 : lines.getOrDefault(id, 0))));
        nodes = Map.copyOf(seen);
    }

    /** This node's snapshot: its member id and address, and its live calls per campaign. */
    private JsonObject local() {
        JsonObject campaigns = new JsonObject();
        long calls = 0;
        for (Meter m : registry.find("outdial_campaign_live_calls").meters()) {
            if (m instanceof Gauge g && g.value() > 0) {
                campaigns.put(m.getId().getTag("campaign"), (long) g.value());
                calls += (long) g.value();
            }
        }
        HazelcastInstance hz = node.hazelcast();
        var address = hz.getCluster().getLocalMember().getAddress();
        return new JsonObject().put("node", node.memberId()).put("address", address.getHost() + ":"
            + address.getPort()).put("liveCalls", calls).put("campaigns", campaigns);
    }

    /**
     * The live feed's {@code snapshot} with the other nodes' view added (no cluster call: the snapshots last read):
     * {@code nodes} (each node's id, address, lines, live calls and calls per campaign; {@code self} for this one),
     * {@code cluster} (members seen, lines and live calls of all of them) and, per campaign, {@code liveCalls}
     * counted on every node with {@code liveCallsByNode}. This node's calls are its own fresh counts. Unchanged for
     * a node alone.
     */
    JsonObject view(JsonObject snapshot) {
        Map<String, JsonObject> seen = nodes;
        if (!node.shared() || seen.isEmpty()) {
            return snapshot;
        }
        String me = node.memberId();
        JsonArray list = new JsonArray();
        long lines = 0;
        long calls = 0;
        Map<String, JsonObject> byCampaign = new TreeMap<>();
        JsonArray campaigns = snapshot.getJsonArray("campaigns", new JsonArray());
        for (int i = 0; i < campaigns.size(); i++) {
            JsonObject c = campaigns.getJsonObject(i);
            byCampaign.put(c.getString("id"), c);
        }
        for (Map.Entry<String, JsonObject> e : seen.entrySet()) {
            boolean self = e.getKey().equals(me);
            JsonObject n = e.getValue().copy().put("self", self);
            if (self) {
                // this node's own calls as the feed read them now, not as published up to a second ago
                JsonObject mine = new JsonObject();
                byCampaign.forEach((id, c) -> {
                    long live = c.getLong("liveCalls", 0L);
                    if (live > 0) {
                        mine.put(id, live);
                    }
                });
                n.put("campaigns", mine).put("liveCalls", mine.stream().mapToLong(x -> (Long) x.getValue()).sum());
            }
            lines += n.getLong("lines", 0L);
            calls += n.getLong("liveCalls", 0L);
            list.add(n);
        }
        for (int i = 0; i < list.size(); i++) {
            JsonObject n = list.getJsonObject(i);
            JsonObject perCampaign = n.getJsonObject("campaigns", new JsonObject());
            for (String id : perCampaign.fieldNames()) {
                JsonObject c = byCampaign.get(id);
                if (c == null) {
                    c = new JsonObject().put("id", id);
                    byCampaign.put(id, c);
                    campaigns.add(c);
                }
                JsonObject byNode = c.getJsonObject("liveCallsByNode");
                if (byNode == null) {
                    byNode = new JsonObject();
                    c.put("liveCallsByNode", byNode);
                }
                byNode.put(n.getString("node"), perCampaign.getLong(id));
            }
        }
        byCampaign.values().forEach(c -> {
            JsonObject byNode = c.getJsonObject("liveCallsByNode");
            if (byNode != null) {
                c.put("liveCalls", byNode.stream().mapToLong(x -> ((Number) x.getValue()).longValue()).sum());
            }
        });
        return snapshot.put("campaigns", campaigns).put("nodes", list).put("cluster", new JsonObject()
            .put("members", list.size()).put("linesInUse", lines).put("liveCalls", calls));
    }
}
