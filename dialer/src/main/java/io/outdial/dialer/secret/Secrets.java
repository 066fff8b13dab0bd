package io.outdial.dialer.secret;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks secrets in what the node answers and logs: passwords and tokens in definitions and configuration echoes,
 * credentials in URLs (readiness, errors). A masked value reads {@value #MASK}.
 */
public final class Secrets {
    /** What a secret value is replaced with. */
    public static final String MASK = "********";

    /** Keys whose values are secrets: password, passwd, secret, token, apiKey / api_key, credentials... */
    private static final Pattern SECRET_KEY = Pattern.compile(
        "(?i).*(password|passwd|passphrase|secret|token|api[_-]?key|credential|private[_-]?key).*");
    /** {@code scheme://user:password@host}: the password. */
    private static final Pattern URL_USERINFO = Pattern.compile("(//[^/\\s:@]*:)[^@/\\s]*@");
    /** {@code ?password=x}, {@code ;password=x}, {@code &token=x}... in URLs and connection strings. */
    private static final Pattern URL_PARAM = Pattern.compile(
        "(?i)([?&;](?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|sslpassword)=)[^&;\\s\"']*");

    private Secrets() { }

    /** Whether a field of this name holds a secret. */
    public static boolean secretKey(String key) {
        return key != null && SECRET_KEY.matcher(key).matches();
    }

    /** {@code text} with the credentials of any URL or connection string in it masked; null stays null. */
    public static String maskUrls(String text) {
        if (text == null) {
            return null;
        }
        String t = URL_USERINFO.matcher(text).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK + "@"));
        return URL_PARAM.matcher(t).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK));
    }

    /**
     * A copy of {@code json} where every non-empty value of a secret key (at any depth) is {@value #MASK}, and the
     * credentials in URLs of other text values are masked.
     */
    public static JsonObject mask(JsonObject json) {
        if (json == null) {
            return null;
        }
        JsonObject out = new JsonObject();
        for (Map.Entry<String, Object> e : json) {
            out.put(e.getKey(), secretKey(e.getKey()) && e.getValue() != null && !"".equals(e.getValue())
                && !(e.getValue() instanceof JsonObject) && !(e.getValue() instanceof JsonArray) ? MASK
                : maskValue(e.getValue()));
        }
        return out;
    }

    private static Object maskValue(Object v) {
        if (v instanceof JsonObject) {
            return mask((JsonObject) v);
        }
        if (v instanceof JsonArray) {
            JsonArray out = new JsonArray();
            ((JsonArray) v).forEach(x -> out.add(maskValue(x)));
            return out;
        }
        if (v instanceof String) {
            return maskUrls((String) v);
        }
        return v;
    }

    /** Whether {@code value} is the mask itself (a definition read back and sent again). */
    public static boolean isMask(Object value) {
        return MASK.equals(value);
    }

}
