package io.outdial.dialer.flowtry;

/**
 * Where flow tries are placed: an Asterisk server of the node, a trunk on it, and a called party the designer
 * drives from the browser. The demo implements it over its sandbox PBX (a remote-controlled callee per try);
 * a node without one answers 409 to a try.
 */
public interface TryLines {

    /** The node's Asterisk server (its {@code asterisk} name) whose call engine places tries. */
    String server();

    /** The trunk tries dial through. */
    String trunk();

    /** A fresh called party for one try; {@link TryLine#close()} it when the try has ended. */
    TryLine open();

    /** One try's called party: the number to dial and the designer's hands on the live call. */
    interface TryLine {
        /** The number to dial through {@link #trunk()}. */
        String number();

        /** Presses {@code digits} on the answered call; false while not answered or after the end. */
        boolean press(String digits);

        /** Hangs up as the called party; false while not answered or after the end. */
        boolean hangUp();

        /** Frees the number once the call has ended. */
        void close();
    }
}
