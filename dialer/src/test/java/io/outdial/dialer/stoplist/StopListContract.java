package io.outdial.dialer.stoplist;

import io.outdial.dialer.input.InvalidInput;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.outdial.dialer.contact.PhoneNormalizer;
import io.outdial.dialer.support.DatabaseTest;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Stop-list storage behaviour on every database a subclass supplies. */
public abstract class StopListContract implements DatabaseTest {
    protected JdbcStopList stopList;

    @BeforeEach
    void setUp() {
        stopList = new JdbcStopList(dataSource(), Clock.fixed(Instant.parse("2026-11-23T09:00:00Z"), ZoneOffset.UTC),
                new PhoneNormalizer("UA"));
    }

    @Test
    void globalEntryBlocksEveryCampaignAndCampaignEntryOnlyItsOwn() {
        stopList.add(StopList.GLOBAL, "050 111 1111", "asked", "manual");
        stopList.add("c1", "+380502222222", null, "ivr-unsubscribe");
        assertThat(stopList.isBlocked("c1", "+380501111111")).isTrue();
        assertThat(stopList.isBlocked("c2", "+380501111111")).isTrue();
        assertThat(stopList.isBlocked("c1", "+380502222222")).isTrue();
        assertThat(stopList.isBlocked("c2", "+380502222222")).isFalse();
        assertThat(stopList.add("c1", "+380502222222", "again", "manual")).as("second add keeps the first").isFalse();
        assertThat(stopList.remove("c1", "0502222222")).isTrue();
        assertThat(stopList.isBlocked("c1", "+380502222222")).isFalse();
    }

    @Test
    void importIsAllOrNothingAndExportListsTheScope() {
        stopList.importCsv("c1", new StringReader("phone,reason\n+380501111111,asked\n0502222222,\n"), "stop.csv");
        assertThat(stopList.snapshot("c1").size()).isEqualTo(2);
        assertThatThrownBy(() -> stopList.importCsv("c1", new StringReader("+380503333333\n+1 55\n"), "bad.csv"))
                .hasMessage("bad.csv row 2: phone \"+1 55\" is not a valid number");
        assertThat(stopList.isBlocked("c1", "+380503333333")).as("rolled back").isFalse();
        StringWriter out = new StringWriter();
        stopList.exportCsv("c1", out);
        assertThat(out.toString()).startsWith("phone,reason,source,added_at")
                .contains("+380501111111,asked,import,2026-11-23T09:00:00Z");
    }

    @Test
    void importSkipsNumbersAlreadyListedOrTwiceInTheFile() {
        stopList.add("c1", "+380501111111", "first", "manual");
        int added = stopList.importCsv("c1", new StringReader(
                "+380501111111,again\n0502222222,new\n+380502222222,twice\n+380501111111,\n"), "dup.csv");
        assertThat(added).isEqualTo(1);
        assertThat(stopList.list("c1")).extracting(StopListEntry::phone, StopListEntry::reason)
                .containsExactly(tuple("+380501111111", "first"), tuple("+380502222222", "new"));
    }

    @Test
    void importRefusesAReasonLongerThanTheColumnNamingTheRow() {
        String csv = "phone,reason\n+380501111111,ok\n+380502222222," + "x".repeat(301) + "\n";
        assertThatThrownBy(() -> stopList.importCsv("c1", new StringReader(csv), "long.csv"))
                .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.problems().get(0).path())
                        .isEqualTo("[3].reason"))
                .hasMessage("long.csv row 3: reason is 301 characters; at most 300");
        assertThatThrownBy(() -> stopList.importCsv("c1", new StringReader("+380502222222,a\u0000b\n"), "nul.csv"))
                .isInstanceOf(InvalidInput.class)
                .hasMessage("nul.csv row 1: reason contains a NUL character");
        assertThat(stopList.list("c1")).as("nothing kept").isEmpty();
        stopList.importCsv("c1", new StringReader("+380502222222," + "x".repeat(300) + "\n"), "max.csv");
        assertThat(stopList.list("c1").get(0).reason()).hasSize(300);
    }

    @Test
    void badNumberIsRejectedWithTheValue() {
        assertThatThrownBy(() -> stopList.add(StopList.GLOBAL, "12", null, "manual"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"12\"");
    }
}
