package io.outdial.bench.fullstack;

/**
 * One step of the run: one side (the raw loop or the dialer) placing {@code calls} calls at one pace.
 *
 * @param engine          database of the dialer in this part of the run ({@code h2}, {@code postgresql})
 * @param side            {@code raw} or {@code dialer}
 * @param rate            paced calls per second (the limit), 0 at saturation
 * @param calls           calls asked for
 * @param completed       calls that completed: answered and ended (raw), contacts closed with success (dialer)
 * @param pbx             what the PBX recorded during the step
 * @param seconds         wall time of the step, from the first request to the last call ended (and stored)
 * @param cpuMs           CPU of the side's process during the step: the dialer process, or the harness process
 *                        for the raw loop
 * @param idleCpuMs       CPU the same process spends idle in as long (measured before the steps)
 * @param postgresCpuMs   CPU of the PostgreSQL server during the step, 0 on H2
 * @param lagMean         mean of (dialer's live calls - the PBX's live calls) over the samples, dialer only
 * @param lagMax          the largest such difference
 * @param samples         how many live-count samples were taken
 * @param load            the 1/5/15-minute load averages at the end of the step
 * @param jvmCpuMs        of {@code cpuMs}, what the JVM's JIT compiler and garbage collector threads spent
 * @param dbUses          connections the dialer took from its database pool during the step (0 for the raw loop)
 */
public record Step(String engine, String side, int rate, int calls, int completed, PbxStats pbx, double seconds,
                   double cpuMs, double idleCpuMs, double postgresCpuMs, double lagMean, int lagMax, int samples,
                   String load, double jvmCpuMs, double dbUses) {

    /** Set-ups per second as the PBX stamped the originations. */
    public double setupsPerSecond() {
        return pbx.perSecond();
    }

    /** CPU ms per call of the side's process. */
    public double cpuPerCall() {
        return cpuMs / Math.max(1, calls);
    }

    /** CPU ms per call, less what the process spends idle in as long. */
    public double netCpuPerCall() {
        return Math.max(0, cpuMs - idleCpuMs) / Math.max(1, calls);
    }

    /** CPU ms per call of the JVM's JIT compiler and garbage collector threads (part of {@link #cpuPerCall}). */
    public double jvmPerCall() {
        return jvmCpuMs / Math.max(1, calls);
    }

    /** Database connection uses (transactions and reads) per call. */
    public double dbUsesPerCall() {
        return dbUses / Math.max(1, calls);
    }

    public double postgresPerCall() {
        return postgresCpuMs / Math.max(1, calls);
    }
}
