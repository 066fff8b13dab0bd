package io.outdial.sandbox.pbx.it;

/**
 * One thing an ARI client observed, in arrival order: an event on websocket {@code ws}, a REST reply named
 * {@code name} (the transcript's step name), or a websocket lifecycle mark. {@code millis} is relative to the
 * start of the scenario (virtual time on the sandbox side).
 *
 * @param kind   "event", "rest" or "ws"
 * @param body   the event, the REST reply body (JsonObject, JsonArray, a {@link Binary} or null)
 */
record LogItem(String kind, int ws, String name, int status, Object body, long millis) {

    /** A binary REST reply: content type and size, plus the WAV facts when it is a WAV file. */
    record Binary(String contentType, int bytes, int channels, int rate, int bits, double seconds) {
    }

    boolean isEvent() {
        return "event".equals(kind);
    }

    boolean isRest() {
        return "rest".equals(kind);
    }
}
