package io.outdial.dialer.contact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.LocalTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContactModelTest {
    private static final PhoneSet THREE = new PhoneSet(List.of(new Phone("mobile", "+380501111111", 0, false),
            new Phone("work", "+380442222222", 0, false), new Phone("home", "+380443333333", 0, false)));
    private static final PhoneRule RULE = new PhoneRule(List.of(
            new PhoneRule.Slot(LocalTime.of(9, 0), LocalTime.of(18, 0), List.of("work", "mobile")),
            new PhoneRule.Slot(LocalTime.of(18, 0), LocalTime.of(9, 0), List.of("home", "mobile"))), 2);

    @Test
    void phoneRulePrefersTheNumberForTheLocalTimeOfDay() {
        assertThat(RULE.choose(THREE, LocalTime.of(10, 0))).contains(1);
        assertThat(RULE.choose(THREE, LocalTime.of(20, 0))).contains(2);
        assertThat(RULE.choose(THREE, LocalTime.of(3, 0))).as("slot spanning midnight").contains(2);
        assertThat(PhoneRule.DEFAULT.choose(THREE, LocalTime.NOON)).contains(0);
    }

    @Test
    void phoneRuleMovesOnAfterNFailuresAndSkipsInvalidNumbers() {
        PhoneSet set = THREE.afterAttempt(1, false, false);
        assertThat(RULE.choose(set, LocalTime.of(10, 0))).as("1 failure < 2").contains(1);
        set = set.afterAttempt(1, false, false);
        assertThat(RULE.choose(set, LocalTime.of(10, 0))).as("work failed twice: mobile").contains(0);
        set = set.afterAttempt(0, false, true);
        assertThat(RULE.choose(set, LocalTime.of(10, 0))).as("mobile invalid: home").contains(2);
        assertThat(set.otherDialable(2)).isTrue();
        PhoneSet allBad = set.afterAttempt(1, false, true).afterAttempt(2, false, true);
        assertThat(RULE.choose(allBad, LocalTime.NOON)).isEmpty();
        assertThat(set.afterAttempt(1, true, false).get(1).failures()).as("reached resets").isZero();
    }

    @Test
    void phoneSetRoundTripsThroughStorage() {
        PhoneSet set = THREE.afterAttempt(1, false, false).afterAttempt(2, false, true);
        assertThat(PhoneSet.decode(set.encodeNumbers(), set.encodeState())).isEqualTo(set);
        assertThat(set.encodeState()).isEqualTo("0|1|1x");
    }

    @Test
    void normalizerGivesE164OrNamesTheBadValue() {
        PhoneNormalizer n = new PhoneNormalizer("UA");
        assertThat(n.normalize("050 123-45-67").e164()).isEqualTo("+380501234567");
        assertThat(n.normalize("+1 (212) 555-0123").e164()).isEqualTo("+12125550123");
        assertThat(n.normalize("+1 55").error()).isEqualTo("\"+1 55\" is not a valid number");
        assertThat(n.normalize("abc").error()).startsWith("\"abc\" is not a phone number");
        assertThatThrownBy(() -> new PhoneNormalizer("XX")).hasMessageContaining("\"XX\"");
    }

    @Test
    void numberSetRemembersManyNumbers() {
        NumberSet s = new NumberSet();
        for (int i = 0; i < 100_000; i++) {
            assertThat(s.add("+38050" + (1000000 + i))).isTrue();
        }
        assertThat(s.add("+380501000042")).isFalse();
        assertThat(s.contains("+380501099999")).isTrue();
        assertThat(s.contains("+380501100000")).isFalse();
        assertThat(s.size()).isEqualTo(100_000);
    }

    @Test
    void snifferFindsDelimiterOutsideQuotesAndEncoding() {
        assertThat(CsvSniffer.delimiter("a|b|\"c,d,e\"\n1,2")).isEqualTo('|');
        assertThat(CsvSniffer.delimiter("a;b;c")).isEqualTo(';');
        assertThat(CsvSniffer.delimiter("phone")).isEqualTo(',');
        byte[] utf8 = "телефон\n".getBytes(StandardCharsets.UTF_8);
        assertThat(CsvSniffer.sniff(utf8, utf8.length, "f").charset()).isEqualTo(StandardCharsets.UTF_8);
        byte[] cp = "телефон\n".getBytes(CsvSniffer.WINDOWS_1251);
        assertThat(CsvSniffer.sniff(cp, cp.length, "f").charset()).isEqualTo(CsvSniffer.WINDOWS_1251);
        // a UTF-8 character cut at the end of the sample is still UTF-8
        assertThat(CsvSniffer.sniff(utf8, 3, "f").charset()).isEqualTo(StandardCharsets.UTF_8);
    }

    @Test
    void aSampleThatMixesUtf8AndWindows1251RowsIsRefusedNamingTheRows() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes("phone,name\n+380501111111,Олена\n".getBytes(StandardCharsets.UTF_8));
        out.writeBytes("+380502222222,Петро\n".getBytes(CsvSniffer.WINDOWS_1251)); // row 3
        for (int i = 0; i < 1500; i++) {
            out.writeBytes(("+38050300" + String.format("%04d", i) + ",Іван\n").getBytes(StandardCharsets.UTF_8));
        }
        byte[] mixed = out.toByteArray();

        assertThatThrownBy(() -> CsvSniffer.sniff(mixed, mixed.length, "contacts.csv"))
            .isInstanceOf(ImportException.class)
            .hasMessageContaining("contacts.csv mixes encodings: row 2 is UTF-8 but row 3 is not");
        byte[] bomThen1251 = new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, 'a', '\n', (byte) 0xCF, '\n'};
        assertThatThrownBy(() -> CsvSniffer.sniff(bomThen1251, bomThen1251.length, "f.csv"))
            .hasMessageContaining("its byte order mark is UTF-8 but row 2 is not");
        // ASCII rows vote for nothing: a Windows-1251 file with ASCII rows stays Windows-1251
        byte[] cp = "phone,name\n+380501111111,Olena\n+380502222222,Петро\n".getBytes(CsvSniffer.WINDOWS_1251);
        assertThat(CsvSniffer.sniff(cp, cp.length, "f").charset()).isEqualTo(CsvSniffer.WINDOWS_1251);
    }

    @Test
    void autoMappingFindsPhoneIdAndZoneColumns() {
        ColumnMapping m = ColumnMapping.auto(List.of("ID", "Name", "Mobile phone", "Телефон", "time_zone"));
        assertThat(m.phones()).extracting(ColumnMapping.PhoneColumn::column).containsExactly("Mobile phone", "Телефон");
        assertThat(m.idColumn()).isEqualTo("ID");
        assertThat(m.zoneColumn()).isEqualTo("time_zone");
    }
}
