package io.outdial.dialer.config;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class DurationDeserializerPropertiesTest {
    @Property(tries = 200)
    void isoTextRoundTrips(@ForAll @LongRange(min = 0, max = 10_000_000_000L) long millis) {
        Duration d = Duration.ofMillis(millis);
        assertThat(DurationDeserializer.parse(d.toString())).isEqualTo(d);
    }

    @Property(tries = 200)
    void shortFormsMatchTheirUnit(@ForAll @LongRange(min = 0, max = 1_000_000) long n) {
        assertThat(DurationDeserializer.parse(n + "ms")).isEqualTo(Duration.ofMillis(n));
        assertThat(DurationDeserializer.parse(n + "s")).isEqualTo(Duration.ofSeconds(n));
        assertThat(DurationDeserializer.parse(n + "m")).isEqualTo(Duration.ofMinutes(n));
        assertThat(DurationDeserializer.parse(" " + n + "H ")).isEqualTo(Duration.ofHours(n));
    }
}
