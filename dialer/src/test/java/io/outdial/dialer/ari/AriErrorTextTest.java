package io.outdial.dialer.ari;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** ARI errors keep Asterisk's words, never the markup of an HTML error page. */
class AriErrorTextTest {
    @Test
    void asteriskShutdownPageBecomesItsHeadingAndText() {
        String page = "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\r\n<html><head>\r\n"
                + "<title>503 Service Unavailable</title>\r\n</head><body>\r\n<h1>Service Unavailable</h1>\r\n"
                + "<p>Shutdown in progress</p>\r\n<hr />\r\n<address>Asterisk Server</address>\r\n</body></html>\r\n";
        assertThat(AriRestClient.htmlText(page, "Service Unavailable"))
                .isEqualTo("Service Unavailable: Shutdown in progress");
    }

    @Test
    void pageWithoutHeadingOrParagraphLosesItsTags() {
        assertThat(AriRestClient.htmlText("<html><body><b>Oops</b> failed</body></html>", "Bad Gateway"))
                .isEqualTo("Oops failed");
        assertThat(AriRestClient.htmlText("<html></html>", "Bad Gateway")).isEqualTo("Bad Gateway");
    }
}
