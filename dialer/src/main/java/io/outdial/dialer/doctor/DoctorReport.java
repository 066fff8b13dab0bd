package io.outdial.dialer.doctor;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Everything the doctor found, in the order it was checked. {@link #ok()} is false as soon as one check is an error:
 * that is the command's exit code 1 and a refused campaign start.
 */
public final class DoctorReport {
    private final List<DoctorCheck> checks;

    DoctorReport(List<DoctorCheck> checks) {
        this.checks = List.copyOf(checks);
    }

    /** Every check, in the order it was made. */
    List<DoctorCheck> checks() {
        return checks;
    }

    /** True when no check is an error (warnings allowed). */
    public boolean ok() {
        return errors() == 0;
    }

    public long errors() {
        return count(DoctorCheck.Level.ERROR);
    }

    public long warnings() {
        return count(DoctorCheck.Level.WARNING);
    }

    private long count(DoctorCheck.Level level) {
        return checks.stream().filter(c -> c.level() == level).count();
    }

    /** {@code {"ok", "errors", "warnings", "checks": [...]}}. */
    public JsonObject json() {
        JsonArray list = new JsonArray();
        checks.forEach(c -> list.add(c.json()));
        return new JsonObject().put("ok", ok()).put("errors", errors()).put("warnings", warnings()).put("checks", list);
    }

    /** For a person: one line per check, the advice indented under it, and a summary line. */
    public String text() {
        StringBuilder out = new StringBuilder();
        for (DoctorCheck c : checks) {
            String tag = switch (c.level()) {
                case OK -> "ok     ";
                case WARNING -> "WARNING";
                case ERROR -> "ERROR  ";
            };
            out.append(tag).append(' ').append(c.label()).append(": ").append(c.message()).append('\n');
            if (!c.advice().isEmpty()) {
                out.append("        -> ").append(c.advice()).append('\n');
            }
        }
        out.append(ok() ? "\nready: " : "\nNOT ready: ").append(errors()).append(" error(s), ").append(warnings())
            .append(" warning(s), ").append(checks.size()).append(" check(s)\n");
        return out.toString();
    }
}
