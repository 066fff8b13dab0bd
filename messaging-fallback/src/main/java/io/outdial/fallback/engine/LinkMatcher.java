package io.outdial.fallback.engine;

import io.outdial.fallback.scheme.Block;
import io.outdial.fallback.scheme.Link;
import io.outdial.fallback.scheme.Status;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/** Finds the first link of a channel block that an event takes. Reply texts compare case-insensitively. */
final class LinkMatcher {

    private final Map<String, Pattern> patterns = new ConcurrentHashMap<>();

    Link status(Block.ChannelBlock b, Status st) {
        return b.links().stream().filter(l -> l.on() == Link.On.STATUS && l.status() == st).findFirst().orElse(null);
    }

    Link reply(Block.ChannelBlock b, String text) {
        String lower = text == null ? "" : text.toLowerCase(Locale.ROOT);
        for (Link l : b.links()) {
            if (l.on() != Link.On.REPLY) {
                continue;
            }
            if (l.contains() != null && lower.contains(l.contains().toLowerCase(Locale.ROOT))) {
                return l;
            }
            if (l.matches() != null && pattern(l.matches()).matcher(text == null ? "" : text).find()) {
                return l;
            }
        }
        return null;
    }

    Link key(Block.ChannelBlock b, String key) {
        return b.links().stream().filter(l -> l.on() == Link.On.KEY && l.key().equals(key)).findFirst().orElse(null);
    }

    Link message(Block.ChannelBlock b, String event) {
        return b.links().stream().filter(l -> l.on() == Link.On.MESSAGE && l.event().equals(event)).findFirst()
                .orElse(null);
    }

    Link timeout(Block.ChannelBlock b) {
        return b.links().stream().filter(l -> l.on() == Link.On.TIMEOUT).findFirst().orElse(null);
    }

    Link error(Block.ChannelBlock b) {
        return b.links().stream().filter(l -> l.on() == Link.On.ERROR).findFirst().orElse(null);
    }

    private Pattern pattern(String regex) {
        return patterns.computeIfAbsent(regex, r -> Pattern.compile(r, Pattern.CASE_INSENSITIVE
                | Pattern.UNICODE_CASE));
    }
}
