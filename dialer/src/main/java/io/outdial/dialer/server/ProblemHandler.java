package io.outdial.dialer.server;

import io.outdial.dialer.secret.Secrets;

import io.outdial.dialer.input.InputProblem;
import io.outdial.dialer.input.InvalidInput;
import io.vertx.core.Handler;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.UUID;

/**
 * The one failure handler of the router: renders every failure as a JSON problem
 * {@code {"error", "message", "field"}}. Bad input is a 400: {@link InvalidInput} (rendered with its
 * {@code problems}: source, path, value, expected, reason of each), malformed JSON, and a missing or malformed
 * {@code Host} header ({@link HostHeader}, also when vertx-web refuses it before any route); a
 * {@link ProblemException} or a vertx-web {@link HttpException} keeps its status. Anything else, a bare
 * {@link IllegalArgumentException} included, is a fault of the node: a 500 whose {@code errorId} is logged with the
 * stack trace, never echoed in detail to the client.
 */
public final class ProblemHandler implements Handler<RoutingContext> {
    private static final Logger LOG = LoggerFactory.getLogger(ProblemHandler.class);

    @Override
    public void handle(RoutingContext ctx) {
        if (ctx.response().headWritten()) {
            LOG.warn("request {} {} failed after the response started: {}", ctx.request().method(),
                ctx.request().path(), String.valueOf(ctx.failure()));
            ctx.response().reset();
            return;
        }
        Throwable failure = ctx.failure();
        int status;
        String error;
        String message;
        String field = null;
        JsonArray problems = null;
        if (failure instanceof ProblemException && ((ProblemException) failure).status() == 503
            && DATABASE_UNAVAILABLE.equals(((ProblemException) failure).error())) {
            ctx.response().putHeader("Retry-After", String.valueOf(RETRY_AFTER_SECONDS));
        }
        if (HostHeader.refusedByRouter(ctx)) {
            // vertx-web refuses a missing or unreadable Host header before any handler, HostHeader's included
            ProblemException p = HostHeader.malformed(ctx.request().getHeader("Host"));
            status = p.status();
            error = p.error();
            message = p.getMessage();
            field = p.field();
        } else if (failure instanceof InvalidInput) {
            InvalidInput bad = (InvalidInput) failure;
            status = 400;
            error = bad.code();
            message = bad.getMessage();
            field = bad.field();
            problems = problems(bad);
        } else if (failure instanceof ProblemException) {
            ProblemException p = (ProblemException) failure;
            status = p.status();
            error = p.error();
            message = p.getMessage();
            field = p.field();
        } else if (failure instanceof DecodeException) {
            status = 400;
            error = "malformed_json";
            message = "request body is not valid JSON: " + failure.getMessage();
        } else if (failure instanceof HttpException) {
            HttpException h = (HttpException) failure;
            status = h.getStatusCode();
            error = codeFor(status);
            message = h.getPayload() != null ? h.getPayload() : defaultMessage(status, ctx);
        } else if (failure == null) {
            status = ctx.statusCode() >= 400 ? ctx.statusCode() : 500;
            error = codeFor(status);
            message = defaultMessage(status, ctx);
        } else if (databaseUnreachable(failure)) {
            // an outage, not a fault of this request: the client retries (the node keeps its state and resumes)
            LOG.warn("request {} {}: the database is unreachable: {}", ctx.request().method(), ctx.request().path(),
                rootMessage(failure));
            ctx.response().setStatusCode(503).putHeader("content-type", "application/json")
                .putHeader("Retry-After", String.valueOf(RETRY_AFTER_SECONDS))
                .end(problem(DATABASE_UNAVAILABLE, "the database is unreachable; retry in a few seconds", null)
                    .encode());
            return;
        } else if (nulRejectedByDatabase(failure)) {
            status = 400;
            error = "invalid_request";
            message = "the request holds a NUL character (\\u0000), which no text field accepts";
        } else {
            status = 500;
            error = "internal_error";
            message = "internal error; see the server log";
        }
        if (failure instanceof InvalidInput bad) {
            message = withoutSecretValues(bad, message);
        }
        JsonObject body = problem(error, message, field);
        if (problems != null) {
            body.put("problems", problems);
        }
        if (status >= 500 && !(failure instanceof ProblemException)) {
            // a fault of the node, not of the request: the id ties the client's answer to the logged stack trace
            String errorId = UUID.randomUUID().toString();
            body.put("errorId", errorId);
            LOG.error("request {} {} failed with {} (error id {})", ctx.request().method(), ctx.request().path(),
                status, errorId, failure);
        } else {
            LOG.debug("request {} {} answered {} {}", ctx.request().method(), ctx.request().path(), status, error);
        }
        ctx.response()
            .setStatusCode(status)
            .putHeader("content-type", "application/json")
            .end(body.encode());
    }

