package io.outdial.dialer.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code media} config section: file keys, environment overrides, defaults and bad values. */
class MediaConfigTest {
    private final ConfigLoader loader = new ConfigLoader();

    @Test
    void defaultsServeOverHttpAtTheListenerAddress() {
        MediaConfig media = DialerConfig.defaults().media();
        assertThat(media.baseUrl()).isEmpty();
        assertThat(media.usesSoundDir()).isFalse();
        assertThat(media.maxAge()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void fileKeysAndEnvironmentOverridesAreRead() {
        DialerConfig c = loader.parse("media:\n  baseUrl: http://10.0.0.5:8080/\n  maxAge: 10m\n", "c.yaml",
            Map.of("DIALER_MEDIA_SOUND_DIR", "/var/lib/asterisk/sounds/outdial/"));
        assertThat(c.media().baseUrl()).isEqualTo("http://10.0.0.5:8080");
        assertThat(c.media().maxAge()).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.media().soundDir()).isEqualTo("/var/lib/asterisk/sounds/outdial");
        assertThat(c.media().usesSoundDir()).isTrue();
    }

    @Test
    void aBaseUrlThatIsNotHttpIsRejectedNamingTheKey() {
        assertThatThrownBy(() -> loader.parse("media:\n  baseUrl: ftp://x\n", "c.yaml", Map.of()))
            .isInstanceOf(ConfigException.class).hasMessageContaining("media")
            .hasMessageContaining("\"ftp://x\" is not an http(s) URL");
    }
}
