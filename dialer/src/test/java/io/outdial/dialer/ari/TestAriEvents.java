package io.outdial.dialer.ari;

/** {@link AriEvents#parse(String)} for the tests of other packages (the parser itself is package-private). */
public final class TestAriEvents {
    private TestAriEvents() {
    }

    /** One event parsed from its JSON text, as the events websocket reads it. */
    public static AriEvent event(String json) {
        return AriEvents.parse(json);
    }
}
