package io.outdial.dialer.doctor;

import io.outdial.dialer.trunk.TrunkConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The Asterisk modules the dialer needs loaded, each with what it is for. */
final class ModuleRequirements {
    private static final Map<String, String> ALWAYS = new LinkedHashMap<>();

    static {
        ALWAYS.put("res_ari", "ARI itself");
        ALWAYS.put("res_ari_model", "ARI request validation");
        ALWAYS.put("res_ari_asterisk", "GET /asterisk/info, health polls");
        ALWAYS.put("res_ari_applications", "application registration and subscriptions");
        ALWAYS.put("res_ari_channels", "originate, play, record, hang up");
        ALWAYS.put("res_ari_bridges", "transfers");
        ALWAYS.put("res_ari_playbacks", "stopping prompts");
        ALWAYS.put("res_ari_recordings", "recordings");
        ALWAYS.put("res_ari_endpoints", "trunk health");
        ALWAYS.put("res_ari_events", "the events websocket");
        ALWAYS.put("res_http_websocket", "the events websocket");
        ALWAYS.put("res_stasis", "Stasis applications");
        ALWAYS.put("res_stasis_answer", "answering in Stasis");
        ALWAYS.put("res_stasis_playback", "prompts");
        ALWAYS.put("res_stasis_recording", "recordings");
        ALWAYS.put("app_stasis", "Stasis() in the dialplan");
        ALWAYS.put("res_http_media_cache", "prompts fetched over HTTP (sound:http://...)");
        ALWAYS.put("res_curl", "prompts fetched over HTTP");
        ALWAYS.put("format_wav", "WAV prompts and recordings");
        ALWAYS.put("codec_resample", "prompts at another sample rate than the call");
    }

    private ModuleRequirements() {
    }

    /**
     * Module name (without {@code .so}) → its use, for Asterisk {@code version} with or without AMD and the channel
     * drivers of {@code trunks}.
     */
    static Map<String, String> of(String version, boolean amd, List<TrunkConfig> trunks) {
        Map<String, String> out = new LinkedHashMap<>(ALWAYS);
        if (websocketClientRequired(version)) {
            out.put("res_websocket_client", "res_ari depends on it since Asterisk 20.15, 21.10 and 22.5");
        }
        if (amd) {
            out.put("app_amd", "AMD() in the dialer-amd context");
        }
        for (TrunkConfig t : trunks) {
            String tech = t.endpointPattern().substring(0, t.endpointPattern().indexOf('/')).toLowerCase(Locale.ROOT);
            if (!tech.equals("local")) {
                out.putIfAbsent("chan_" + tech, "trunk " + t.name() + " (" + t.endpointPattern() + ")");
            }
        }
        return out;
    }

    /** res_websocket_client exists (and res_ari needs it) from 20.15.0, 21.10.0, 22.5.0 and every later major. */
    static boolean websocketClientRequired(String version) {
        int[] v = parse(version);
        if (v == null) {
            return false;
        }
        return v[0] > 22 || v[0] == 22 && v[1] >= 5 || v[0] == 21 && v[1] >= 10 || v[0] == 20 && v[1] >= 15;
    }

    /** {@code 22.10.1} → {22, 10}; certified and rc suffixes ignored; null when unreadable. */
    static int[] parse(String version) {
        if (version == null) {
            return null;
        }
        var m = java.util.regex.Pattern.compile("(?:certified-)?(\\d+)\\.(\\d+)").matcher(version);
        return m.find() ? new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))} : null;
    }

    /** A module name as listed ({@code res_ari.so}) without its suffix. */
    static String bare(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".so") ? n.substring(0, n.length() - 3) : n;
    }
}
