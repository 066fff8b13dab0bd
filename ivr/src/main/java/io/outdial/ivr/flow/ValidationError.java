package io.outdial.ivr.flow;

/**
 * One problem found in a flow document. Rendered the same way by the CLI, the API and the UI.
 *
 * @param severity ERROR makes the flow invalid; WARNING does not
 * @param nodeId   the node the problem is in, or null for document-level problems
 * @param path     JSON path of the offending value, e.g. {@code $.nodes.q1.menu.7}
 * @param message  what is wrong and what was expected
 */
public record ValidationError(Severity severity, String nodeId, String path, String message) {

    /** How bad a problem is. */
    public enum Severity { ERROR, WARNING }

    public ValidationError {
        if (severity == null || path == null || message == null) {
            throw new IllegalArgumentException("severity, path and message are required");
        }
    }

    /** An error. */
    public static ValidationError error(String nodeId, String path, String message) {
        return new ValidationError(Severity.ERROR, nodeId, path, message);
    }

    /** A warning. */
    public static ValidationError warning(String nodeId, String path, String message) {
        return new ValidationError(Severity.WARNING, nodeId, path, message);
    }

    /** True for {@link Severity#ERROR}. */
    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /** One line: {@code ERROR $.nodes.q1.menu.7 [node q1]: key "7" leads to unknown node "q9"}. */
    public String render() {
        return severity + " " + path + (nodeId == null ? "" : " [node " + nodeId + "]") + ": " + message;
    }

    @Override
    public String toString() {
        return render();
    }
}
