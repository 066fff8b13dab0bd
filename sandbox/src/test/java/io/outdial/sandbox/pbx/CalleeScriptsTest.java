package io.outdial.sandbox.pbx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CalleeScriptsTest {

    private final CalleeScripts scripts = new CalleeScripts(CalleeScripts.defaultTable());

    @Test
    void defaultTableChoosesTheOutcomeByTheLastDigit() {
        assertThat(scripts.resolve("+33612345674").orElseThrow().failCause()).isEqualTo(17);
        assertThat(scripts.resolve("+33612345675").orElseThrow().kind()).isEqualTo(CalleeScript.Kind.NO_ANSWER);
        assertThat(scripts.resolve("+33612345676").orElseThrow().failCause()).isEqualTo(34);
        assertThat(scripts.resolve("+33612345677").orElseThrow().amd()).isEqualTo(CalleeScript.Amd.MACHINE);
        assertThat(scripts.resolve("+33612345678").orElseThrow().failCause()).isEqualTo(1);
        assertThat(scripts.resolve("+33612345679").orElseThrow().failCause()).isEqualTo(21);
        assertThat(scripts.resolve("+33612345670").orElseThrow().digits()).hasSize(1);
        assertThat(scripts.resolve("alice").orElseThrow().kind()).isEqualTo(CalleeScript.Kind.ANSWER);
    }

    @Test
    void registeredRulesWinOverDefaultsAndTheNewestWins() {
        scripts.registerPrefix("+3361", CalleeScript.busy(Duration.ZERO));
        scripts.registerNumber("+33612345670", CalleeScript.invalidNumber());
        assertThat(scripts.resolve("+33612345670").orElseThrow().failCause()).isEqualTo(1);
        assertThat(scripts.resolve("+33612345671").orElseThrow().failCause()).isEqualTo(17);
        assertThat(scripts.resolveRegistered("+4412").isPresent()).isFalse();
        scripts.clear();
        assertThat(scripts.resolve("+33612345671").orElseThrow().kind()).isEqualTo(CalleeScript.Kind.ANSWER);
    }

    @Test
    void aRemoteCalleeIsUnregisteredByItsNumberAndDoesNothingByItself() {
        RemoteCallee remote = new RemoteCallee();
        scripts.registerNumber("+19995550001", CalleeScript.remote(remote, Duration.ofSeconds(1)));
        CalleeScript script = scripts.resolve("+19995550001").orElseThrow();
        assertThat(script.remote()).isSameAs(remote);
        assertThat(script.digits()).isEmpty();
        assertThat(script.hangupAfter()).isNull();
        assertThatThrownBy(() -> script.withHangupAfter(Duration.ofSeconds(3)))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> remote.press("x")).isInstanceOf(IllegalArgumentException.class);
        assertThat(remote.connected()).isFalse();
        assertThat(scripts.unregisterNumber("+19995550001")).isTrue();
        assertThat(scripts.unregisterNumber("+19995550001")).isFalse();
        assertThat(scripts.resolve("+19995550001").orElseThrow().remote()).as("the default table again").isNull();
    }

    @Test
    void invalidScriptsAreRejectedWithTheBadValue() {
        assertThatThrownBy(() -> CalleeScript.fail(0, Duration.ZERO)).hasMessageContaining("failCause 0");
        assertThatThrownBy(() -> CalleeScript.answerAfter(Duration.ofSeconds(-1)))
            .hasMessageContaining("PT-1S");
        assertThatThrownBy(() -> CalleeScript.answerAfter(Duration.ZERO).withDigits(Duration.ZERO, "1x"))
            .hasMessageContaining("\"1x\"");
    }

    @Test
    void optionsRejectABadTimeScale() {
        assertThatThrownBy(() -> SandboxPbxOptions.defaults().withTimeScale(0)).hasMessageContaining("timeScale 0");
    }
}
