package io.outdial.fallback.channel.sms;

import io.outdial.fallback.scheme.Status;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads SMSC delivery receipts, whose text is by convention
 * {@code id:IIII sub:001 dlvrd:001 submit date:YYMMDDhhmm done date:YYMMDDhhmm stat:DDDDDDD err:E text:...}.
 */
final class DeliveryReceipts {

    private static final Pattern ID = Pattern.compile("(?i)\\bid:(\\S+)");
    private static final Pattern STAT = Pattern.compile("(?i)\\bstat:(\\S+)");
    private static final Pattern ERR = Pattern.compile("(?i)\\berr:(\\S+)");

    private DeliveryReceipts() {
    }

    /** A parsed receipt: provider message id, the stat word, the error code (or null). */
    record Receipt(String id, String stat, String err) {

        /** The status for the stat word; null for intermediate states (ENROUTE, ACCEPTD). */
        Status status() {
            switch (stat.toUpperCase(Locale.ROOT)) {
                case "DELIVRD":
                    return Status.DELIVERED;
                case "EXPIRED":
                    return Status.EXPIRED;
                case "REJECTD":
                    return Status.REJECTED;
                case "UNDELIV":
                case "DELETED":
                case "UNKNOWN":
                    return Status.UNDELIVERED;
                default:
                    return null;
            }
        }
    }

    /** Parses a receipt text; the id from the receipted_message_id TLV wins when given. Null when unreadable. */
    static Receipt parse(String text, String tlvId) {
        Matcher id = ID.matcher(text);
        Matcher stat = STAT.matcher(text);
        if (!stat.find() || (tlvId == null && !id.find())) {
            return null;
        }
        Matcher err = ERR.matcher(text);
        return new Receipt(tlvId != null ? tlvId : id.group(1), stat.group(1), err.find() ? err.group(1) : null);
    }
}
