package io.outdial.dialer.doctor;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DoctorReportTest {
    private final DoctorReport report = new DoctorReport(List.of(
        DoctorCheck.ok("ari", "ast1", "Asterisk 22.10.1 answers"),
        DoctorCheck.warning("application", "ast1", "no process holds application dialer now", "start the node"),
        DoctorCheck.error("modules", "ast1", "not loaded: app_amd", "add \"load = app_amd.so\"")));

    @Test
    void oneErrorMakesTheReportNotOkWhileWarningsDoNot() {
        assertThat(report.ok()).isFalse();
        assertThat(report.errors()).isEqualTo(1);
        assertThat(report.warnings()).isEqualTo(1);
        assertThat(new DoctorReport(report.checks().subList(0, 2)).ok()).isTrue();
    }

    @Test
    void textPutsEachCheckOnALineWithItsAdviceIndentedAndASummary() {
        assertThat(report.text()).isEqualTo("""
            ok      ari ast1: Asterisk 22.10.1 answers
            WARNING application ast1: no process holds application dialer now
                    -> start the node
            ERROR   modules ast1: not loaded: app_amd
                    -> add "load = app_amd.so"

            NOT ready: 1 error(s), 1 warning(s), 3 check(s)
            """);
    }

    @Test
    void jsonHasTheCountsAndEveryCheckWithLowerCaseLevels() {
        JsonObject json = report.json();
        assertThat(json.getBoolean("ok")).isFalse();
        assertThat(json.getLong("errors")).isEqualTo(1);
        JsonObject node = new DoctorReport(List.of(DoctorCheck.ok("database", null, "reachable"))).json()
            .getJsonArray("checks").getJsonObject(0);
        assertThat(node).isEqualTo(new JsonObject().put("check", "database").putNull("target").put("level", "ok")
            .put("message", "reachable").put("advice", ""));
        assertThat(json.getJsonArray("checks").getJsonObject(2).getString("level")).isEqualTo("error");
    }
}
