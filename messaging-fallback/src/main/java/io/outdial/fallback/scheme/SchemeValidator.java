package io.outdial.fallback.scheme;

import io.outdial.fallback.sms.SmsSplit;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The checks the JSON Schema cannot make: links to existing blocks, reachability from the start, statuses the
 * channel can report, content, and SMS length. Values the schema already reports as missing are skipped so
 * each mistake is reported once.
 */
public final class SchemeValidator {

    private SchemeValidator() {
    }

    /** Every problem of a bound scheme. */
    public static List<SchemeError> validate(Scheme scheme) {
        List<SchemeError> errors = new ArrayList<>();
        Set<String> ids = scheme.blocks().keySet();
        if (scheme.start() != null && !ids.contains(scheme.start())) {
            errors.add(SchemeError.at("$.start", "start block \"" + scheme.start() + "\" does not exist; blocks are "
                    + new TreeSet<>(ids)));
        }
        for (Map.Entry<String, Block> e : scheme.blocks().entrySet()) {
            String path = "$.blocks." + e.getKey();
            Block b = e.getValue();
            if (b instanceof Block.ChannelBlock) {
                channel((Block.ChannelBlock) b, path, ids, errors);
            } else if (b instanceof Block.Delay) {
                Block.Delay d = (Block.Delay) b;
                positive(d.duration(), path + ".duration", errors);
                target(d.next(), path + ".next", ids, errors);
            } else if (b instanceof Block.Split) {
                split((Block.Split) b, path, ids, errors);
            } else if (b instanceof Block.Goal) {
                target(((Block.Goal) b).next(), path + ".next", ids, errors);
            } else if (!(b instanceof Block.End)) {
                throw new IllegalStateException("unknown block " + b);
            }
        }
        unreachable(scheme, errors);
        return errors;
    }

    /** Ids of the blocks a block leads to, in link order. */
    public static List<String> nexts(Block b) {
        List<String> out = new ArrayList<>();
        if (b instanceof Block.ChannelBlock) {
            ((Block.ChannelBlock) b).links().forEach(l -> out.add(l.next()));
        } else if (b instanceof Block.Delay) {
            out.add(((Block.Delay) b).next());
        } else if (b instanceof Block.Split) {
            ((Block.Split) b).branches().forEach(br -> out.add(br.next()));
        } else if (b instanceof Block.Goal) {
            out.add(((Block.Goal) b).next());
        }
        out.removeIf(s -> s == null);
        return out;
    }

    private static void channel(Block.ChannelBlock b, String path, Set<String> ids, List<SchemeError> errors) {
        ChannelType type = b.type();
        if (type == null) {
            return;
        }
        for (String key : type.requiredContent()) {
            String v = b.content().get(key);
            if (v == null || v.isBlank()) {
                errors.add(SchemeError.at(path + ".content." + key, "missing content: a " + type.json()
                        + " block needs a non-blank \"" + key + "\""));
            }
        }
        b.content().forEach((k, v) -> {
            String problem = v == null ? null : ContentTemplate.problem(v);
            if (problem != null) {
                errors.add(SchemeError.at(path + ".content." + k, problem));
            }
        });
        ChannelContentRules.check(b, path, errors);
        if (type == ChannelType.SMS) {
            smsLength(b, path, errors);
        } else if (b.maxSegments() != null) {
            errors.add(SchemeError.at(path + ".maxSegments", "maxSegments applies to sms blocks only, not "
                    + type.json()));
        }
        positive(b.decisionTime(), path + ".decisionTime", errors);
        if (b.links().isEmpty()) {
            errors.add(SchemeError.at(path + ".links", "missing link: a channel block needs at least one link "
                    + "(e.g. on timeout to an end block), or every run would stop here"));
        }
        for (int i = 0; i < b.links().size(); i++) {
            link(type, b.links().get(i), path + ".links[" + i + "]", ids, errors);
        }
    }

