package io.outdial.sandbox.smsc;

/** Fault injection: the sandbox SMSC misbehaves the way a real one can. */
public interface SmscFaults {

    /**
     * Unbinds every bound session the way a well-behaved SMSC does: new submit_sm on it get ESME_RINVBNDSTS, those
     * under way are answered, then unbind goes out and the session closes; clients must bind again.
     */
    void unbindAll();

    /** While on, enquire_link requests are not answered (the client must time out and reconnect). */
    void silenceEnquireLink(boolean on);

    /** The next {@code count} submit_sm get ESME_RTHROTTLED (0x58). */
    void throttleNext(int count);

    /** While on, bind requests are rejected with ESME_RBINDFAIL. */
    void refuseBinds(boolean on);

    /** Removes every fault. */
    void clear();
}
