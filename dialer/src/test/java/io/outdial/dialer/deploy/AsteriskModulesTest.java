package io.outdial.dialer.deploy;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped modules.conf loads every Asterisk module the dialer needs together with everything those modules
 * require on Asterisk 22. A module whose requirement is missing is declined at start-up: without
 * res_websocket_client, res_ari is declined, then every res_ari_* module and app_stasis, and ARI answers 404.
 */
class AsteriskModulesTest {
    /**
     * What each module requires on Asterisk 22 (its {@code AST_MODULE_INFO .requires}, as the module reference
     * lists it). "http" is the core HTTP server, always present. Modules absent from the table require nothing.
     */
    static final Map<String, List<String>> REQUIRES = Map.ofEntries(
        entry("res_http_websocket", List.of("http")),
        entry("res_websocket_client", List.of("res_http_websocket")),
        entry("res_ari", List.of("http", "res_stasis", "res_http_websocket", "res_websocket_client")),
        entry("res_ari_model", List.of()),
        entry("res_ari_asterisk", List.of("res_ari", "res_ari_model", "res_stasis")),
        entry("res_ari_applications", List.of("res_ari", "res_ari_model", "res_stasis")),
        entry("res_ari_channels", List.of("res_ari", "res_ari_model", "res_stasis", "res_stasis_answer",
            "res_stasis_playback", "res_stasis_recording", "res_stasis_snoop")),
        entry("res_ari_bridges", List.of("res_ari", "res_ari_model", "res_stasis", "res_stasis_recording",
            "res_stasis_playback")),
        entry("res_ari_playbacks", List.of("res_ari", "res_ari_model", "res_stasis", "res_stasis_playback")),
        entry("res_ari_recordings", List.of("res_ari", "res_ari_model", "res_stasis", "res_stasis_recording")),
        entry("res_ari_sounds", List.of("res_ari", "res_ari_model", "res_stasis")),
        entry("res_ari_endpoints", List.of("res_ari", "res_ari_model", "res_stasis")),
        entry("res_ari_events", List.of("res_ari", "res_ari_model", "res_stasis", "res_http_websocket")),
        entry("res_stasis_answer", List.of("res_stasis")),
        entry("res_stasis_playback", List.of("res_stasis", "res_stasis_recording")),
        entry("res_stasis_recording", List.of("res_stasis")),
        entry("res_stasis_snoop", List.of("res_stasis", "res_stasis_recording")),
        entry("app_stasis", List.of("res_stasis")),
        entry("res_http_media_cache", List.of("res_curl")),
        entry("func_curl", List.of("res_curl")),
        entry("res_pjsip", List.of("res_pjproject", "res_sorcery_config", "res_sorcery_memory",
            "res_sorcery_astdb")),
        entry("res_pjsip_session", List.of("res_pjsip")),
        entry("chan_pjsip", List.of("res_pjsip", "res_pjsip_session")),
        entry("res_pjsip_sdp_rtp", List.of("res_pjsip", "res_pjsip_session")),
        entry("res_pjsip_caller_id", List.of("res_pjsip", "res_pjsip_session")),
        entry("res_pjsip_outbound_registration", List.of("res_pjsip")),
        entry("res_pjsip_authenticator_digest", List.of("res_pjsip")),
        entry("res_pjsip_outbound_authenticator_digest", List.of("res_pjsip")),
        entry("res_pjsip_endpoint_identifier_ip", List.of("res_pjsip")),
        entry("res_pjsip_endpoint_identifier_user", List.of("res_pjsip")),
        entry("res_pjsip_nat", List.of("res_pjsip", "res_pjsip_session")),
        entry("res_pjsip_rfc3326", List.of("res_pjsip", "res_pjsip_session")),
        entry("res_pjsip_dtmf_info", List.of("res_pjsip", "res_pjsip_session")),
        entry("res_pjsip_pubsub", List.of("res_pjsip")),
        entry("res_pjsip_logger", List.of("res_pjsip")));

