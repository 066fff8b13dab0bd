package io.outdial.ivr.engine;

/** Input state of the gather node a session is on: keys so far, tries used, whether its prompt is playing. */
final class GatherInput {
    final StringBuilder digits = new StringBuilder();
    int attempts;
    boolean promptPlaying;

    /** Entering the node: fresh tries. */
    void reset() {
        attempts = 0;
        clearDigits();
    }

    /** Asking again: no keys yet. */
    void clearDigits() {
        digits.setLength(0);
        promptPlaying = false;
    }
}
