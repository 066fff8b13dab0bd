package io.outdial.sandbox.pbx.impl;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Playbacks (stock sounds with known lengths, {@code sound:http://} URLs fetched and measured, stored recordings)
 * and recordings written as 8 kHz 16-bit mono WAV files.
 */
final class Media {

    private static final Logger LOG = LoggerFactory.getLogger(Media.class);
    /** Asterisk's media cache truncates the path for URIs shorter than this (see the playback_http capture). */
    static final int MIN_HTTP_URI = 28;

    final Sounds sounds;
    private final Engine engine;
    private final Vertx vertx;
    private final HttpClient http;
    private final Path dir;
    private final Map<String, Playback> playbacks = new HashMap<>();
    private final Map<String, Recording> live = new HashMap<>();
    private final Map<String, Stored> stored = new LinkedHashMap<>();

    /** A stored recording: its length and the write of its file. */
    record Stored(String name, String format, long millis, Future<Void> written) {
    }

    Media(Engine engine, Vertx vertx, Path dir) {
        this.engine = engine;
        this.vertx = vertx;
        this.dir = dir;
        this.sounds = new Sounds(engine.options.extraSounds());
        this.http = vertx.createHttpClient();
    }

    // ---------------------------------------------------------------- playbacks

    JsonObject play(Channel ch, String playbackId, List<String> mediaUris) {
        if (mediaUris.isEmpty()) {
            throw new Engine.AriError(400, "Missing parameter media");
        }
        String id = playbackId != null ? playbackId : UUID.randomUUID().toString();
        if (playbacks.containsKey(id)) {
            throw new Engine.AriError(409, "Playback with given id already exists");
        }
        Playback pb = new Playback(id, ch, mediaUris);
        JsonObject reply = pb.json();
        playbacks.put(id, pb);
        if (ch.playbacks == null) {
            ch.playbacks = new ArrayDeque<>(2);
        }
        ch.playbacks.add(pb);
        if (ch.playbacks.size() == 1) {
            start(pb);
        }
        engine.mediaFromOrigin(ch.call);
        return reply;
    }

    Playback playback(String id) {
        Playback pb = playbacks.get(id);
        if (pb == null) {
            throw new Engine.AriError(404, "Playback not found");
        }
        return pb;
    }

    private void start(Playback pb) {
        pb.state = "playing";
        emitPlayback(pb, "PlaybackStarted");
        playCurrent(pb);
    }

    private void playCurrent(Playback pb) {
        String uri = pb.currentUri();
        pb.mediaStart = engine.clock.nowMillis();
        long length = -1;
        if (uri.startsWith("sound:http://") || uri.startsWith("sound:https://")) {
            fetch(pb, uri.substring("sound:".length()), 2);
            return;
        } else if (uri.startsWith("sound:")) {
            length = sounds.lengthOf(uri.substring("sound:".length()));
        } else if (uri.startsWith("recording:")) {
            Stored rec = stored.get(uri.substring("recording:".length()));
            length = rec == null ? -1 : rec.millis();
        } else if (uri.startsWith("digits:") || uri.startsWith("number:") || uri.startsWith("characters:")) {
            length = 600L * (uri.length() - uri.indexOf(':') - 1);
        } else if (uri.startsWith("tone:")) {
            return;
        }
        schedule(pb, length);
    }

    private void schedule(Playback pb, long length) {
        if (pb.finished) {
            return;
        }
        if (length < 0) {
            pb.timer = engine.clock.schedule(3, () -> finish(pb, "failed"));
        } else {
            // Counted from the start of this media, so a download's own time (real, not scaled) is not added on top.
            pb.timer = engine.clock.scheduleAt(pb.mediaStart + length, () -> next(pb));
        }
    }

    private void fetch(Playback pb, String url, int attemptsLeft) {
        Future<io.vertx.core.http.HttpClientRequest> sending;
        try {
            sending = engine.mediaUnreachable
                ? Future.failedFuture(new java.net.ConnectException("Connection refused (injected fault)"))
                : http.request(request(url));
        } catch (RuntimeException e) {
            sending = Future.failedFuture(e);
        }
        int[] status = {0};
        long[] bytes = {0};
        sending
            .compose(req -> req.send().compose(resp -> resp.body().map(body -> {
                status[0] = resp.statusCode();
                bytes[0] = body.length();
                return resp.statusCode() == 200 ? WavInfo.lengthMillis(body, resp.getHeader("Content-Type"), url) : -1L;
            })))
            .otherwise(err -> {
                LOG.debug("fetch {} failed: {}", url, err.toString());
                return -1L;
            })
            .onSuccess(length -> {
                boolean ok = length >= 0 && url.length() >= MIN_HTTP_URI;
                pb.fetched = new io.outdial.sandbox.pbx.PbxLog.Media(pb.channel.id, url, status[0], bytes[0],
                    ok ? length : -1, false);
                engine.log.media(pb.fetched);
                if (!ok && attemptsLeft > 1) {
                    fetch(pb, url, attemptsLeft - 1);
                } else {
                    schedule(pb, ok ? length : -1);
                }
            });
    }

    private static final java.util.regex.Pattern SHORT_IPV4 =
        java.util.regex.Pattern.compile("^(https?)://([0-9]+(?:\\.[0-9]+){0,2})(?::([0-9]+))?(/.*)?$");

    /**
     * "http://127.1:8080/x" is a valid IPv4 shorthand for Asterisk (curl) but not for java.net.URI: connect to the
     * dotted address, keep the original Host header.
     */
    private static RequestOptions request(String url) {
        java.util.regex.Matcher m = SHORT_IPV4.matcher(url);
        if (m.matches()) {
            try {
                String host = java.net.InetAddress.getByName(m.group(2)).getHostAddress();
                int port = m.group(3) != null ? Integer.parseInt(m.group(3)) : "https".equals(m.group(1)) ? 443 : 80;
                return new RequestOptions().setMethod(HttpMethod.GET).setHost(host).setPort(port)
                    .setSsl("https".equals(m.group(1))).setURI(m.group(4) == null ? "/" : m.group(4))
                    .putHeader("Host", m.group(2) + (m.group(3) != null ? ":" + m.group(3) : ""));
            } catch (java.io.IOException e) {
                LOG.debug("cannot resolve media host in {}: {}", url, e.toString());
            }
        }
        return new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url);
    }

    private void next(Playback pb) {
        if (pb.finished) {
            return;
        }
        io.outdial.sandbox.pbx.PbxLog.Media f = pb.fetched;
        if (f != null) {
            pb.fetched = null;
            engine.log.media(new io.outdial.sandbox.pbx.PbxLog.Media(f.channelId(), f.url(), f.status(), f.bytes(),
                f.lengthMillis(), true));
        }
        if (pb.index + 1 < pb.media.size()) {
            pb.index++;
            emitPlayback(pb, "PlaybackContinuing");
            playCurrent(pb);
        } else {
            finish(pb, "done");
        }
    }

    void finish(Playback pb, String state) {
        if (pb.finished) {
            return;
        }
        pb.finished = true;
        engine.clock.cancel(pb.timer);
        pb.state = state;
        emitPlayback(pb, "PlaybackFinished");
        playbacks.remove(pb.id);
        Channel ch = pb.channel;
        if (ch.playbacks != null) {
            ch.playbacks.remove(pb);
            Playback next = ch.playbacks.peek();
            if (next != null && !ch.destroyed) {
                start(next);
            }
        }
    }

    /** The channel hangs up: a running prompt ends "failed", queued ones are dropped. */
    void failPlaybacks(Channel ch) {
        if (ch.playbacks == null || ch.playbacks.isEmpty()) {
            return;
        }
        Playback current = ch.playbacks.peek();
        for (Playback pb : List.copyOf(ch.playbacks)) {
            if (pb != current) {
                pb.finished = true;
                playbacks.remove(pb.id);
            }
        }
        ch.playbacks.clear();
        ch.playbacks.add(current);
        finish(current, "failed");
    }

    private void emitPlayback(Playback pb, String type) {
        engine.apps.deliver(pb.channel.eventApp(), engine.event(type).put("playback", pb.json()));
    }

    /** Forgets everything about {@code ch} without events (Asterisk went down). */
    void forget(Channel ch) {
        if (ch.playbacks != null) {
            ch.playbacks.forEach(pb -> {
                pb.finished = true;
                engine.clock.cancel(pb.timer);
                playbacks.remove(pb.id);
            });
        }
        if (ch.recording != null) {
            engine.clock.cancel(ch.recording.maxTimer);
            engine.clock.cancel(ch.recording.silenceTimer);
            live.remove(ch.recording.name);
            ch.recording = null;
        }
    }

    // ---------------------------------------------------------------- recordings

    JsonObject record(Channel ch, String name, String format, long maxDurationSeconds, long maxSilenceSeconds,
                      boolean beep, String terminateOn, String ifExists) {
        if (name == null || name.isEmpty()) {
            throw new Engine.AriError(400, "Recording name is required");
        }
        if (format == null || format.isEmpty()) {
            throw new Engine.AriError(400, "Recording format is required");
        }
        if (!"wav".equals(format)) {
            throw new Engine.AriError(422, "Recording format is unknown: only wav is supported by the sandbox");
        }
        if (ch.recording != null || live.containsKey(name)) {
            throw new Engine.AriError(409, "Recording already in progress");
        }
        if (stored.containsKey(name) && !"overwrite".equals(ifExists) && !"append".equals(ifExists)) {
            throw new Engine.AriError(409, "Recording already exists");
        }
        long now = engine.clock.nowMillis();
        Recording rec = new Recording(name, format, ch, terminateOn, now, ch.call.audioUntil(now));
        JsonObject reply = rec.json();
        rec.state = "recording";
        live.put(name, rec);
        ch.recording = rec;
        engine.apps.deliver(ch.eventApp(), engine.event("RecordingStarted").put("recording", rec.json()));
        if (maxDurationSeconds > 0) {
            rec.maxMillis = maxDurationSeconds * 1000;
            rec.maxTimer = engine.clock.scheduleAt(now + rec.maxMillis, () -> finishRecording(rec, "done"));
        }
        if (maxSilenceSeconds > 0 && !ch.call.local) {
            // A trunk sends RTP all the time: silence starts when the callee stops talking (its speech comes first).
            long silenceFrom = ch.call.audioSince >= 0 ? ch.call.due : now;
            rec.silenceTimer = engine.clock.scheduleAt(silenceFrom + maxSilenceSeconds * 1000,
                () -> finishRecording(rec, "done"));
        }
        if (beep) {
            engine.mediaFromOrigin(ch.call);
        }
        return reply;
    }

    Recording liveRecording(String name) {
        Recording rec = live.get(name);
        if (rec == null) {
            throw new Engine.AriError(404, "Recording not found");
        }
        return rec;
    }

    void finishRecording(Recording rec, String state) {
        if (live.get(rec.name) != rec) {
            return;
        }
        live.remove(rec.name);
        engine.clock.cancel(rec.maxTimer);
        engine.clock.cancel(rec.silenceTimer);
        rec.channel.recording = null;
        long now = engine.clock.nowMillis();
        Call call = rec.channel.call;
        long millis = Math.max(0, call.local ? call.audioUntil(now) - rec.audioAtStart : now - rec.startedAt);
        if (rec.maxMillis > 0) {
            millis = Math.min(millis, rec.maxMillis);
        }
        rec.state = state;
        JsonObject json = rec.json();
        if ("done".equals(state)) {
            json.put("duration", millis / 1000);
            Path file = dir.resolve(rec.name + ".wav");
            Future<Void> written = vertx.fileSystem().writeFile(file.toString(), WavInfo.tone(millis))
                .onFailure(err -> LOG.error("recording {} could not be written to {}: {}", rec.name, file, err.toString()));
            stored.put(rec.name, new Stored(rec.name, rec.format, millis, written));
        }
        engine.apps.deliver(rec.channel.eventApp(), engine.event("RecordingFinished").put("recording", json));
    }

    Stored stored(String name) {
        Stored rec = stored.get(name);
        if (rec == null) {
            throw new Engine.AriError(404, "Recording not found");
        }
        return rec;
    }

    JsonArray storedList() {
        JsonArray out = new JsonArray();
        stored.values().forEach(s -> out.add(new JsonObject().put("name", s.name()).put("format", s.format())));
        return out;
    }

    Path file(Stored rec) {
        return dir.resolve(rec.name() + ".wav");
    }

    Future<Void> deleteStored(String name) {
        Stored rec = stored(name);
        stored.remove(name);
        return rec.written().transform(x -> vertx.fileSystem().delete(file(rec).toString()));
    }

    Future<Void> close() {
        return http.close();
    }

    /** WAV reading and writing (8 kHz, 16-bit, mono). */
    static final class WavInfo {
        private WavInfo() {
        }

        /** Length of a media file: the WAV header if any, else by format byte rate; -1 when unknown. */
        static long lengthMillis(Buffer body, String contentType, String url) {
            if (body.length() >= 12 && "RIFF".equals(body.getString(0, 4)) && "WAVE".equals(body.getString(8, 12))) {
                int pos = 12;
                int byteRate = 0;
                while (pos + 8 <= body.length()) {
                    String id = body.getString(pos, pos + 4);
                    int size = body.getIntLE(pos + 4);
                    if ("fmt ".equals(id) && pos + 20 <= body.length()) {
                        byteRate = body.getIntLE(pos + 16);
                    } else if ("data".equals(id) && byteRate > 0) {
                        long data = Math.min(size & 0xffffffffL, body.length() - pos - 8L);
                        return data * 1000 / byteRate;
                    }
                    pos += 8 + size + (size & 1);
                }
                return -1;
            }
            String path = url.contains("?") ? url.substring(0, url.indexOf('?')) : url;
            if (path.endsWith(".ulaw") || path.endsWith(".alaw") || path.endsWith(".pcm")) {
                return body.length() / 8L;
            }
            if (path.endsWith(".sln")) {
                return body.length() / 16L;
            }
            if (path.endsWith(".gsm")) {
                return body.length() * 20L / 33L;
            }
            return -1;
        }

        /** One period of a quiet 400 Hz tone at 8 kHz (20 samples), so long files cost no trigonometry. */
        private static final short[] PERIOD = new short[20];

        static {
            for (int i = 0; i < PERIOD.length; i++) {
                PERIOD[i] = (short) (2000 * Math.sin(2 * Math.PI * i / PERIOD.length));
            }
        }

        /** A WAV file of {@code millis} of a quiet 400 Hz tone. */
        static Buffer tone(long millis) {
            int samples = (int) (millis * 8);
            Buffer wav = Buffer.buffer(44 + samples * 2);
            wav.appendString("RIFF").appendIntLE(36 + samples * 2).appendString("WAVE");
            wav.appendString("fmt ").appendIntLE(16).appendShortLE((short) 1).appendShortLE((short) 1)
                .appendIntLE(8000).appendIntLE(16000).appendShortLE((short) 2).appendShortLE((short) 16);
            wav.appendString("data").appendIntLE(samples * 2);
            for (int i = 0; i < samples; i++) {
                wav.appendShortLE(PERIOD[i % PERIOD.length]);
            }
            return wav;
        }
    }
}
