package io.outdial.fallback.channel.viber;

import io.outdial.fallback.channel.ChannelEvent;
import io.outdial.fallback.channel.OutboundMessage;
import io.outdial.fallback.channel.SendException;
import io.outdial.fallback.channel.Submitted;
import io.outdial.fallback.channel.http.HookRefused;
import io.outdial.fallback.channel.http.Inbound;
import io.outdial.fallback.channel.http.Secrets;
import io.outdial.fallback.scheme.ChannelType;
import io.outdial.fallback.scheme.Status;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/**
 * Viber business messages through Infobip: {@code POST {baseUrl}/viber/2/messages} with
 * {@code Authorization: App <key>}; delivery reports (status group {@code DELIVERED}, {@code UNDELIVERABLE},
 * {@code EXPIRED}, {@code REJECTED}), seen reports and inbound messages come to the notify URL, which Infobip
 * calls with HTTP Basic authentication configured on the account.
 */
public final class InfobipViber implements ViberPartner {

    /**
     * Infobip settings.
     *
     * @param baseUrl          the account's API base URL
     * @param apiKeyEnv        variable holding the API key
     * @param sender           the Viber sender (service) name
     * @param hookUserEnv      variable holding the Basic-auth user of the notify URL
     * @param hookPasswordEnv  variable holding its password
     */
    public record Config(String baseUrl, String apiKeyEnv, String sender, String hookUserEnv,
                         String hookPasswordEnv) {
        public Config {
            if (baseUrl == null || baseUrl.isBlank() || sender == null || sender.isBlank()) {
                throw new IllegalArgumentException("viber.infobip: baseUrl and sender are required");
            }
            baseUrl = baseUrl.replaceAll("/+$", "");
        }
    }

    private static final DateTimeFormatter IB_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");

    private final Config config;
    private final Clock clock;
    private final String apiKey;
    private final byte[] expectedAuth;

