package io.outdial.fallback.channel.sms;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * One SMSC the SMS channel binds to. Null values take the defaults shown.
 *
 * @param name            name in logs and status
 * @param host            SMSC host
 * @param port            SMSC port
 * @param systemId        bind system_id
 * @param passwordEnv     name of the environment variable holding the bind password (never the password itself)
 * @param systemType      bind system_type (default empty)
 * @param sourceAddress   source_addr of submitted messages (the sender name or number)
 * @param sourceTon       source_addr_ton (default 5, alphanumeric)
 * @param sourceNpi       source_addr_npi (default 0, unknown)
 * @param destTon         dest_addr_ton (default 1, international)
 * @param destNpi         dest_addr_npi (default 1, ISDN)
 * @param binds           transceiver binds kept open (default 1)
 * @param window          submit_sm awaiting a response, per bind (default 10)
 * @param throughput      submit_sm per second, per bind; 0 for no limit (default 50)
 * @param enquireLink     enquire_link interval (default 30 s)
 * @param responseTimeout how long a request waits for its response (default 10 s)
 * @param rebindMin       first wait before a rebind; doubles up to rebindMax, with jitter (default 1 s)
 * @param rebindMax       longest wait before a rebind (default 60 s)
 * @param submitWait      how long a message waits for a bound session before it fails (default 5 min)
 * @param prefixes        number prefixes this SMSC serves ({@code +} and 1..15 digits, e.g. {@code +33}); empty (the
 *                        default): every number no other entry's prefix matches (see {@link SmsRouter})
 * @param weight          share of messages among the SMSCs that match a number equally well, 1..1000 (default 1)
 */
public record SmscConfig(String name, String host, int port, String systemId, String passwordEnv, String systemType,
                         String sourceAddress, Integer sourceTon, Integer sourceNpi, Integer destTon, Integer destNpi,
                         Integer binds, Integer window, Integer throughput, Duration enquireLink,
                         Duration responseTimeout, Duration rebindMin, Duration rebindMax, Duration submitWait,
                         List<String> prefixes, Integer weight) {

    private static final Pattern PREFIX = Pattern.compile("\\+[1-9][0-9]{0,14}");

    public SmscConfig {
        require(name != null && !name.isBlank(), "name", name, "a non-blank name");
        require(host != null && !host.isBlank(), "host", host, "a host name or address");
        require(port > 0 && port < 65536, "port", port, "1..65535");
        require(systemId != null && !systemId.isBlank() && systemId.length() <= 15, "systemId", systemId,
                "1..15 characters");
        require(passwordEnv != null && !passwordEnv.isBlank(), "passwordEnv", passwordEnv,
                "the name of an environment variable");
        require(sourceAddress != null && !sourceAddress.isBlank(), "sourceAddress", sourceAddress, "a sender");
        systemType = systemType == null ? "" : systemType;
        sourceTon = sourceTon == null ? 5 : sourceTon;
        sourceNpi = sourceNpi == null ? 0 : sourceNpi;
        destTon = destTon == null ? 1 : destTon;
        destNpi = destNpi == null ? 1 : destNpi;
        binds = binds == null ? 1 : binds;
        window = window == null ? 10 : window;
        throughput = throughput == null ? 50 : throughput;
        enquireLink = enquireLink == null ? Duration.ofSeconds(30) : enquireLink;
        responseTimeout = responseTimeout == null ? Duration.ofSeconds(10) : responseTimeout;
        rebindMin = rebindMin == null ? Duration.ofSeconds(1) : rebindMin;
        rebindMax = rebindMax == null ? Duration.ofSeconds(60) : rebindMax;
        submitWait = submitWait == null ? Duration.ofMinutes(5) : submitWait;
        require(binds >= 1 && binds <= 32, "binds", binds, "1..32");
        require(window >= 1, "window", window, "at least 1");
        require(throughput >= 0, "throughput", throughput, "0 (no limit) or more");
        require(!rebindMin.isNegative() && !rebindMin.isZero() && rebindMax.compareTo(rebindMin) >= 0, "rebindMax",
                rebindMax, "at least rebindMin (" + rebindMin + ")");
        // ids of routed messages are stored as name:id, at most 200 characters with the SMSC's id (at most 65)
        require(name.length() <= 64, "name", name, "at most 64 characters");
        weight = weight == null ? 1 : weight;
        require(weight >= 1 && weight <= 1000, "weight", weight, "1..1000");
        prefixes = prefixes == null ? List.of() : List.copyOf(prefixes);
        Set<String> seen = new HashSet<>();
        for (String p : prefixes) {
            require(p != null && PREFIX.matcher(p).matches(), "prefixes", p,
                    "a number prefix: + and 1..15 digits, the first not 0 (e.g. +33)");
            require(seen.add(p), "prefixes", p, "each prefix once");
        }
    }

    /** A config with the defaults for everything optional. */
    public static SmscConfig of(String name, String host, int port, String systemId, String passwordEnv,
                                String sourceAddress) {
        return new SmscConfig(name, host, port, systemId, passwordEnv, null, sourceAddress, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null);
    }

    /** With other binds, window and throughput. */
    public SmscConfig withBinds(int nBinds, int nWindow, int perSecond) {
        return new SmscConfig(name, host, port, systemId, passwordEnv, systemType, sourceAddress, sourceTon,
                sourceNpi, destTon, destNpi, nBinds, nWindow, perSecond, enquireLink, responseTimeout, rebindMin,
                rebindMax, submitWait, prefixes, weight);
    }

    /** With other timers. */
    public SmscConfig withTimers(Duration enquire, Duration response, Duration rebindFirst, Duration rebindLongest,
                                 Duration waitForBind) {
        return new SmscConfig(name, host, port, systemId, passwordEnv, systemType, sourceAddress, sourceTon,
                sourceNpi, destTon, destNpi, binds, window, throughput, enquire, response, rebindFirst,
                rebindLongest, waitForBind, prefixes, weight);
    }

    /** With other routing: the number prefixes served (none: the rest) and the weight among equals. */
    public SmscConfig withRoute(List<String> servedPrefixes, int share) {
        return new SmscConfig(name, host, port, systemId, passwordEnv, systemType, sourceAddress, sourceTon,
                sourceNpi, destTon, destNpi, binds, window, throughput, enquireLink, responseTimeout, rebindMin,
                rebindMax, submitWait, servedPrefixes, share);
    }

    /** The bind password, read from the environment variable. */
    public String password(Function<String, String> env) {
        String p = env.apply(passwordEnv);
        if (p == null) {
            throw new IllegalStateException("smsc " + name + ": environment variable " + passwordEnv
                    + " (the bind password) is not set");
        }
        if (p.length() > 8) {
            // SMPP carries at most 8 characters: refused here, naming no character of it, before a bind would fail
            // with an error quoting the whole password
            throw new IllegalStateException("smsc " + name + ": the bind password in " + passwordEnv + " is "
                    + p.length() + " characters; SMPP allows at most 8");
        }
        return p;
    }

    private static void require(boolean ok, String key, Object value, String expected) {
        if (!ok) {
            throw new IllegalArgumentException("smsc " + key + " \"" + value + "\" is not valid; expected " + expected);
        }
    }
}
