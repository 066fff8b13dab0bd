package io.outdial.sandbox.pbx;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Settings of a {@link SandboxPbx}. Start from {@link #defaults()} and change what you need with the
 * {@code with...} methods.
 *
 * @param host          listen address (default 127.0.0.1)
 * @param port          listen port; 0 picks a free port (default 0)
 * @param username      ARI user (default "dialer"); Basic auth or {@code api_key=user:pass}
 * @param password      ARI password (default "dialer")
 * @param allowedApps   app names accepted on the events websocket; empty = any (default empty)
 * @param recordingsDir where recordings are stored as WAV files; null = a fresh temporary directory
 * @param timeScale     virtual milliseconds per real millisecond (default 1.0 = real time)
 * @param dialplanApp   the app name the reference dialplan contexts {@code stasis-entry}/{@code dialer-amd} use
 * @param extraSounds   stock sound names (without "sound:") and their length, added to the built-in table
 * @param defaultScripts the default script table for PJSIP/SIP/IAX2 numbers (default {@link CalleeScripts#defaultTable()})
 */
public record SandboxPbxOptions(String host, int port, String username, String password, Set<String> allowedApps,
                                Path recordingsDir, double timeScale, String dialplanApp,
                                Map<String, Duration> extraSounds, List<CalleeScripts.Rule> defaultScripts) {

    public SandboxPbxOptions {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(dialplanApp, "dialplanApp");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " must be 0..65535");
        }
        if (!(timeScale > 0) || Double.isInfinite(timeScale)) {
            throw new IllegalArgumentException("timeScale " + timeScale + " must be a positive finite number");
        }
        allowedApps = Set.copyOf(allowedApps);
        extraSounds = Map.copyOf(extraSounds);
        defaultScripts = List.copyOf(defaultScripts);
    }

    /** 127.0.0.1, a free port, dialer/dialer, any app, a temporary recordings directory, real time. */
    public static SandboxPbxOptions defaults() {
        return new SandboxPbxOptions("127.0.0.1", 0, "dialer", "dialer", Set.of(), null, 1.0, "dialer", Map.of(),
            CalleeScripts.defaultTable());
    }

    public SandboxPbxOptions withHost(String value) {
        return new SandboxPbxOptions(value, port, username, password, allowedApps, recordingsDir, timeScale,
            dialplanApp, extraSounds, defaultScripts);
    }

    public SandboxPbxOptions withPort(int value) {
        return new SandboxPbxOptions(host, value, username, password, allowedApps, recordingsDir, timeScale,
            dialplanApp, extraSounds, defaultScripts);
    }

    public SandboxPbxOptions withCredentials(String user, String pass) {
        return new SandboxPbxOptions(host, port, user, pass, allowedApps, recordingsDir, timeScale, dialplanApp,
            extraSounds, defaultScripts);
    }

    public SandboxPbxOptions withAllowedApps(Set<String> value) {
        return new SandboxPbxOptions(host, port, username, password, value, recordingsDir, timeScale, dialplanApp,
            extraSounds, defaultScripts);
    }

    public SandboxPbxOptions withRecordingsDir(Path value) {
        return new SandboxPbxOptions(host, port, username, password, allowedApps, value, timeScale, dialplanApp,
            extraSounds, defaultScripts);
    }

    public SandboxPbxOptions withTimeScale(double value) {
        return new SandboxPbxOptions(host, port, username, password, allowedApps, recordingsDir, value, dialplanApp,
            extraSounds, defaultScripts);
    }

    public SandboxPbxOptions withDialplanApp(String value) {
        return new SandboxPbxOptions(host, port, username, password, allowedApps, recordingsDir, timeScale, value,
            extraSounds, defaultScripts);
    }

    public SandboxPbxOptions withExtraSounds(Map<String, Duration> value) {
        return new SandboxPbxOptions(host, port, username, password, allowedApps, recordingsDir, timeScale,
            dialplanApp, value, defaultScripts);
    }

    public SandboxPbxOptions withDefaultScripts(List<CalleeScripts.Rule> value) {
        return new SandboxPbxOptions(host, port, username, password, allowedApps, recordingsDir, timeScale,
            dialplanApp, extraSounds, value);
    }
}
