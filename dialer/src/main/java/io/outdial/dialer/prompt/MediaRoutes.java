package io.outdial.dialer.prompt;

import java.util.List;
import io.outdial.dialer.input.Reason;
import io.outdial.dialer.input.InvalidInput;
import io.outdial.dialer.input.InputProblem;
import io.outdial.dialer.server.ProblemException;
import io.outdial.ivr.tts.AudioException;
import io.outdial.ivr.tts.PromptStore;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.core.file.OpenOptions;
import io.outdial.dialer.server.DialerHttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * HTTP routes of {@link PromptMedia}: {@code GET|HEAD /media/tts/<key>.wav}, {@code GET|HEAD /media/prompts/<id>.wav}
 * (audio/wav with Content-Length, Cache-Control max-age and ETag, 304 on a matching If-None-Match, 404 for unknown
 * names), {@code POST /api/v1/prompts/<id>} (upload a WAV, converted to 8 kHz 16-bit mono) and
 * {@code GET /api/v1/prompts/<id>}.
 */
final class MediaRoutes {
    private static final Pattern TTS_FILE = Pattern.compile("([0-9a-f]{64})\\.wav");
    private static final Pattern PROMPT_FILE = Pattern.compile("([A-Za-z0-9_-]{1,64})\\.wav");

    private final PromptMedia media;

    MediaRoutes(PromptMedia media) {
        this.media = media;
    }

    void mount(Router router) {
        for (HttpMethod m : new HttpMethod[] {HttpMethod.GET, HttpMethod.HEAD}) {
            router.route(m, "/media/tts/:file").handler(this::tts);
            router.route(m, "/media/prompts/:file").handler(this::prompt);
        }
        router.post("/api/v1/prompts/:id").handler(this::upload);
        router.get("/api/v1/prompts/:id").handler(ctx -> serve(ctx, "prompt", ctx.pathParam("id"),
            () -> media.promptStore().file(ctx.pathParam("id"))));
    }

    private void tts(RoutingContext ctx) {
        String file = ctx.pathParam("file");
        var m = TTS_FILE.matcher(file);
        if (!m.matches()) {
            count("tts", 404);
            ctx.fail(ProblemException.notFound("no TTS audio " + file + " (expected <64 hex digits>.wav)"));
            return;
        }
        serve(ctx, "tts", m.group(1), () -> media.cache().cachedFile(m.group(1)));
    }

    private void prompt(RoutingContext ctx) {
        String file = ctx.pathParam("file");
        var m = PROMPT_FILE.matcher(file);
        if (!m.matches()) {
            count("prompt", 404);
            ctx.fail(ProblemException.notFound("no prompt " + file + " (expected <id>.wav)"));
            return;
        }
        serve(ctx, "prompt", m.group(1), () -> media.promptStore().file(m.group(1)));
    }

    /** A file and what the headers need, read on the worker. */
    private record Found(Path path, long size, String etag) { }

