package io.outdial.bench.fullstack;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time of other processes from {@code /proc/<pid>/stat} (Linux): user + system time in clock ticks, converted
 * at {@link #TICK_MS} ms a tick (USER_HZ, 100 on every Linux build the project runs on).
 */
final class ProcCpu {
    static final double TICK_MS = 10.0;

    private ProcCpu() {
    }

    /** User + system CPU of {@code pid} in ms, plus its waited-for children's when {@code withChildren}. */
    static double millis(long pid, boolean withChildren) {
        long[] f = fields(pid);
        if (f == null) {
            return 0;
        }
        long ticks = f[0] + f[1] + (withChildren ? f[2] + f[3] : 0);
        return ticks * TICK_MS;
    }

    /**
     * CPU of a process tree one level deep: {@code parent} with its ended children (their time is added to the
     * parent's children fields when it waits for them) and its live children. PostgreSQL's postmaster and its
     * backends are such a tree.
     */
    static double treeMillis(long parent) {
        double total = millis(parent, true);
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p ->
            p.getFileName().toString().chars().allMatch(Character::isDigit))) {
            for (Path p : procs) {
                long pid = Long.parseLong(p.getFileName().toString());
                if (pid != parent && parentOf(pid) == parent) {
                    total += millis(pid, false);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc: " + e, e);
        }
        return total;
    }

    /**
     * User + system CPU in ms of the JVM's own threads in {@code pid}, alive now: the JIT compilers and the garbage
     * collector's threads (the names HotSpot gives them, as {@code /proc/<pid>/task/<tid>/stat} shows them cut to 15
     * characters). The rest of the process's CPU is the application's threads.
     */
    static double jvmOwnMillis(long pid) {
        double total = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                String s = read(task.resolve("stat"));
                if (s == null) {
                    continue; // the thread ended
                }
                String name = s.substring(s.indexOf('(') + 1, s.lastIndexOf(')'));
                if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")
                    || name.startsWith("GC Thread") || name.startsWith("G1 ")) {
                    String[] f = afterCommand(s);
                    total += (Long.parseLong(f[11]) + Long.parseLong(f[12])) * TICK_MS;
                }
            }
        } catch (IOException e) {
            return 0; // the process is gone
        }
        return total;
    }

    /** utime, stime, cutime, cstime of {@code pid}, or null when it is gone. */
    private static long[] fields(long pid) {
        String[] f = stat(pid);
        if (f == null) {
            return null;
        }
        // after "pid (comm)": state is field 0; utime 11, stime 12, cutime 13, cstime 14 (proc(5) fields 14-17)
        return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[13]),
            Long.parseLong(f[14])};
    }

    private static long parentOf(long pid) {
        String[] f = stat(pid);
        return f == null ? -1 : Long.parseLong(f[1]);
    }

    /** The fields of {@code /proc/<pid>/stat} after the command name (which may hold spaces), or null. */
    private static String[] stat(long pid) {
        String s = read(Path.of("/proc", Long.toString(pid), "stat"));
        try {
            return s == null ? null : afterCommand(s);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The fields of a process's or thread's stat line after {@code pid (comm)}: state is field 0. */
    private static String[] afterCommand(String stat) {
        return stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    }

    /** A {@code /proc} file's text, or null when its process or thread is gone. */
    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return null;
        }
    }

    /** The 1-minute load average from {@code /proc/loadavg}. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }
}
