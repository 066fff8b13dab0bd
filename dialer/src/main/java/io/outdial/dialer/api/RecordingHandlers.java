package io.outdial.dialer.api;

import io.outdial.dialer.input.Reason;
import io.outdial.dialer.input.InvalidInput;
import io.outdial.dialer.call.CallRecordStore;
import io.outdial.dialer.ari.AriException;
import io.outdial.dialer.ari.AriRestClient;
import io.outdial.dialer.call.CallEngine;
import io.outdial.dialer.call.Telephony;
import io.outdial.dialer.server.ProblemException;
import io.outdial.dialer.telephony.TelephonyComponent;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code GET /api/v1/recordings/{name}}: a call recording (the {@code recording:<name>} reference of a call record)
 * fetched from the Asterisk server that made the call ({@code GET /ari/recordings/stored/{name}/file}) and sent on
 * with Asterisk's content type. The server is the one stored with the call record holding the reference; it must be
 * configured on this node.
 */
final class RecordingHandlers {
    /** What the dialer names recordings: no path separators, no wildcards. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");

    private final ApiRoutes api;

    RecordingHandlers(ApiRoutes api) {
        this.api = api;
    }

    void mount(Router router) {
        router.get(ApiRoutes.PREFIX + "/recordings/:name").handler(this::file);
    }

    private void file(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        if (name == null || !NAME.matcher(name).matches()) {
            ctx.fail(InvalidInput.of("path parameter", "name", abbreviate(name), "letters, digits, '.', '_' or '-'",
                Reason.INVALID_FORMAT, "recording name \"" + abbreviate(name)
                + "\" is not valid: expected letters, digits, '.', '_' or '-'"));
            return;
        }
        api.blocking(() -> serverOf(name)).compose(server -> {
            if (server.isEmpty()) {
                return Future.failedFuture(ProblemException.notFound("no call record holds recording \"" + name + "\""));
            }
            return engine(server.get()).server().rest().storedRecordingDownload(name).recover(e -> {
                if (e instanceof AriException && ((AriException) e).notFound()) {
                    return Future.failedFuture(ProblemException.notFound("recording \"" + name
                        + "\" is no longer stored on Asterisk server \"" + server.get() + "\""));
                }
                return Future.failedFuture(new ProblemException(502, "asterisk_error", "Asterisk server \""
                    + server.get() + "\" did not give recording \"" + name + "\": " + e.getMessage(), null));
            });
        }).onSuccess(file -> send(ctx, name, file)).onFailure(ctx::fail);
    }

    private static void send(RoutingContext ctx, String name, AriRestClient.RecordingFile file) {
        String type = file.contentType() == null || file.contentType().isBlank() ? "application/octet-stream"
            : file.contentType();
        ctx.response().putHeader("Content-Type", type)
            .putHeader("Content-Disposition", "attachment; filename=\"" + name + extension(type) + "\"")
            .end(file.bytes());
    }

    private static String extension(String contentType) {
        switch (contentType.toLowerCase(java.util.Locale.ROOT)) {
            case "audio/wav": case "audio/x-wav": case "audio/wave": return ".wav";
            case "audio/x-gsm": case "audio/gsm": return ".gsm";
            default: return "";
        }
    }

    private CallEngine engine(String server) {
        TelephonyComponent t = api.telephony();
        Telephony running = t == null ? null : t.telephony().orElse(null);
        CallEngine e = running == null ? null : running.engine(server);
        if (e == null) {
            throw new ProblemException(503, "no_telephony", "the recording is on Asterisk server \"" + server
                + "\", which this node does not connect to", null);
        }
        return e;
    }

    /** The server of the call record whose recordings list {@code recording:<name>}. */
    private Optional<String> serverOf(String name) {
        return new CallRecordStore(api.ds()).serverOfRecording("recording:" + name);
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
