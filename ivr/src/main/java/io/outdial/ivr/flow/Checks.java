package io.outdial.ivr.flow;

import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** The validator's error sink plus the checks shared by several node types. */
final class Checks {

    private static final Pattern MEDIA = Pattern.compile("(prompt|sound|recording):\\S+");

    final Flow flow;
    private final VoiceCatalog voices;
    private final List<ValidationError> errors;

    Checks(Flow flow, VoiceCatalog voices, List<ValidationError> errors) {
        this.flow = flow;
        this.voices = voices;
        this.errors = errors;
    }

    void error(String nodeId, String path, String message) {
        errors.add(ValidationError.error(nodeId, path, message));
    }

    void warning(String nodeId, String path, String message) {
        errors.add(ValidationError.warning(nodeId, path, message));
    }

    /** Reports a missing value unless reading already reported a wrong value at that path. */
    void missing(String nodeId, String path, String message) {
        for (ValidationError e : errors) {
            if (e.path().equals(path)) {
                return;
            }
        }
        error(nodeId, path, message);
    }

    /** A required link to the next node: present and naming a node of this flow. */
    void next(String nodeId, String path, String target, String field) {
        if (target == null) {
            missing(nodeId, path, "missing \"" + field + "\"; expected the id of the node to go to");
        } else if (flow.node(target) == null) {
            error(nodeId, path, "\"" + field + "\" leads to \"" + target + "\", which is not a node of this flow");
        }
    }

    void voice(String nodeId, String path, Voice voice) {
        if (voice != null && !voices.has(voice)) {
            error(nodeId, path, "unknown voice " + voice + "; known voices: " + voices.voices());
        }
    }

    void template(String nodeId, String path, String text) {
        for (Template.Ref ref : Template.refs(text)) {
            reference(nodeId, path, ref.namespace(), ref.name(), "template " + ref.raw());
        }
    }

    /** A {@code namespace.name} reference in a template or a branch subject. */
    void reference(String nodeId, String path, String ns, String name, String what) {
        if ("contact".equals(ns) && name != null && !name.isBlank()) {
            return;
        }
        if ("vars".equals(ns) && name != null) {
            if (!flow.variables().containsKey(name)) {
                error(nodeId, path, what + " names unknown variable \"" + name + "\"; declare it under \"variables\"");
            }
            return;
        }
        if ("answers".equals(ns) && name != null) {
            if (!(flow.node(name) instanceof Node.Gather)) {
                error(nodeId, path, what + " names the answer of \"" + name + "\", which is not a gather node");
            }
            return;
        }
        error(nodeId, path, what + " is not a known reference; expected contact.<field>, answers.<gather node>"
                + " or vars.<variable>");
    }

    void prompt(String nodeId, String path, List<PromptPart> parts, boolean required) {
        if (parts.isEmpty() && required) {
            missing(nodeId, path, "missing prompt: expected a text, {say}, {play} or a list of them");
        }
        for (int i = 0; i < parts.size(); i++) {
            PromptPart p = parts.get(i);
            String pp = parts.size() == 1 ? path : path + "[" + i + "]";
            if (p.text() != null) {
                text(nodeId, pp, p.text());
                voice(nodeId, pp + ".voice", p.voice());
            } else {
                media(nodeId, pp, p.uri());
            }
        }
    }

    void text(String nodeId, String path, String text) {
        if (text.isBlank()) {
            error(nodeId, path, "missing prompt: the text is empty");
        }
        template(nodeId, path, text);
    }

    void media(String nodeId, String path, String uri) {
        if (!MEDIA.matcher(uri).matches()) {
            error(nodeId, path, "media \"" + uri + "\" is not playable; expected prompt:<id>, sound:<name>,"
                    + " sound:http(s)://... or recording:<name>");
        }
    }

    void keys(String nodeId, String path, String keys, String what) {
        for (char ch : keys.toCharArray()) {
            if (!isDtmf(ch)) {
                error(nodeId, path, what + " \"" + keys + "\" has '" + ch
                        + "', which is not a key; expected 0-9, * or #");
            }
        }
    }

    static boolean isDtmf(char ch) {
        return (ch >= '0' && ch <= '9') || ch == '*' || ch == '#';
    }

    void pattern(String nodeId, String path, String regex) {
        try {
            Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            error(nodeId, path, "pattern \"" + regex + "\" is not a valid regular expression: "
                    + e.getDescription() + " near index " + e.getIndex());
        }
    }
}
