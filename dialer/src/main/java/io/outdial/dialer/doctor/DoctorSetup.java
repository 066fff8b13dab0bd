package io.outdial.dialer.doctor;

import io.outdial.dialer.ari.AriHealth;
import io.outdial.dialer.ari.AriServerConfig;
import io.outdial.dialer.call.PromptResolver;
import io.outdial.dialer.trunk.TrunkConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * What the doctor checks and with what.
 *
 * @param servers      the Asterisk servers ({@code asterisk[]})
 * @param trunks       the trunks ({@code trunks[]})
 * @param amdUsed      whether some trunk or campaign runs AMD (then app_amd and the {@code dialer-amd} context count)
 * @param prompts      renders and serves the probe prompt (the node's TTS and media); null: media is not checked
 * @param mediaBaseUrl the address Asterisk fetches media from ({@code media.baseUrl} or the listener's address)
 * @param soundDir     the shared sound directory when media is not served over HTTP, else empty
 * @param database     a blocking probe of the database returning what it reached; null: not checked
 * @param nodeHealth   this node's own connection to a server by name (a running node); null: the command line,
 *                     where the application is checked by asking Asterisk who holds it
 * @param testNumber   a number to call for real, or null
 * @param testTrunk    the trunk of the test call (null: the first trunk)
 * @param clock        this node's clock (compared with Asterisk's)
 * @param timeout      how long one probe waits for Asterisk (StasisStart, PlaybackFinished, AMD)
 * @param listen       how long the test call listens for DTMF after its prompt
 */
record DoctorSetup(List<AriServerConfig> servers, List<TrunkConfig> trunks, boolean amdUsed,
                   PromptResolver prompts, String mediaBaseUrl, String soundDir, Callable<String> database,
                   Function<String, AriHealth> nodeHealth, String testNumber, String testTrunk, Clock clock,
                   Duration timeout, Duration listen) {
    /** The context a probe Local channel dials ({@code asterisk-config/extensions.conf}). */
    public static final String PROBE_CONTEXT = "dialer-doctor";
    /** The context calls with AMD go through. */
    public static final String AMD_CONTEXT = "dialer-amd";

    public DoctorSetup {
        servers = List.copyOf(servers);
        trunks = List.copyOf(trunks);
        mediaBaseUrl = mediaBaseUrl == null ? "" : mediaBaseUrl;
        soundDir = soundDir == null ? "" : soundDir;
        testNumber = testNumber == null || testNumber.isBlank() ? null : testNumber.strip();
        Objects.requireNonNull(clock, "clock");
        timeout = timeout == null ? Duration.ofSeconds(15) : timeout;
        listen = listen == null ? Duration.ofSeconds(8) : listen;
    }

    /** This setup with a test call to {@code number} through {@code trunk} (null: the first trunk). */
    public DoctorSetup withTestCall(String number, String trunk) {
        return new DoctorSetup(servers, trunks, amdUsed, prompts, mediaBaseUrl, soundDir, database, nodeHealth, number,
            trunk, clock, timeout, listen);
    }

    /** This setup with other probe timings. */
    public DoctorSetup withTimings(Duration probeTimeout, Duration dtmfListen) {
        return new DoctorSetup(servers, trunks, amdUsed, prompts, mediaBaseUrl, soundDir, database, nodeHealth,
            testNumber, testTrunk, clock, probeTimeout, dtmfListen);
    }
}
