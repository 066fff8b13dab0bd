package io.outdial.ivr.spi;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PromptTest {
    @Test
    void blankTtsTextIsRejected() {
        assertThatThrownBy(() -> new Prompt.Tts(" ", "freetts", "kevin16"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TTS text");
    }
}
