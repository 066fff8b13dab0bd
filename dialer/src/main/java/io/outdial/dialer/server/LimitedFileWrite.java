package io.outdial.dialer.server;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.streams.WriteStream;
import java.util.function.Supplier;

/**
 * A request body piped to a file, failing once more than {@code limit} bytes arrived: an upload is never held in
 * memory, and never grows past its limit on disk.
 */
final class LimitedFileWrite implements WriteStream<Buffer> {
    private final AsyncFile file;
    private final long limit;
    private final Supplier<? extends RuntimeException> tooLarge;
    private long written;
    private boolean exceeded;

    /** @param tooLarge the error a write past the limit fails with */
    LimitedFileWrite(AsyncFile file, long limit, Supplier<? extends RuntimeException> tooLarge) {
        this.file = file;
        this.limit = limit;
        this.tooLarge = tooLarge;
    }

    /** Bytes received so far. */
    long written() {
        return written;
    }

    /** Whether the body went past the limit. */
    boolean exceeded() {
        return exceeded;
    }

    @Override
    public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
        file.exceptionHandler(handler);
        return this;
    }

    @Override
    public Future<Void> write(Buffer data) {
        written += data.length();
        if (written > limit) {
            exceeded = true;
            return Future.failedFuture(tooLarge.get());
        }
        return file.write(data);
    }

    @Override
    public Future<Void> end() {
        return file.end();
    }

    @Override
    public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
        file.setWriteQueueMaxSize(maxSize);
        return this;
    }

    @Override
    public boolean writeQueueFull() {
        return file.writeQueueFull();
    }

    @Override
    public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
        file.drainHandler(handler);
        return this;
    }
}
