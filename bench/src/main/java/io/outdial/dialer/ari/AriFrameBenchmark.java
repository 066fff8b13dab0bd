package io.outdial.dialer.ari;

import io.outdial.bench.BenchmarkBase;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.infra.Blackhole;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What reading one events-websocket frame costs the ARI client before a handler sees the event: the top-level type
 * scan, the duplicate fingerprint and the binding, over the frames of the real Asterisk 22 transcripts the sandbox
 * carries ({@value #FRAMES} frames a call to the benchmark, taken in turn from every transcript). {@code bytes} is the
 * client's path (the frame's UTF-8 bytes read as they are, the fingerprint taken eight bytes at a time, a call's events
 * bound field by field); {@code bytesBoundByTheMapper} the same with every event bound by the Jackson mapper;
 * {@code textBaseline} the earlier one (the frame decoded to a string first, a char-based parser for the scan and
 * another for the binding, a byte-by-byte FNV-1a over the chars). Times are per frame. It lives in the client's
 * package to call its package-private fingerprint.
 */
public class AriFrameBenchmark extends BenchmarkBase {
    static final int FRAMES = 512;
    private static final String[] TRANSCRIPTS = {"100.jsonl", "100_cid.jsonl", "100_play_hangup.jsonl", "101.jsonl",
        "102.jsonl", "103.jsonl", "104.jsonl", "105.jsonl", "106_play.jsonl", "amd_human.jsonl", "barge_in.jsonl",
        "playback_http.jsonl", "record.jsonl", "transfer_bridge.jsonl"};

    private byte[][] frames;

    @Setup
    public void load() {
        ObjectMapper mapper = new ObjectMapper();
        List<byte[]> all = new ArrayList<>();
        for (String name : TRANSCRIPTS) {
            try (InputStream in = AriFrameBenchmark.class.getResourceAsStream("/asterisk-reference/events/" + name)) {
                if (in == null) {
                    throw new IllegalStateException("no transcript " + name + " on the class path");
                }
                for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                    if (!line.isBlank()) {
                        JsonNode event = mapper.readTree(line).get("event");
                        if (event != null) {
                            all.add(event.toString().getBytes(StandardCharsets.UTF_8));
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (all.isEmpty()) {
            throw new IllegalStateException("no transcript events on the class path");
        }
        frames = new byte[FRAMES][];
        for (int i = 0; i < FRAMES; i++) {
            frames[i] = all.get(i % all.size());
        }
    }

    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public void bytes(Blackhole bh) {
        for (byte[] frame : frames) {
            String type = AriEvents.typeOf(frame);
            if (type != null && !AriEvents.ACTED_ON.contains(type)) {
                continue;
            }
            bh.consume(AriServer.Fingerprint.of(frame));
            bh.consume(AriEvents.parse(frame));
        }
    }

    /** As {@link #bytes}, every event bound by the mapper (the client's path before the field-by-field reader). */
    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public void bytesBoundByTheMapper(Blackhole bh) {
        for (byte[] frame : frames) {
            String type = AriEvents.typeOf(frame);
            if (type != null && !AriEvents.ACTED_ON.contains(type)) {
                continue;
            }
            bh.consume(AriServer.Fingerprint.of(frame));
            bh.consume(AriEvents.bind(frame));
        }
    }

    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public void textBaseline(Blackhole bh) {
        for (byte[] frame : frames) {
            String text = new String(frame, StandardCharsets.UTF_8);
            String type = AriEvents.typeOf(text);
            if (type != null && !AriEvents.ACTED_ON.contains(type)) {
                continue;
            }
            bh.consume(text.length());
            bh.consume(fnv(text));
            bh.consume(AriEvents.parse(text));
        }
    }

    private static long fnv(String text) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < text.length(); i++) {
            h ^= text.charAt(i);
            h *= 0x100000001b3L;
        }
        return h;
    }
}
