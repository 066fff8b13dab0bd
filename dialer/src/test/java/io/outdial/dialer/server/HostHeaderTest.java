package io.outdial.dialer.server;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The syntax a {@code Host} header must have: names, IPv4 and bracketed IPv6 addresses, ports 0 to 65535. */
class HostHeaderTest {
    @Test
    void namesAndAddressesWithOrWithoutAPortAreWellFormed() {
        for (String ok : new String[] {"localhost", "LocalHost:8080", "127.0.0.1", "127.0.0.1:0", "[::1]",
            "[::1]:65535", "[::ffff:127.0.0.1]:80", "[2001:DB8::1]", "dialer.example.com", "xn--bcher-kva.example",
            "host_name~1.example:443"}) {
            assertThat(HostHeader.wellFormed(ok)).as(ok).isTrue();
        }
    }

    @Test
    void anythingElseIsMalformed() {
        for (String bad : new String[] {"", "[::1].example", "[::1", "[zz]:80", "[]", "[::1]x", "host:99999",
            "host:65536", "host:", "host:80:80", "host:-1", "host:8o", "a b", "exa%mple", ":80", "[::1]:",
            "host:123456", "user@host", "host/path", "ho\u00e9st"}) {
            assertThat(HostHeader.wellFormed(bad)).as(bad).isFalse();
        }
    }
}
