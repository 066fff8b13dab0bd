package io.outdial.dialer.contact;

/** Called on the importing thread after each batch (and at the end); must be quick. */
@FunctionalInterface
public interface ImportProgress {
    /** Ignores progress. */
    ImportProgress NONE = (read, imported, rejected) -> { };

    void onProgress(long rowsRead, long imported, long rejected);
}
