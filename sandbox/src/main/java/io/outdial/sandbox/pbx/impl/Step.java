package io.outdial.sandbox.pbx.impl;

/** One dialplan priority run by the called side: Asterisk application name and its data. */
record Step(String app, String data) {

    static Step of(String app, String data) {
        return new Step(app, data);
    }

    static Step of(String app) {
        return new Step(app, "");
    }

    /** Wait()/Busy()/Congestion() data in milliseconds. */
    long seconds() {
        return data.isEmpty() ? 0 : Math.round(Double.parseDouble(data) * 1000);
    }
}
