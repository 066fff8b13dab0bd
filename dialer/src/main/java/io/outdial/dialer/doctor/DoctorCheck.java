package io.outdial.dialer.doctor;

import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Objects;

/**
 * One finding of the doctor: what was checked, on what, how it went and, unless it is fine, what to change.
 *
 * @param check   the kind of check: {@code ari}, {@code clock}, {@code modules}, {@code application}, {@code events},
 *                {@code media}, {@code amd}, {@code trunk}, {@code test-call}, {@code database}, {@code media-url}
 * @param target  what it was checked on ({@code ast1}, {@code carrier@ast1}), or null for the node itself
 * @param level   ok, warning (works, maybe not as expected) or error (calls will fail)
 * @param message what was found, in plain words
 * @param advice  what to change; empty when nothing needs to change
 */
record DoctorCheck(String check, String target, Level level, String message, String advice) {
    /** How bad a finding is. */
    public enum Level {
        OK, WARNING, ERROR;

        /** {@code ok}, {@code warning}, {@code error}: the JSON spelling. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public DoctorCheck {
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(message, "message");
        advice = advice == null ? "" : advice;
    }

    static DoctorCheck ok(String check, String target, String message) {
        return new DoctorCheck(check, target, Level.OK, message, "");
    }

    static DoctorCheck warning(String check, String target, String message, String advice) {
        return new DoctorCheck(check, target, Level.WARNING, message, advice);
    }

    static DoctorCheck error(String check, String target, String message, String advice) {
        return new DoctorCheck(check, target, Level.ERROR, message, advice);
    }

    /** {@code {"check", "target", "level", "message", "advice"}}. */
    public JsonObject json() {
        return new JsonObject().put("check", check).put("target", target).put("level", level.label())
            .put("message", message).put("advice", advice);
    }

    /** The check and its target as one label, e.g. {@code modules ast1}. */
    public String label() {
        return target == null ? check : check + " " + target;
    }
}
