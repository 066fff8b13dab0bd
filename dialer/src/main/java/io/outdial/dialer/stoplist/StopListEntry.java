package io.outdial.dialer.stoplist;

import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.Objects;

/**
 * One stop-listed number.
 *
 * @param scope {@link StopList#GLOBAL} or a campaign id
 * @param phone E.164 number
 * @param reason free text, may be null
 * @param source who added it: {@code manual}, {@code import}, {@code ivr-unsubscribe}, {@code channel}
 * @param addedAt when
 */
record StopListEntry(String scope, String phone, String reason, String source, Instant addedAt) {
    public StopListEntry {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(phone, "phone");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(addedAt, "addedAt");
    }

    /** {@code {"scope", "phone", "reason", "source", "addedAt"}}, the time as ISO-8601; a missing reason is null. */
    JsonObject json() {
        return new JsonObject().put("scope", scope).put("phone", phone).put("reason", reason).put("source", source)
            .put("addedAt", addedAt.toString());
    }
}
