package io.outdial.dialer.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretsTest {

    @Test
    void aPresentedCredentialHashesAsSha256WhetherOrNotItWasTheLastOne() {
        String a = Secrets.newToken();
        String b = Secrets.newToken(); // the same length as a
        assertThat(Secrets.presentedHash(a)).isEqualTo(Secrets.sha256(a));
        assertThat(Secrets.presentedHash(a)).as("remembered").isEqualTo(Secrets.sha256(a));
        assertThat(Secrets.presentedHash(b)).as("another of the same length is hashed, not taken for the last")
            .isEqualTo(Secrets.sha256(b)).isNotEqualTo(Secrets.sha256(a));
        String nearlyB = b.substring(0, b.length() - 1) + (b.endsWith("x") ? "y" : "x");
        assertThat(Secrets.presentedHash(nearlyB)).isEqualTo(Secrets.sha256(nearlyB));
        assertThat(Secrets.presentedHash(a)).isEqualTo(Secrets.sha256(a));
    }

    @Test
    void sameCharsComparesWholeStrings() {
        assertThat(Secrets.sameChars("odt_abc", "odt_abc")).isTrue();
        assertThat(Secrets.sameChars("odt_abc", "odt_abd")).isFalse();
        assertThat(Secrets.sameChars("xdt_abc", "odt_abc")).isFalse();
        assertThat(Secrets.sameChars("odt_ab", "odt_abc")).isFalse();
        assertThat(Secrets.sameChars("", "")).isTrue();
    }

    @Test
    void aCredentialInAHeaderIsHashedAndRememberedInPlace() {
        String a = Secrets.newToken();
        String b = Secrets.newToken();
        String header = "Bearer " + a;
        assertThat(Secrets.presentedHash(header, 7, header.length())).isEqualTo(Secrets.sha256(a));
        String padded = "Bearer   " + a + " \t";
        assertThat(Secrets.presentedHash(padded, 9, 9 + a.length())).as("remembered, compared in place")
            .isEqualTo(Secrets.sha256(a));
        assertThat(Secrets.presentedHash(a)).as("the same credential alone").isEqualTo(Secrets.sha256(a));
        assertThat(Secrets.presentedHash(" " + a)).as("not trimmed").isEqualTo(Secrets.sha256(" " + a));
        assertThat(Secrets.presentedHash(header + "x", 7, header.length() + 1)).isEqualTo(Secrets.sha256(a + "x"));
        assertThat(Secrets.presentedHash("Bearer " + b, 7, 7 + b.length())).isEqualTo(Secrets.sha256(b));
        assertThat(Secrets.presentedHash(header, 8, header.length())).isEqualTo(Secrets.sha256(a.substring(1)));
        assertThat(Secrets.presentedHash(header, 7, 7)).isEqualTo(Secrets.sha256(""));
    }
}
