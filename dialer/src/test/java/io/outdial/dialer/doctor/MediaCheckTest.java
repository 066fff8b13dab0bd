package io.outdial.dialer.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MediaCheckTest {

    @Test
    void aMediaUrlAsterisksCacheCanKeyPassesQuietly() {
        String url = "http://10.0.0.5:8080/media/tts/" + "a".repeat(64) + ".wav";
        assertThat(MediaCheck.tooLongToCache(url, "ast1")).isEmpty();
    }

    @Test
    void aMediaUrlOverTheCachesKeyLimitIsAWarningWithAdvice() {
        String url = "http://media.example.org:8080/" + "p/".repeat(100) + "media/tts/" + "a".repeat(64) + ".wav";
        assertThat(url.length()).isGreaterThan(MediaCheck.MAX_CACHED_URL);
        DoctorCheck c = MediaCheck.tooLongToCache(url, "ast1").orElseThrow();
        assertThat(c.level()).isEqualTo(DoctorCheck.Level.WARNING);
        assertThat(c.message()).contains(String.valueOf(url.length())).contains("media cache");
        assertThat(c.advice()).contains("media.baseUrl");
    }
}
