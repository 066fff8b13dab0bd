package io.outdial.dialer.doctor;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;

/**
 * Everything the doctor found, in the order it was checked. {@link #ok()} is false as soon as one check is an error:
 * that is the command's exit code 1 and a refused campaign start.
 */
final class DoctorReport {
    private final List<DoctorCheck> checks;

    DoctorReport(List<DoctorCheck> checks) {
        this.checks = List.copyOf(checks);
    }

    /** Every check, in the order it was made. */
    List<DoctorCheck> checks() {
        return checks;
    }

    /** True when no check is an error (warnings allowed). */
    boolean ok() {
        return errors() == 0;
    }

    long errors() {
        return count(DoctorCheck.Level.ERROR);
    }

    long warnings() {
        return count(DoctorCheck.Level.WARNING);
    }

    private long count(DoctorCheck.Level level) {
        return checks.stream().filter(c -> c.level() == level).count();
    }

    /** {@code {"ok", "errors", "warnings", "checks": [...]}}. */
    JsonObject json() {
        JsonArray list = new JsonArray();
        checks.forEach(c -> list.add(c.json()));
        return new JsonObject().put("ok", ok()).put("errors", errors()).put("warnings", warnings()).put("checks", list);
    }

    /** For a person: one line per check, the advice indented under it, and a summary line. */
    String text() {
        return text(json());
    }

    /** {@link #text()} of a report's {@link #json()}. */
    static String text(JsonObject report) {
        StringBuilder out = new StringBuilder();
        JsonArray checks = report.getJsonArray("checks");
        for (int i = 0; i < checks.size(); i++) {
            JsonObject c = checks.getJsonObject(i);
            String tag = switch (DoctorCheck.Level.valueOf(c.getString("level").toUpperCase(Locale.ROOT))) {
                case OK -> "ok     ";
                case WARNING -> "WARNING";
                case ERROR -> "ERROR  ";
            };
            String target = c.getString("target");
            out.append(tag).append(' ').append(c.getString("check")).append(target == null ? "" : " " + target)
                .append(": ").append(c.getString("message")).append('\n');
            if (!c.getString("advice").isEmpty()) {
                out.append("        -> ").append(c.getString("advice")).append('\n');
            }
        }
        out.append(report.getBoolean("ok") ? "\nready: " : "\nNOT ready: ").append(report.getLong("errors"))
            .append(" error(s), ").append(report.getLong("warnings")).append(" warning(s), ").append(checks.size())
            .append(" check(s)\n");
        return out.toString();
    }
}