    /** A partner reading its secrets through {@code env}. */
    public InfobipViber(Config config, Clock clock, Function<String, String> env) {
        this.config = config;
        this.clock = clock;
        this.apiKey = Secrets.fromEnv(env, config.apiKeyEnv(), "viber.infobip.apiKeyEnv");
        String user = Secrets.fromEnv(env, config.hookUserEnv(), "viber.infobip.hookUserEnv");
        String pass = Secrets.fromEnv(env, config.hookPasswordEnv(), "viber.infobip.hookPasswordEnv");
        this.expectedAuth = ("Basic " + Base64.getEncoder().encodeToString((user + ":" + pass)
                .getBytes(StandardCharsets.UTF_8))).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String name() {
        return "infobip";
    }

    @Override
    public String sendUrl() {
        return config.baseUrl() + "/viber/2/messages";
    }

    @Override
    public MultiMap headers() {
        return MultiMap.caseInsensitiveMultiMap().add("Authorization", "App " + apiKey)
                .add("Content-Type", "application/json").add("Accept", "application/json");
    }

    @Override
    public Buffer body(OutboundMessage m) {
        JsonObject content = new JsonObject().put("type", "TEXT").put("text", m.content().getOrDefault("text", ""));
        if (m.content().containsKey("buttonText")) {
            // Infobip's ViberButton: the caption as title, the URL it opens as action
            content.put("button", new JsonObject().put("title", m.content().get("buttonText"))
                    .put("action", m.content().get("buttonUrl")));
        }
        String to = m.to().startsWith("+") ? m.to().substring(1) : m.to();
        return new JsonObject().put("messages", new JsonArray().add(new JsonObject().put("sender", config.sender())
                .put("destinations", new JsonArray().add(new JsonObject().put("to", to).put("messageId", m.id())))
                .put("content", content))).toBuffer();
    }

    @Override
    public Submitted submitted(OutboundMessage m, int httpStatus, Buffer body) {
        JsonObject json;
        try {
            json = body == null || body.length() == 0 ? new JsonObject() : new JsonObject(body);
        } catch (DecodeException e) {
            json = new JsonObject();
        }
        if (httpStatus < 200 || httpStatus >= 300) {
            JsonObject err = json.getJsonObject("requestError", new JsonObject())
                    .getJsonObject("serviceException", new JsonObject());
            throw new SendException(SendException.Reason.REJECTED, err.getString("messageId",
                    String.valueOf(httpStatus)), "infobip refused the Viber message to " + m.to() + ": "
                    + err.getString("text", "HTTP " + httpStatus));
        }
        JsonArray msgs = json.getJsonArray("messages");
        JsonObject first = msgs == null || msgs.isEmpty() ? null : msgs.getJsonObject(0);
        if (first == null || first.getString("messageId") == null) {
            throw new SendException(SendException.Reason.REJECTED, "infobip answered without a message id");
        }
        JsonObject st = first.getJsonObject("status", new JsonObject());
        if ("REJECTED".equals(st.getString("groupName"))) {
            throw new SendException(SendException.Reason.REJECTED, String.valueOf(st.getValue("id")),
                    "infobip rejected the Viber message to " + m.to() + ": " + st.getString("name"));
        }
        return new Submitted(List.of(first.getString("messageId")), 1);
    }

    @Override
    public Inbound callback(byte[] raw, Function<String, String> headers) {
        String auth = headers.apply("Authorization");
        if (auth == null || !MessageDigest.isEqual(expectedAuth, auth.getBytes(StandardCharsets.UTF_8))) {
            throw new HookRefused(401, "Authorization is missing or wrong");
        }
        try {
            JsonArray results = new JsonObject(Buffer.buffer(raw)).getJsonArray("results");
            if (results == null) {
                throw new HookRefused(400, "no results");
            }
            List<ChannelEvent> events = new ArrayList<>();
            List<String> known = new ArrayList<>();
            for (Object o : results) {
                JsonObject r = (JsonObject) o;
                String id = r.getString("messageId");
                if (r.containsKey("status")) {
                    Status st = status(r.getJsonObject("status").getString("groupName"));
                    JsonObject err = r.getJsonObject("error");
                    String code = err == null || Integer.valueOf(0).equals(err.getInteger("id")) ? null
                            : String.valueOf(err.getValue("id"));
                    if (id == null) {
                        throw new HookRefused(400, "a report without messageId");
                    }
                    if (st != null) {
                        events.add(new ChannelEvent.StatusReport(ChannelType.VIBER, id, st, code,
                                time(r.getString("doneAt"))));
                        known.add(id);
                    }
                } else if (r.containsKey("seenAt")) {
                    if (id == null) {
                        throw new HookRefused(400, "a seen report without messageId");
                    }
                    events.add(new ChannelEvent.StatusReport(ChannelType.VIBER, id, Status.READ, null,
                            time(r.getString("seenAt"))));
                    known.add(id);
                } else if (r.containsKey("message")) {
                    // the user's number: `sender` in Infobip's current inbound format, `from` in the older one
                    String from = r.getString("sender", r.getString("from"));
                    String text = r.getJsonObject("message").getString("text");
                    if (from == null) {
                        throw new HookRefused(400, "an inbound message without sender");
                    }
                    if (text != null) {
                        events.add(new ChannelEvent.Reply(ChannelType.VIBER, from.startsWith("+") ? from : "+" + from,
                                r.getString("to"), text, time(r.getString("receivedAt"))));
                    }
                } else {
                    throw new HookRefused(400, "a result that is neither a report nor a message");
                }
            }
            return new Inbound(events, known);
        } catch (DecodeException | ClassCastException e) {
            throw new HookRefused(400, "malformed body: " + e.getMessage());
        }
    }

    private static Status status(String group) {
        if (group == null) {
            throw new HookRefused(400, "a report without status.groupName");
        }
        switch (group) {
            case "DELIVERED":
                return Status.DELIVERED;
            case "UNDELIVERABLE":
                return Status.UNDELIVERED;
            case "EXPIRED":
                return Status.EXPIRED;
            case "REJECTED":
                return Status.REJECTED;
            case "PENDING":
                return null;
            default:
                throw new HookRefused(400, "unknown status group " + group);
        }
    }

    private Instant time(String s) {
        if (s == null) {
            return clock.instant();
        }
        try {
            return OffsetDateTime.parse(s, IB_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return clock.instant();
        }
    }
}
