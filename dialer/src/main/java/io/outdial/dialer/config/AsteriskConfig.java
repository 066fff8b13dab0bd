package io.outdial.dialer.config;

/**
 * One Asterisk server reached over ARI. Placeholder shape owned by the telephony code, which validates it
 * further when it connects.
 *
 * @param name     short id used in logs, metrics and {@code /ready} ({@code asterisk:<name>})
 * @param url      ARI base URL, e.g. {@code http://pbx1:8088/ari}
 * @param username ARI user
 * @param password ARI password (never logged)
 * @param app      Stasis application name
 */
public record AsteriskConfig(String name, String url, String username, String password, String app) {
    public AsteriskConfig {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name is empty (expected a short server id such as pbx1)");
        }
        if (url == null || !(url.startsWith("http://") || url.startsWith("https://"))) {
            throw new IllegalArgumentException("url \"" + url + "\" is not an http(s) ARI URL");
        }
        app = app == null || app.isBlank() ? "outdial" : app;
    }

    @Override
    public String toString() {
        return "AsteriskConfig[name=" + name + ", url=" + url + ", username=" + username + ", app=" + app + "]";
    }
}
