package io.outdial.dialer.server;

import io.vertx.core.Handler;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one failure handler of the router: renders every failure as a JSON problem
 * {@code {"error", "message", "field"}}. Bad input ({@link ProblemException}, malformed JSON, vertx-web
 * {@link HttpException} 4xx, {@link IllegalArgumentException}) is a 4xx; only unexpected faults are 500, and
 * those are logged with the request path, never echoed in detail to the client.
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
        if (failure instanceof ProblemException) {
            ProblemException p = (ProblemException) failure;
            status = p.status();
            error = p.error();
            message = p.getMessage();
            field = p.field();
        } else if (failure instanceof DecodeException) {
            status = 400;
            error = "malformed_json";
            message = "request body is not valid JSON: " + failure.getMessage();
        } else if (failure instanceof IllegalArgumentException) {
            status = 400;
            error = "invalid_request";
            message = failure.getMessage();
        } else if (failure instanceof HttpException) {
            HttpException h = (HttpException) failure;
            status = h.getStatusCode();
            error = codeFor(status);
            message = h.getPayload() != null ? h.getPayload() : defaultMessage(status, ctx);
        } else if (failure == null) {
            status = ctx.statusCode() >= 400 ? ctx.statusCode() : 500;
            error = codeFor(status);
            message = defaultMessage(status, ctx);
        } else {
            status = 500;
            error = "internal_error";
            message = "internal error; see the server log";
        }
        if (status >= 500 && !(failure instanceof ProblemException)) {
            LOG.error("request {} {} failed with {}", ctx.request().method(), ctx.request().path(), status, failure);
        } else {
            LOG.debug("request {} {} answered {} {}", ctx.request().method(), ctx.request().path(), status, error);
        }
        ctx.response()
            .setStatusCode(status)
            .putHeader("content-type", "application/json")
            .end(problem(error, message, field).encode());
    }

    /** The JSON problem body. */
    public static JsonObject problem(String error, String message, String field) {
        return new JsonObject().put("error", error).put("message", message).put("field", field);
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