    /** Built into Asterisk's core: never a module in modules.conf. */
    private static final Set<String> CORE = Set.of("http");

    /** What the dialer uses: ARI REST + events, Stasis, HTTP prompts as WAV (resampled), recordings, AMD, PJSIP. */
    private static final List<String> DIALER_NEEDS = List.of("res_ari", "res_ari_model", "res_ari_asterisk",
        "res_ari_applications", "res_ari_channels", "res_ari_bridges", "res_ari_playbacks", "res_ari_recordings",
        "res_ari_endpoints", "res_ari_events", "res_stasis", "res_stasis_answer", "res_stasis_playback",
        "res_stasis_recording", "app_stasis", "res_http_websocket", "res_websocket_client", "res_http_media_cache",
        "format_wav", "codec_resample", "codec_ulaw", "codec_alaw", "app_amd", "pbx_config", "chan_pjsip",
        "res_rtp_asterisk", "bridge_simple", "func_channel");

    /** The modules modules.conf loads: its explicit load lines, or with autoload=yes whatever is not noloaded. */
    static Set<String> loaded(List<String> modules, Set<String> candidates) {
        boolean autoload = modules.contains("autoload=yes");
        Set<String> result = new LinkedHashSet<>();
        for (String line : modules) {
            if (line.startsWith("load=") || line.startsWith("require=") || line.startsWith("preload=")) {
                result.add(stripSo(line.substring(line.indexOf('=') + 1)));
            }
        }
        if (autoload) {
            result.addAll(candidates);
        }
        for (String line : modules) {
            if (line.startsWith("noload=")) {
                result.remove(stripSo(line.substring("noload=".length())));
            }
        }
        return result;
    }

    private static String stripSo(String module) {
        return module.endsWith(".so") ? module.substring(0, module.length() - 3) : module;
    }

    /** Every module reachable from the needed ones through the requirement table. */
    static Set<String> closure(List<String> needed) {
        Set<String> all = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(needed);
        while (!todo.isEmpty()) {
            String m = todo.pop();
            if (!CORE.contains(m) && all.add(m)) {
                todo.addAll(REQUIRES.getOrDefault(m, List.of()));
            }
        }
        return all;
    }

    static List<String> missing(List<String> modulesSection) {
        Set<String> needed = closure(DIALER_NEEDS);
        Set<String> loaded = loaded(modulesSection, needed);
        List<String> missing = new ArrayList<>(needed);
        missing.removeAll(loaded);
        return missing;
    }

    @Test
    void shippedModulesConfLoadsEveryModuleTheDialerNeedsWithItsRequirements() throws IOException {
        List<String> modules = AsteriskConfigFilesTest.section(AsteriskConfigFilesTest.parse("modules.conf"),
            "modules");
        assertThat(missing(modules)).as("modules the dialer needs (or their requirements) that are not loaded")
            .isEmpty();
    }

    @Test
    void everyLoadedModuleHasItsRequirementsLoaded() throws IOException {
        List<String> modules = AsteriskConfigFilesTest.section(AsteriskConfigFilesTest.parse("modules.conf"),
            "modules");
        Set<String> loaded = loaded(modules, Set.of());
        for (String m : loaded) {
            for (String r : REQUIRES.getOrDefault(m, List.of())) {
                if (!CORE.contains(r)) {
                    assertThat(loaded).as(m + " requires " + r).contains(r);
                }
            }
        }
    }

    @Test
    void aMissingWebsocketClientIsFound() {
        List<String> modules = new ArrayList<>(List.of("autoload=no"));
        closure(DIALER_NEEDS).forEach(m -> modules.add("load=" + m + ".so"));
        modules.remove("load=res_websocket_client.so");
        assertThat(missing(modules)).containsExactly("res_websocket_client");
    }

    @Test
    void autoloadCountsEveryModuleButTheNoloadedOnes() {
        assertThat(missing(List.of("autoload=yes"))).isEmpty();
        assertThat(missing(List.of("autoload=yes", "noload=res_ari_events.so"))).containsExactly("res_ari_events");
    }
}
