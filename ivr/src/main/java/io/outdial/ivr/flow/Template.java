package io.outdial.ivr.flow;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Template text: {@code {{contact.<field>}}}, {@code {{answers.<node>}}}, {@code {{vars.<name>}}}, each with an
 * optional default after a bar: {@code {{contact.first_name|customer}}}.
 *
 * <p>Missing-value rule: a reference whose value is missing or empty becomes its default text, or the empty
 * string when it has none. The validator rejects references to undeclared variables, to answers of nodes that
 * are not gather nodes, and to unknown namespaces, so at run time only contact fields and answers not given yet
 * can be missing.
 */
public final class Template {

    private static final Pattern REF = Pattern.compile("\\{\\{\\s*([^}|]*?)\\s*(?:\\|([^}]*))?}}");

    /** One reference in a template. */
    public record Ref(String namespace, String name, String defaultText, String raw) {
        /** {@code namespace.name}. */
        public String key() {
            return name == null ? namespace : namespace + "." + name;
        }
    }

    private Template() {
    }

    /** True when the text contains at least one reference. */
    public static boolean hasRefs(String text) {
        return text != null && text.contains("{{");
    }

    /** Every reference in the text, in order. */
    public static List<Ref> refs(String text) {
        List<Ref> out = new ArrayList<>();
        if (text == null) {
            return out;
        }
        Matcher m = REF.matcher(text);
        while (m.find()) {
            out.add(ref(m));
        }
        return out;
    }

    /**
     * Resolves every reference with {@code lookup}; a null or empty value becomes the default text or "".
     */
    public static String resolve(String text, Function<Ref, String> lookup) {
        if (!hasRefs(text)) {
            return text;
        }
        Matcher m = REF.matcher(text);
        StringBuilder sb = new StringBuilder(text.length() + 16);
        while (m.find()) {
            Ref ref = ref(m);
            String value = lookup.apply(ref);
            if (value == null || value.isEmpty()) {
                value = ref.defaultText() == null ? "" : ref.defaultText();
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(value));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static Ref ref(Matcher m) {
        String expr = m.group(1);
        int dot = expr.indexOf('.');
        String ns = dot < 0 ? expr : expr.substring(0, dot);
        String name = dot < 0 ? null : expr.substring(dot + 1);
        return new Ref(ns, name, m.group(2), m.group());
    }
}
