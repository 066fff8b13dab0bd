package io.outdial.bench;

import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Shared JMH settings for every Outdial benchmark: average time per operation in microseconds, one fork with
 * a fixed heap, 3 warm-up and 5 measured iterations of 1 s. Subclasses put a {@code baseline} method in the same
 * class so that {@code docs/BENCHMARKS.md} can report ratios measured in the same run, not absolute times that
 * depend on the machine. Override any annotation on the subclass; run-time flags ({@code -f}, {@code -wi},
 * {@code -i}) override both.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public abstract class BenchmarkBase {
}
