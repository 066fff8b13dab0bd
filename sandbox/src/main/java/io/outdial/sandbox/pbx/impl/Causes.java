package io.outdial.sandbox.pbx.impl;

import java.util.Map;

/** Q.850 cause texts as Asterisk prints them, and the dial status Asterisk derives from a cause. */
final class Causes {

    private static final Map<Integer, String> TEXT = Map.ofEntries(
        Map.entry(0, "Unknown"), Map.entry(1, "Unallocated (unassigned) number"),
        Map.entry(2, "No route to specified transmit network"), Map.entry(3, "No route to destination"),
        Map.entry(16, "Normal Clearing"), Map.entry(17, "User busy"), Map.entry(18, "No user responding"),
        Map.entry(19, "User alerting, no answer"), Map.entry(20, "Subscriber absent"),
        Map.entry(21, "Call Rejected"), Map.entry(22, "Number changed"),
        Map.entry(27, "Destination out of order"), Map.entry(28, "Invalid number format"),
        Map.entry(31, "Normal, unspecified"), Map.entry(34, "Circuit/channel congestion"),
        Map.entry(38, "Network out of order"), Map.entry(41, "Temporary failure"),
        Map.entry(42, "Switching equipment congestion"), Map.entry(127, "Interworking, unspecified"));

    private Causes() {
    }

    static String text(int cause) {
        return TEXT.getOrDefault(cause, "Unknown");
    }

    /** Like Asterisk's ast_hangup_cause_to_dial_status. */
    static String dialStatus(int cause) {
        switch (cause) {
            case 17:
                return "BUSY";
            case 34:
            case 42:
                return "CONGESTION";
            case 19:
                return "NOANSWER";
            default:
                return "CHANUNAVAIL";
        }
    }
}
