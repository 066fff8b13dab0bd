package io.outdial.sandbox.pbx.impl;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The loaded modules as Asterisk 22 lists them ({@code GET /asterisk/modules}, {@code GET /asterisk/modules/{name}}):
 * the modules of the shipped {@code modules.conf}, each {@code {"name":"res_ari.so","description":...,
 * "use_count":0,"status":"Running","support_level":"core"}}. A module unloaded by a fault is left out of the list and
 * is 404 on its own, as a module that {@code autoload = no} never loaded. Safe from any thread.
 */
final class Modules {

    private record Module(String name, String description, String supportLevel) {
        JsonObject json() {
            return new JsonObject().put("name", name).put("description", description).put("use_count", 0)
                .put("status", "Running").put("support_level", supportLevel);
        }
    }

    private static final List<Module> LOADED = List.of(
        of("app_amd.so", "Answering Machine Detection Application", "extended"),
        of("app_stasis.so", "Stasis dialplan application", "core"),
        of("bridge_simple.so", "Simple two channel bridging module", "core"),
        of("bridge_softmix.so", "Multi-party software based channel mixing", "core"),
        of("chan_pjsip.so", "PJSIP Channel Driver", "core"),
        of("codec_alaw.so", "A-law Coder/Decoder", "core"),
        of("codec_resample.so", "SLIN Resampling Codec", "core"),
        of("codec_ulaw.so", "mu-Law Coder/Decoder", "core"),
        of("format_pcm.so", "Raw/Sun uLaw/ALaw 8KHz (PCM,PCMA,AU), G.722 16Khz", "core"),
        of("format_sln.so", "Raw Signed Linear Audio support (SLN) 8khz-192khz", "core"),
        of("format_wav.so", "Microsoft WAV format (8kHz Signed Linear)", "core"),
        of("func_curl.so", "Load external URL", "core"),
        of("pbx_config.so", "Text Extension Configuration", "core"),
        of("res_ari.so", "Asterisk RESTful Interface", "core"),
        of("res_ari_applications.so", "RESTful API module - Stasis application resources", "core"),
        of("res_ari_asterisk.so", "RESTful API module - Asterisk resources", "core"),
        of("res_ari_bridges.so", "RESTful API module - Bridge resources", "core"),
        of("res_ari_channels.so", "RESTful API module - Channel resources", "core"),
        of("res_ari_endpoints.so", "RESTful API module - Endpoint resources", "core"),
        of("res_ari_events.so", "RESTful API module - WebSocket resource", "core"),
        of("res_ari_model.so", "ARI Model validators", "core"),
        of("res_ari_playbacks.so", "RESTful API module - Playback control resources", "core"),
        of("res_ari_recordings.so", "RESTful API module - Recording resources", "core"),
        of("res_ari_sounds.so", "RESTful API module - Sound resources", "core"),
        of("res_curl.so", "cURL Resource Module", "core"),
        of("res_http_media_cache.so", "HTTP Media Cache Backend", "core"),
        of("res_http_websocket.so", "HTTP WebSocket Support", "core"),
        of("res_pjsip.so", "Basic SIP resource", "core"),
        of("res_rtp_asterisk.so", "Asterisk RTP Stack", "core"),
        of("res_stasis.so", "Stasis application support", "core"),
        of("res_stasis_answer.so", "Stasis application answer support", "core"),
        of("res_stasis_playback.so", "Stasis application playback support", "core"),
        of("res_stasis_recording.so", "Stasis application recording support", "core"),
        of("res_stasis_snoop.so", "Stasis application snoop support", "extended"),
        of("res_websocket_client.so", "WebSocket Client Support", "core"));

    private final Set<String> unloaded = ConcurrentHashMap.newKeySet();

    private static Module of(String name, String description, String level) {
        return new Module(name, description, level);
    }

    /** Asterisk matches module names with or without {@code .so}. */
    private static String key(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".so") ? n.substring(0, n.length() - 3) : n;
    }

    void unload(String name) {
        unloaded.add(key(name));
    }

    void reset() {
        unloaded.clear();
    }

    JsonArray list() {
        JsonArray out = new JsonArray();
        LOADED.stream().filter(m -> !unloaded.contains(key(m.name()))).forEach(m -> out.add(m.json()));
        return out;
    }

    JsonObject get(String name) {
        return LOADED.stream().filter(m -> key(m.name()).equals(key(name)) && !unloaded.contains(key(name)))
            .findFirst().map(Module::json)
            .orElseThrow(() -> new Engine.AriError(404, "Module could not be found in running modules"));
    }
}
