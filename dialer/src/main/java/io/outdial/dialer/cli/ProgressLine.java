package io.outdial.dialer.cli;

import io.outdial.dialer.contact.ContactCounts;
import java.io.PrintStream;

/** The headless run's progress: one \r-updated line on a terminal, a line every few seconds otherwise. */
final class ProgressLine {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final boolean tty;

    ProgressLine(PrintStream out, boolean tty) {
        this.out = out;
        this.tty = tty;
    }

    boolean tty() {
        return tty;
    }

    /**
     * Shows the counts {@code c}, the attempts {@code ended} (final outcome stored) and {@code why} not dialing
     * (a message, or null).
     */
    synchronized void show(ContactCounts c, String why, int ended) {
        long closed = c.closedSuccess() + c.closedNoSuccess() + c.exhausted() + c.noValidNumber() + c.stopListed();
        int filled = c.total() == 0 ? WIDTH : (int) (closed * WIDTH / c.total());
        String line = "[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + closed + "/" + c.total()
                + " done | live " + c.inProgress() + " | due " + c.availableNow() + " | planned " + c.planned()
                + " | success " + c.closedSuccess() + " | failed " + c.closedNoSuccess() + " | exhausted "
                + c.exhausted() + " | invalid " + c.noValidNumber() + " | stop-listed " + c.stopListed()
                + " | attempts " + ended + (why == null ? "" : " | " + why);
        if (tty) {
            out.print("\r" + line + "\u001b[K");
            out.flush();
        } else {
            out.println(line);
        }
    }

    synchronized void end() {
        if (tty) {
            out.println();
        }
    }
}
