package io.outdial.fallback.scheme;

/**
 * One problem found in a scheme document, rendered the same way wherever it is shown.
 *
 * @param blockId the block the problem is in, or null for document-level problems
 * @param path    JSON path of the offending value, e.g. {@code $.blocks.sms1.links[0].next}
 * @param message what is wrong and what was expected
 */
public record SchemeError(String blockId, String path, String message) {

    public SchemeError {
        if (path == null || message == null) {
            throw new IllegalArgumentException("path and message are required");
        }
    }

    /** An error at a path, taking the block id from the path. */
    public static SchemeError at(String path, String message) {
        return new SchemeError(blockIdOf(path), path, message);
    }

    /** The block id a path points into, or null. */
    static String blockIdOf(String path) {
        String prefix = "$.blocks.";
        if (!path.startsWith(prefix)) {
            return null;
        }
        String rest = path.substring(prefix.length());
        int end = rest.length();
        for (int i = 0; i < rest.length(); i++) {
            if (rest.charAt(i) == '.' || rest.charAt(i) == '[') {
                end = i;
                break;
            }
        }
        return rest.substring(0, end);
    }

    /** One line: {@code $.blocks.sms1.links[0].next [block sms1]: link leads to unknown block "x"}. */
    public String render() {
        return path + (blockId == null ? "" : " [block " + blockId + "]") + ": " + message;
    }

    @Override
    public String toString() {
        return render();
    }
}
