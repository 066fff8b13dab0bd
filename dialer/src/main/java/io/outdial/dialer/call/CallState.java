package io.outdial.dialer.call;

/** Where one call attempt is: DIALING → RINGING → ANSWERED → IN_FLOW → ENDED (states may be skipped). */
public enum CallState { DIALING, RINGING, ANSWERED, IN_FLOW, ENDED }