    /** {@code text} without the values given for secret fields ({@link Secrets#secretKey}) of {@code bad}. */
    static String withoutSecretValues(InvalidInput bad, String text) {
        String out = text;
        for (InputProblem p : bad.problems()) {
            String key = p.path() == null ? p.field() : p.path().substring(p.path().lastIndexOf('.') + 1);
            if (out != null && p.value() != null && !p.value().isEmpty()
                && (Secrets.secretKey(key) || Secrets.secretKey(p.field()))) {
                out = out.replace(p.value(), Secrets.MASK);
            }
        }
        return out;
    }

    /** The {@code problems} array: one object per problem with source, path, field, value, expected, reason. */
    static JsonArray problems(InvalidInput bad) {
        JsonArray out = new JsonArray();
        for (InputProblem p : bad.problems()) {
            String key = p.path() == null ? p.field() : p.path().substring(p.path().lastIndexOf('.') + 1);
            boolean secret = Secrets.secretKey(key) || Secrets.secretKey(p.field());
            out.add(new JsonObject().put("source", p.source()).put("path", p.path()).put("field", p.field())
                .put("value", secret && p.value() != null ? Secrets.MASK : Secrets.maskUrls(p.value()))
                .put("expected", p.expected()).put("reason", p.reason().code())
                .put("message", withoutSecretValues(bad, Secrets.maskUrls(p.message()))));
        }
        return out;
    }

    /** The problem code of a request refused because the database cannot be reached. */
    public static final String DATABASE_UNAVAILABLE = "database_unavailable";

    /** How long a client should wait before retrying a request refused during a database outage. */
    public static final int RETRY_AFTER_SECONDS = 5;

    /**
     * Whether {@code failure} was caused by the database being unreachable: a connection that could not be had
     * from the pool in time (HikariCP's {@code SQLTransientConnectionException}), or an SQL state of class 08
     * (connection exception) or 57P (the server shutting down).
     */
    public static boolean databaseUnreachable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.sql.SQLTransientConnectionException
                || t instanceof java.sql.SQLNonTransientConnectionException) {
                return true;
            }
            if (t instanceof java.sql.SQLException) {
                String state = ((java.sql.SQLException) t).getSQLState();
                if (state != null && (state.startsWith("08") || state.startsWith("57P"))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** PostgreSQL refuses a NUL in text (SQL state 22021): bad input that got past a handler, not a fault. */
    static boolean nulRejectedByDatabase(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.sql.SQLException && "22021".equals(((java.sql.SQLException) t).getSQLState())
                && String.valueOf(t.getMessage()).contains("0x00")) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return String.valueOf(t.getMessage());
    }

    /** The JSON problem body. */
    public static JsonObject problem(String error, String message, String field) {
        return new JsonObject().put("error", error).put("message", Secrets.maskUrls(message)).put("field", field);
    }

    private static String defaultMessage(int status, RoutingContext ctx) {
        if (status == 404) {
            return "no resource at " + ctx.request().path();
        }
        if (status == 405) {
            return "method " + ctx.request().method() + " not allowed on " + ctx.request().path();
        }
        return "request failed with status " + status;
    }

    private static String codeFor(int status) {
        switch (status) {
            case 400: return "invalid_request";
            case 401: return "unauthorized";
            case 403: return "forbidden";
            case 404: return "not_found";
            case 405: return "method_not_allowed";
            case 409: return "conflict";
            case 413: return "payload_too_large";
            case 415: return "unsupported_media_type";
            case 503: return "unavailable";
            default: return status >= 500 ? "internal_error" : "invalid_request";
        }
    }
}
