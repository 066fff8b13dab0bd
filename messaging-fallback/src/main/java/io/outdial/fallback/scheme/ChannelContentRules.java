package io.outdial.fallback.scheme;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Per-channel content checks: which keys a block may carry, WhatsApp template names, languages and
 * parameters, Viber text and button limits, webhook URLs. Lengths count the fixed text of a template (its
 * placeholders removed): the least the rendered text can be.
 */
final class ChannelContentRules {

    /** WhatsApp: a free-form text message (only inside the 24-hour window) holds at most this many characters. */
    static final int WHATSAPP_TEXT_MAX = 4096;
    /** WhatsApp: one template parameter holds at most this many characters. */
    static final int WHATSAPP_PARAM_MAX = 1024;
    /** Viber business message text (Infobip): at most this many characters. */
    static final int VIBER_TEXT_MAX = 1000;
    /** Viber button caption: at most this many characters. */
    static final int VIBER_BUTTON_TEXT_MAX = 30;
    /** Viber button URL: at most this many characters. */
    static final int VIBER_BUTTON_URL_MAX = 1000;

    private static final Pattern TEMPLATE_NAME = Pattern.compile("^[a-z0-9_]{1,512}$");
    private static final Pattern LANGUAGE = Pattern.compile("^[a-z]{2,3}(_[A-Z]{2})?$");
    private static final Pattern PARAM = Pattern.compile("^param([1-9][0-9]?)$");
    private static final Pattern SPACES = Pattern.compile(" {5,}");

    private ChannelContentRules() {
    }

    static void check(Block.ChannelBlock b, String path, List<SchemeError> errors) {
        switch (b.type()) {
            case WHATSAPP:
                whatsapp(b, path, errors);
                break;
            case VIBER:
                viber(b, path, errors);
                break;
            case WEBHOOK:
                allowed(b, path, Set.of("url"), errors);
                url(b.content().get("url"), path + ".content.url", errors);
                break;
            default:
                break;
        }
    }

    private static void whatsapp(Block.ChannelBlock b, String path, List<SchemeError> errors) {
        int params = 0;
        for (String k : b.content().keySet()) {
            var m = PARAM.matcher(k);
            if (m.matches()) {
                params = Math.max(params, Integer.parseInt(m.group(1)));
            } else if (!Set.of("template", "language", "text").contains(k)) {
                errors.add(SchemeError.at(path + ".content." + k, "a whatsapp block has no content \"" + k
                        + "\"; it takes template, language, param1..paramN and text"));
            }
        }
        String template = b.content().get("template");
        if (template != null && !template.isBlank() && !TEMPLATE_NAME.matcher(template).matches()) {
            errors.add(SchemeError.at(path + ".content.template", "\"" + template + "\" is not a WhatsApp template"
                    + " name: lower-case letters, digits and underscores, at most 512"));
        }
        String lang = b.content().get("language");
        if (lang != null && !LANGUAGE.matcher(lang).matches()) {
            errors.add(SchemeError.at(path + ".content.language", "\"" + lang + "\" is not a template language"
                    + " code such as en, en_US or pt_BR"));
        }
        for (int i = 1; i <= params; i++) {
            String key = "param" + i;
            String v = b.content().get(key);
            String at = path + ".content." + key;
            if (v == null) {
                errors.add(SchemeError.at(at, "template parameters are numbered from 1 without gaps; " + key
                        + " is missing while param" + params + " is set"));
                continue;
            }
            String fixed = ContentTemplate.fixedText(v);
            if (v.isBlank()) {
                errors.add(SchemeError.at(at, "a template parameter cannot be empty"));
            } else if (fixed.indexOf('\n') >= 0 || fixed.indexOf('\t') >= 0 || SPACES.matcher(fixed).find()) {
                errors.add(SchemeError.at(at, "a template parameter cannot hold new lines, tabs or more than four"
                        + " spaces in a row"));
            }
            if (fixed.length() > WHATSAPP_PARAM_MAX) {
                errors.add(SchemeError.at(at, "a template parameter holds at most " + WHATSAPP_PARAM_MAX
                        + " characters; the fixed text alone has " + fixed.length()));
            }
        }
        String text = b.content().get("text");
        if (text != null && ContentTemplate.fixedText(text).length() > WHATSAPP_TEXT_MAX) {
            errors.add(SchemeError.at(path + ".content.text", "a WhatsApp text holds at most " + WHATSAPP_TEXT_MAX
                    + " characters"));
        }
    }

    private static void viber(Block.ChannelBlock b, String path, List<SchemeError> errors) {
        allowed(b, path, Set.of("text", "buttonText", "buttonUrl"), errors);
        String text = b.content().get("text");
        if (text != null) {
            int n = ContentTemplate.fixedText(text).codePointCount(0, ContentTemplate.fixedText(text).length());
            if (n > VIBER_TEXT_MAX) {
                errors.add(SchemeError.at(path + ".content.text", "Viber text too long: " + n
                        + " characters before placeholders; at most " + VIBER_TEXT_MAX));
            }
        }
        String bt = b.content().get("buttonText");
        String bu = b.content().get("buttonUrl");
        if ((bt == null) != (bu == null)) {
            errors.add(SchemeError.at(path + ".content." + (bt == null ? "buttonText" : "buttonUrl"),
                    "a Viber button needs both buttonText and buttonUrl"));
        }
        if (bt != null) {
            String fixed = ContentTemplate.fixedText(bt);
            if (bt.isBlank()) {
                errors.add(SchemeError.at(path + ".content.buttonText", "a Viber button caption cannot be empty"));
            } else if (fixed.codePointCount(0, fixed.length()) > VIBER_BUTTON_TEXT_MAX) {
                errors.add(SchemeError.at(path + ".content.buttonText", "a Viber button caption holds at most "
                        + VIBER_BUTTON_TEXT_MAX + " characters, has " + fixed.length()));
            }
        }
        if (bu != null) {
            url(bu, path + ".content.buttonUrl", errors);
            if (ContentTemplate.fixedText(bu).length() > VIBER_BUTTON_URL_MAX) {
                errors.add(SchemeError.at(path + ".content.buttonUrl", "a Viber button URL holds at most "
                        + VIBER_BUTTON_URL_MAX + " characters"));
            }
        }
    }

    private static void allowed(Block.ChannelBlock b, String path, Set<String> keys, List<SchemeError> errors) {
        for (String k : b.content().keySet()) {
            if (!keys.contains(k)) {
                errors.add(SchemeError.at(path + ".content." + k, "a " + b.type().json() + " block has no content \""
                        + k + "\"; it takes " + new TreeSet<>(keys)));
            }
        }
    }

    private static void url(String v, String at, List<SchemeError> errors) {
        if (v != null && !v.isBlank() && !v.startsWith("https://") && !v.startsWith("http://")) {
            errors.add(SchemeError.at(at, "\"" + v + "\" is not an http(s) URL"));
        }
    }
}
