package io.outdial.fallback.scheme;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Content templates: {@code {{contact.<field>}}} is replaced by the recipient's field; a field the contact
 * lacks becomes empty text.
 */
public final class ContentTemplate {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*contact\\.([A-Za-z0-9_]+)\\s*}}");

    private ContentTemplate() {
    }

    /** The template with every placeholder replaced. */
    public static String render(String template, Map<String, String> fields) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder sb = new StringBuilder(template.length() + 32);
        while (m.find()) {
            String v = fields.get(m.group(1));
            m.appendReplacement(sb, Matcher.quoteReplacement(v == null ? "" : v));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** The fixed text of a template, without its placeholders: the least a rendered text can be. */
    public static String fixedText(String template) {
        return PLACEHOLDER.matcher(template).replaceAll("");
    }

    /** Null when well formed, else what is wrong. */
    public static String problem(String template) {
        String rest = fixedText(template);
        int at = rest.indexOf("{{");
        if (at < 0) {
            at = rest.indexOf("}}");
        }
        if (at < 0) {
            return null;
        }
        int end = Math.min(rest.length(), at + 24);
        return "malformed placeholder near \"" + rest.substring(at, end) + "\"; expected {{contact.<field>}}";
    }
}