    private static void smsLength(Block.ChannelBlock b, String path, List<SchemeError> errors) {
        String text = b.content().get("text");
        if (text == null || text.isBlank()) {
            return;
        }
        SmsSplit split = SmsSplit.of(ContentTemplate.fixedText(text));
        if (split.segments() > b.segmentLimit()) {
            errors.add(SchemeError.at(path + ".content.text", "SMS too long: " + split.units() + " "
                    + (split.encoding() == io.outdial.fallback.sms.SmsEncoding.GSM7 ? "GSM-7 septets" : "UCS-2 units")
                    + " before placeholders take " + split.segments() + " parts of "
                    + split.encoding().perPart() + "; at most " + b.segmentLimit() + " allowed (maxSegments)"));
        }
    }

    private static void link(ChannelType type, Link l, String path, Set<String> ids, List<SchemeError> errors) {
        target(l.next(), path + ".next", ids, errors);
        if (l.on() == null) {
            return;
        }
        switch (l.on()) {
            case STATUS:
                if (l.status() != null && !type.statuses().contains(l.status())) {
                    Set<String> can = new TreeSet<>();
                    type.statuses().forEach(s -> can.add(s.json()));
                    errors.add(SchemeError.at(path + ".status", "a " + type.json() + " channel cannot report status "
                            + l.status().json() + "; it reports " + can));
                }
                break;
            case REPLY:
                if (!type.replies()) {
                    errors.add(SchemeError.at(path + ".on", "a " + type.json() + " channel has no replies"));
                }
                if (l.matches() != null) {
                    try {
                        Pattern.compile(l.matches());
                    } catch (PatternSyntaxException ex) {
                        errors.add(SchemeError.at(path + ".matches", "\"" + l.matches()
                                + "\" is not a valid regular expression: " + ex.getDescription()));
                    }
                }
                break;
            case KEY:
            case MESSAGE:
                if (!type.ivr()) {
                    errors.add(SchemeError.at(path + ".on", "a " + type.json() + " channel has no IVR events ("
                            + l.on().json() + "); only voice has"));
                }
                break;
            default:
                break;
        }
    }

    private static void split(Block.Split s, String path, Set<String> ids, List<SchemeError> errors) {
        int sum = 0;
        Set<String> names = new HashSet<>();
        for (int i = 0; i < s.branches().size(); i++) {
            Block.Branch br = s.branches().get(i);
            sum += br.percent();
            if (br.name() != null && !names.add(br.name())) {
                errors.add(SchemeError.at(path + ".branches[" + i + "].name", "branch name \"" + br.name()
                        + "\" is used twice; names must be unique"));
            }
            target(br.next(), path + ".branches[" + i + "].next", ids, errors);
        }
        if (!s.branches().isEmpty() && sum != 100) {
            errors.add(SchemeError.at(path + ".branches", "branch percentages add up to " + sum + "; expected 100"));
        }
    }

    private static void target(String next, String path, Set<String> ids, List<SchemeError> errors) {
        if (next != null && !ids.contains(next)) {
            errors.add(SchemeError.at(path, "dangling link: block \"" + next + "\" does not exist"));
        }
    }

    private static void positive(Duration d, String path, List<SchemeError> errors) {
        if (d != null && (d.isZero() || d.isNegative())) {
            errors.add(SchemeError.at(path, "duration " + d + " must be more than zero"));
        }
    }

    private static void unreachable(Scheme scheme, List<SchemeError> errors) {
        if (scheme.start() == null || scheme.block(scheme.start()) == null) {
            return;
        }
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(scheme.start()));
        while (!todo.isEmpty()) {
            String id = todo.pop();
            Block b = scheme.block(id);
            if (b != null && seen.add(id)) {
                todo.addAll(nexts(b));
            }
        }
        for (String id : scheme.blocks().keySet()) {
            if (!seen.contains(id)) {
                errors.add(SchemeError.at("$.blocks." + id, "unreachable block: no path from start \""
                        + scheme.start() + "\" leads here"));
            }
        }
    }
}
