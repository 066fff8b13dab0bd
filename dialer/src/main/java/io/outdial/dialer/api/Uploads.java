package io.outdial.dialer.api;

import io.outdial.dialer.input.InputProblem;
import io.outdial.dialer.input.InvalidInput;
import io.outdial.dialer.input.Reason;
import io.outdial.dialer.server.ProblemException;
import io.vertx.core.Future;
import io.vertx.core.file.OpenOptions;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;

/**
 * Receives an uploaded file into a temporary file, never holding it in memory: a {@code multipart/form-data}
 * request (first file part; other fields readable as form attributes) through vertx-web's streaming file uploads, or
 * a raw body piped straight to disk. Larger than the limit → 413 problem and no file kept.
 */
final class Uploads {
    private Uploads() { }

    /** A received file. */
    record Upload(Path file, String name, long size) { }

    static boolean multipart(RoutingContext ctx) {
        String type = ctx.request().getHeader("Content-Type");
        return type != null && type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data");
    }

    /**
     * The route handler that reads the body: for multipart, vertx-web's {@link BodyHandler} (files streamed to
     * {@code dir}); for anything else it leaves the body unread for {@link #receive}.
     */
    static io.vertx.core.Handler<RoutingContext> bodyHandler(Path dir, long limit) {
        BodyHandler multipart = BodyHandler.create(dir.toString()).setBodyLimit(limit).setHandleFileUploads(true)
            .setDeleteUploadedFilesOnEnd(true).setMergeFormAttributes(true);
        return ctx -> {
            if (multipart(ctx)) {
                multipart.handle(ctx);
            } else {
                ctx.request().pause(); // the body is piped to a file later, after a check on a worker
                ctx.next();
            }
        };
    }

    /** The uploaded file, moved to a fresh temporary file the caller owns (and must delete). */
    static Future<Upload> receive(ApiRoutes api, RoutingContext ctx, String fallbackName) {
        if (multipart(ctx)) {
            List<FileUpload> files = ctx.fileUploads();
            if (files.isEmpty()) {
                return Future.failedFuture(InvalidInput.of("request body", "file", null, "a form field named file",
                    Reason.MISSING, "the multipart request has no file part (send the contacts file as a form field"
                    + " named file)"));
            }
            FileUpload f = files.stream().filter(u -> "file".equals(u.name())).findFirst().orElse(files.get(0));
            String name = baseName(f.fileName(), fallbackName);
            return api.blocking(() -> {
                Path target = uploadPath(api, name);
                Files.move(Path.of(f.uploadedFileName()), target, StandardCopyOption.REPLACE_EXISTING);
                return new Upload(target, name, Files.size(target));
            });
        }
        String lengthHeader = ctx.request().getHeader("Content-Length");
        if (lengthHeader != null) {
            try {
                if (Long.parseLong(lengthHeader.trim()) > api.maxUpload()) {
                    return Future.failedFuture(tooLarge(api.maxUpload()));
                }
            } catch (NumberFormatException e) {
                return Future.failedFuture(InvalidInput.of("request header", "Content-Length", lengthHeader,
                    "a whole number", Reason.WRONG_TYPE, "Content-Length \"" + lengthHeader + "\" is not a number"));
            }
        }
        String name = baseName(ctx.request().getParam("name"), fallbackName);
        String expect = ctx.request().getHeader("Expect");
        if (expect != null && expect.equalsIgnoreCase("100-continue")) {
            ctx.response().writeContinue(); // curl waits for it before sending a large body
        }
        return api.blocking(() -> uploadPath(api, name)).compose(target -> api.vertx().fileSystem()
            .open(target.toString(), new OpenOptions().setWrite(true).setCreate(true).setTruncateExisting(true))
            .compose(file -> {
                return io.outdial.dialer.server.DialerHttpServer.receiveInto(ctx.request(), file, api.maxUpload(),
                    () -> tooLarge(api.maxUpload())).transform(ar -> {
                    if (ar.succeeded()) {
                        return Future.succeededFuture(new Upload(target, name, ar.result()));
                    }
                    Future<Void> closing;
                    try {
                        closing = file.close();
                    } catch (IllegalStateException alreadyClosed) { // a failed pipe ends the file itself
                        closing = Future.succeededFuture();
                    }
                    closing.onComplete(closed -> api.blocking(() -> {
                        delete(target);
                        return null;
                    }));
                    return Future.failedFuture(ar.cause());
                });
            }));
    }

    /**
     * Where an upload is kept while it is used: a file with the client's (sanitised) name, so the importer's messages
     * name the file the user sent, alone in a fresh folder of the work directory. Blocking.
     */
    static Path uploadPath(ApiRoutes api, String name) throws java.io.IOException {
        Files.createDirectories(api.workDir());
        Path dir = Files.createTempDirectory(api.workDir(), "upload-");
        return dir.resolve(name.replaceAll("[^A-Za-z0-9._ -]", "_").replaceAll("^\\.+", "_"));
    }

    /** Deletes an upload and its folder; logs what cannot be deleted. Blocking. */
    static void delete(Path upload) {
        try {
            Files.deleteIfExists(upload);
            Path dir = upload.getParent();
            if (dir != null && dir.getFileName().toString().startsWith("upload-")) {
                Files.deleteIfExists(dir);
            }
        } catch (java.io.IOException e) {
            ApiRoutes.log().warn("temporary upload {} not deleted: {}", upload.getFileName(), e.getMessage());
        }
    }

    /** Fails the request; an unread raw body is resumed (and discarded) so the connection is not left paused. */
    static void fail(RoutingContext ctx, Throwable err) {
        if (!multipart(ctx) && !ctx.request().isEnded()) {
            ctx.request().resume();
        }
        ctx.fail(err);
    }

    static ProblemException tooLarge(long limit) {
        return new ProblemException(413, "payload_too_large", "the upload is larger than " + limit
            + " bytes, the limit of this server", "file");
    }

    /** The last path segment of a client-given name, or the fallback. */
    static String baseName(String name, String fallback) {
        if (name == null || name.isBlank()) {
            return fallback;
        }
        String n = name.replace('\\', '/');
        n = n.substring(n.lastIndexOf('/') + 1).strip();
        return n.isEmpty() ? fallback : n.length() > 200 ? n.substring(0, 200) : n;
    }
}
