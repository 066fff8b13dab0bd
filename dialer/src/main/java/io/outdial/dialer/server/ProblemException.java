package io.outdial.dialer.server;

/**
 * A request failure with an HTTP status, rendered by {@link ProblemHandler} as
 * {@code {"error": code, "message": text, "field": name}}. Throw (or fail a route with) one of these for bad
 * input: it becomes a 4xx, never a 500.
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

    /** 400 for a bad field or parameter. */
    public static ProblemException badRequest(String field, String message) {
        return new ProblemException(400, "invalid_field", message, field);
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