    private void serve(RoutingContext ctx, String kind, String name, java.util.function.Supplier<Optional<Path>> lookup) {
        media.blocking(() -> lookup.get().map(p -> found(kind, name, p))).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
                return;
            }
            if (ar.result().isEmpty()) {
                count(kind, 404);
                ctx.fail(ProblemException.notFound("no " + kind + " audio \"" + name + "\""));
                return;
            }
            Found f = ar.result().get();
            HttpServerResponse res = ctx.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, "audio/wav")
                .putHeader(HttpHeaders.CACHE_CONTROL, "max-age=" + media.config().maxAge().toSeconds())
                .putHeader(HttpHeaders.ETAG, f.etag());
            if (f.etag().equals(ctx.request().getHeader(HttpHeaders.IF_NONE_MATCH))) {
                count(kind, 304);
                res.setStatusCode(304).end();
            } else if (ctx.request().method() == HttpMethod.HEAD) {
                count(kind, 200);
                res.putHeader(HttpHeaders.CONTENT_LENGTH, Long.toString(f.size())).end();
            } else {
                count(kind, 200);
                res.sendFile(f.path().toString()).onFailure(ctx::fail);
            }
        });
    }

    private static Found found(String kind, String name, Path p) {
        try {
            long size = Files.size(p);
            // TTS files never change under a key; a prompt can be replaced by a new upload.
            String tag = kind.equals("tts") ? name : name + "-" + size + "-" + Files.getLastModifiedTime(p).toMillis();
            return new Found(p, size, "\"" + tag + "\"");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p, e);
        }
    }

    /**
     * The body is piped straight to a temporary file (never held in memory) and refused with 413 past
     * {@code media.maxPromptBytes}; the conversion reads it on the media worker, and the file is deleted after.
     */
    private void upload(RoutingContext ctx) {
        ctx.request().pause(); // read once the request is checked, into a file
        String id = ctx.pathParam("id");
        if (!PromptStore.validId(id)) {
            fail(ctx, InvalidInput.of("path parameter", "id", id, "1-64 of A-Z a-z 0-9 _ -", Reason.INVALID_FORMAT,
                "prompt " + id + ": prompt id \"" + id + "\" is not valid; expected 1-64 of A-Z a-z 0-9 _ -"));
            return;
        }
        long limit = media.config().maxPromptBytes();
        String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            long declared;
            try {
                declared = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                fail(ctx, InvalidInput.of("request header", "Content-Length", length, "a whole number",
                    Reason.WRONG_TYPE, "Content-Length \"" + length + "\" is not a number"));
                return;
            }
            if (declared > limit) {
                fail(ctx, tooLarge(limit));
                return;
            }
        }
        String uploadName = Optional.ofNullable(ctx.request().getParam("name")).orElse(id + ".wav");
        String expect = ctx.request().getHeader(HttpHeaders.EXPECT);
        if (expect != null && expect.equalsIgnoreCase("100-continue")) {
            ctx.response().writeContinue();
        }
        media.blocking(media::uploadFile).compose(tmp -> receive(ctx, tmp, limit)
            .compose(v -> media.blocking(() -> media.promptStore().store(id, tmp, uploadName, limit)))
            .eventually(() -> media.blocking(() -> Files.deleteIfExists(tmp))))
            .recover(err -> Future.failedFuture(problem(id, err)))
            .onSuccess(p -> ctx.response().setStatusCode(201).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(new JsonObject().put("id", p.id()).put("uri", "prompt:" + p.id())
                    .put("seconds", p.seconds()).put("sourceSampleRate", p.sourceSampleRate()).encode()))
            .onFailure(err -> fail(ctx, err));
    }

    /** Pipes the request body into {@code tmp}; fails with 413 once it is larger than {@code limit}. */
    private Future<Void> receive(RoutingContext ctx, Path tmp, long limit) {
        return media.vertx().fileSystem().open(tmp.toString(), new OpenOptions().setWrite(true).setTruncateExisting(true))
            .compose(file -> DialerHttpServer.receiveInto(ctx.request(), file, limit, () -> tooLarge(limit)))
            .mapEmpty();
    }

    static ProblemException tooLarge(long limit) {
        return new ProblemException(413, "payload_too_large", "the prompt upload is larger than " + limit
            + " bytes, the limit of this server (media.maxPromptBytes)", "body");
    }

    /** Fails the request; a body not read yet is resumed (and discarded) so the connection is not left paused. */
    private static void fail(RoutingContext ctx, Throwable err) {
        if (!ctx.request().isEnded()) {
            ctx.request().resume();
        }
        ctx.fail(err);
    }

    private static Throwable problem(String id, Throwable err) {
        if (err instanceof AudioException) {
            AudioException a = (AudioException) err;
            return new InvalidInput(a.reason().name().toLowerCase(java.util.Locale.ROOT), List.of(new InputProblem(
                "request body", "body", null, "a WAV file", Reason.INVALID_FORMAT, a.getMessage())), a);
        }
        return err;
    }

    private void count(String kind, int status) {
        media.meters().counter("outdial_media_requests_total", "kind", kind, "status", Integer.toString(status))
            .increment();
    }
}
