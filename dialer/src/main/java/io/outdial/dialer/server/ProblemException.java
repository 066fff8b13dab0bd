package io.outdial.dialer.server;

/**
 * A request refused for a reason other than bad input (a missing resource, a conflict with the current state, an
 * upload too large, a dependency unavailable), with its HTTP status, rendered by {@link ProblemHandler} as
 * {@code {"error": code, "message": text, "field": name}}. Bad input is an {@link io.outdial.dialer.input.InvalidInput}.
 */
public final class ProblemException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String error;
    private final String field;

    /**
     * @param status  HTTP status, e.g. 400
     * @param error   stable machine-readable code, e.g. {@code invalid_field}
     * @param message what is wrong, naming the input and what was expected
     * @param field   the offending field or parameter, or null
     */
    public ProblemException(int status, String error, String message, String field) {
        super(message);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("status " + status + " is not an error status (expected 400..599)");
        }
        this.status = status;
        this.error = error;
        this.field = field;
    }

    /** 404 for a missing resource. */
    public static ProblemException notFound(String message) {
        return new ProblemException(404, "not_found", message, null);
    }

    /** 409 when the request conflicts with the current state. */
    public static ProblemException conflict(String message) {
        return new ProblemException(409, "conflict", message, null);
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    public String field() {
        return field;
    }
}
