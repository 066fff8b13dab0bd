package io.outdial.bench.fullstack;

/**
 * What the PBX recorded during one step of the full-stack run, from its own log ({@code PbxLog}).
 *
 * @param originates      originate requests that arrived
 * @param firstNanos      arrival of the first ({@link System#nanoTime()} of the PBX process)
 * @param lastNanos       arrival of the last
 * @param mostInOneSecond the most originate requests within any sliding 1 s window
 * @param overLimit       originate requests that ended a 1 s window holding more than the step's limit
 * @param mediaFetched    {@code sound:http} media items fetched for playbacks
 * @param mediaPlayed     of those, played to their end (the callee's key stops the rest)
 * @param mediaBad        of those, not fetched with 200 or holding no audio
 */
public record PbxStats(int originates, long firstNanos, long lastNanos, int mostInOneSecond, int overLimit,
                       int mediaFetched, int mediaPlayed, int mediaBad) {
    /** Originations per second from the first to the last of the step, as the PBX stamped them. */
    public double perSecond() {
        return originates < 2 || lastNanos == firstNanos ? 0 : (originates - 1) / ((lastNanos - firstNanos) / 1e9);
    }

    /**
     * Over {@code times} in ascending order, in any unit: {@code {most, over}}, the most within any sliding window of
     * {@code width} and how many times end a window holding more than {@code limit} (none counted when 0).
     */
    static int[] windows(java.util.List<Long> times, long width, int limit) {
        int most = 0;
        int over = 0;
        int from = 0;
        for (int to = 0; to < times.size(); to++) {
            while (times.get(to) - times.get(from) >= width) {
                from++;
            }
            int inWindow = to - from + 1;
            most = Math.max(most, inWindow);
            if (limit > 0 && inWindow > limit) {
                over++;
            }
        }
        return new int[] {most, over};
    }
}
