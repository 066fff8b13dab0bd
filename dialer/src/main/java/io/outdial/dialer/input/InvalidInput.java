package io.outdial.dialer.input;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Bad input: what a person or a client sent (a campaign file, a request body, a query parameter, a column mapping,
 * the node config) cannot be accepted. Carries every {@link InputProblem} found, each with its source, path, value,
 * what was expected and a {@link Reason}; the HTTP problem handler renders it as a 400 listing them. Anything else
 * thrown while serving a request, a bare {@link IllegalArgumentException} included, is a fault of the node (500).
 */
public final class InvalidInput extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The problem code of most invalid input. */
    public static final String INVALID_FIELD = "invalid_field";

    private final String code;
    private final transient List<InputProblem> problems;

    /**
     * @param code     the machine-readable problem code, e.g. {@link #INVALID_FIELD} or {@code malformed_body}
     * @param problems at least one problem
     */
    public InvalidInput(String code, List<InputProblem> problems) {
        this(code, problems, null);
    }

    /** With the exception that revealed the problem (a parser's), kept for the log. */
    public InvalidInput(String code, List<InputProblem> problems, Throwable cause) {
        super(message(problems), cause, false, false);
        this.code = code;
        this.problems = List.copyOf(problems);
    }

    /** One problem, code {@link #INVALID_FIELD}. */
    public static InvalidInput of(InputProblem problem) {
        return new InvalidInput(INVALID_FIELD, List.of(problem));
    }

    /** One problem, code {@link #INVALID_FIELD}. */
    public static InvalidInput of(String source, String path, String value, String expected, Reason reason,
                                  String message) {
        return of(new InputProblem(source, path, value, expected, reason, message));
    }

    /** A bad request parameter or part ({@code state}, {@code body}, {@code file}): the message says the rest. */
    public static InvalidInput parameter(String name, Reason reason, String message) {
        return of(new InputProblem("request", name, null, null, reason, message));
    }

    private static String message(List<InputProblem> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("an InvalidInput needs at least one problem");
        }
        return problems.stream().map(InputProblem::message).collect(Collectors.joining("; "));
    }

    /** The problem code, e.g. {@code invalid_field}. */
    public String code() {
        return code;
    }

    /** Every problem, in the order found. */
    public List<InputProblem> problems() {
        return problems;
    }

    /** The first problem's field (see {@link InputProblem#field()}). */
    public String field() {
        return problems.get(0).field();
    }

    /** The same problems with their paths under {@code prefix} (a section the problems were found in). */
    public InvalidInput under(String prefix) {
        return new InvalidInput(code, problems.stream().map(p -> p.under(prefix)).toList(), getCause());
    }
}
