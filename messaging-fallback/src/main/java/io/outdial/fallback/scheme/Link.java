package io.outdial.fallback.scheme;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * One way out of a channel block. Exactly the fields of its kind are set (the JSON Schema enforces it):
 * {@code status} for STATUS, {@code contains} or {@code matches} for REPLY, {@code key} for KEY,
 * {@code event} for MESSAGE, none for ERROR and TIMEOUT. The first link of a block that matches an event wins.
 *
 * @param on       what the link waits for
 * @param status   the channel status (STATUS)
 * @param contains text the reply contains, compared case-insensitively (REPLY)
 * @param matches  a regular expression found in the reply, case-insensitive (REPLY)
 * @param key      the IVR key pressed, 0-9, * or # (KEY)
 * @param event    the IVR {@code message} node's event name (MESSAGE)
 * @param next     the block to go to
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Link(On on, Status status, String contains, String matches, String key, String event, String next) {

    /** The kinds of link event. */
    public enum On {
        /** A status of the block's channel. */
        STATUS,
        /** A reply from the recipient. */
        REPLY,
        /** An IVR key press (Voice). */
        KEY,
        /** An IVR {@code message} event (Voice). */
        MESSAGE,
        /** The send failed: refused by the stop-list check's caps, the channel, or the provider at submit. */
        ERROR,
        /** The block's decision time ran out. */
        TIMEOUT;

        /** The document spelling. */
        @JsonValue
        public String json() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A short description for messages and paths: {@code status delivered}, {@code reply contains "yes"}. */
    public String describe() {
        switch (on) {
            case STATUS:
                return "status " + (status == null ? "?" : status.json());
            case REPLY:
                return contains != null ? "reply contains \"" + contains + "\"" : "reply matches /" + matches + "/";
            case KEY:
                return "key " + key;
            case MESSAGE:
                return "message " + event;
            default:
                return on.json();
        }
    }
}
