package io.outdial.dialer.ari;

/**
 * An ARI REST request failed. Keeps the HTTP status (0 when no response came: connection refused, timeout,
 * not connected) and Asterisk's own {@code message} / {@code error} text.
 */
public final class AriException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String ariMessage;

    /** A failure of {@code method path} with this status and Asterisk's message. */
    public AriException(String server, String method, String path, int status, String ariMessage, Throwable cause) {
        super("ARI " + server + " " + method + " " + path + " failed: "
                + (status == 0 ? "no response" : "HTTP " + status)
                + (ariMessage == null ? "" : ": " + ariMessage), cause);
        this.status = status;
        this.ariMessage = ariMessage;
    }

    /** The HTTP status, 0 when there was no HTTP response. */
    public int status() {
        return status;
    }

    /** Asterisk's {@code message} or {@code error} from the reply body, or the transport error text. */
    public String ariMessage() {
        return ariMessage;
    }

    /** True for 404 (channel, playback, bridge or recording not found). */
    public boolean notFound() {
        return status == 404;
    }
}
