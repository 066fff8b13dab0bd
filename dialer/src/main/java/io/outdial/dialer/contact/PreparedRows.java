package io.outdial.dialer.contact;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Reads and prepares rows on a thread of the import pool, a few chunks ahead of the database writer (a bounded queue
 * keeps memory flat). Errors of the reader (a broken file) surface on the writer's {@link #nextChunk()}.
 * {@link #close()} stops the helper and waits for it, so the source can be closed safely afterwards.
 */
final class PreparedRows implements AutoCloseable {
    private static final List<RowPreparer.Prepared> END = List.of();

    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(4);
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile boolean stopped;

    /** Starts reading on one thread of {@code readers} (the node's import pool). */
    PreparedRows(RowSource src, RowPreparer preparer, int chunkSize, Executor readers) {
        readers.execute(() -> {
            try {
                run(src, preparer, chunkSize);
            } finally {
                done.countDown();
            }
        });
    }

    private void run(RowSource src, RowPreparer preparer, int chunkSize) {
        try {
            List<RowPreparer.Prepared> chunk = new ArrayList<>(chunkSize);
            for (SourceRow row = src.next(); row != null && !stopped; row = src.next()) {
                chunk.add(preparer.prepare(row));
                if (chunk.size() == chunkSize) {
                    put(chunk);
                    chunk = new ArrayList<>(chunkSize);
                }
            }
            if (!chunk.isEmpty()) {
                put(chunk);
            }
            put(END);
        } catch (RuntimeException | Error e) {
            put(e);
        }
    }

    private void put(Object item) {
        try {
            while (!stopped && !queue.offer(item, 100, TimeUnit.MILLISECONDS)) {
                // the writer is slower: wait, unless it gave up
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The next chunk in file order, or null at the end; rethrows the reader's failure. */
    @SuppressWarnings("unchecked")
    List<RowPreparer.Prepared> nextChunk() {
        Object item;
        try {
            item = queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("import interrupted", e);
        }
        if (item instanceof RuntimeException) {
            throw (RuntimeException) item;
        }
        if (item instanceof Error) {
            throw (Error) item;
        }
        return item == END ? null : (List<RowPreparer.Prepared>) item;
    }

    @Override
    public void close() {
        stopped = true;
        queue.clear();
        try {
            done.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
