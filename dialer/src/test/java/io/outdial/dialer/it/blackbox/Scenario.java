package io.outdial.dialer.it.blackbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The campaign the black-box tests dial: one contact per sandbox callee script (the last digit of the number, see
 * docs/sandbox.md) plus two more answering ones, one attempt each, a survey flow, and limits of 3 lines and 2 calls a
 * second. What each script must end as is in {@link #EXPECTED_RESULT} and {@link #EXPECTED_CAUSE}.
 */
final class Scenario {
    static final int LINES = 3;
    static final int PER_SECOND = 2;
    /** Contact id → national number; the last digit picks the callee's script. */
    static final Map<String, String> CONTACTS = contacts();
    /** Contact result per last digit (results.csv {@code outcome}). */
    static final Map<Character, String> EXPECTED_RESULT = Map.of('0', "SUCCESS", '1', "SUCCESS", '2', "FAILURE",
        '4', "EXHAUSTED", '5', "EXHAUSTED", '6', "EXHAUSTED", '8', "NO_VALID_NUMBER");
    /** ChannelDestroyed cause per last digit, as the PBX ended the channel. */
    static final Map<Character, Integer> EXPECTED_CAUSE = Map.of('4', 17, '5', 19, '6', 34, '8', 1, '9', 21);

    private Scenario() {
    }

    private static Map<String, String> contacts() {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (int d = 0; d <= 9; d++) {
            m.put("10" + d, "06 12 34 56 0" + d);
        }
        m.put("110", "06 12 34 56 10");
        m.put("111", "06 12 34 56 11");
        return m;
    }

    static String e164(String national) {
        return "+33" + national.replace(" ", "").substring(1);
    }

    static String contactsCsv() {
        StringBuilder csv = new StringBuilder("id,name,phone\n");
        CONTACTS.forEach((id, phone) -> csv.append(id).append(",Name ").append(id).append(',').append(phone)
            .append('\n'));
        return csv.toString();
    }

    /**
     * {@code count} answering callees (scripts 0 and 1: a key pressed 3 to 4 s after the answer), ids from
     * {@code firstId}, unique national numbers: {@code prefix} (e.g. "06 12 3") and 5 digits.
     */
    static String answeringCsv(int firstId, String prefix, int count) {
        StringBuilder csv = new StringBuilder("id,name,phone\n");
        for (int i = 0; i < count; i++) {
            csv.append(firstId + i).append(",Name ").append(i).append(',').append(prefix)
                .append(String.format("%05d", i * 10 + (i % 2))).append('\n');
        }
        return csv.toString();
    }

    /** The survey: a prompt (optionally spoken first), key 1 interested, 2 declined, else goodbye. */
    static String flowYaml(String id, boolean speak) {
        return "id: " + id + "\nversion: 1\nname: Black-box survey\nstart: " + (speak ? "greet" : "ask") + "\n"
            + "nodes:\n"
            + (speak ? "  greet:\n    type: say\n    text: \"Bonjour {{contact.name}}, une question rapide.\"\n    next: intro\n"
                + "  intro:\n    type: play\n    uri: \"sound:hello\"\n    next: ask\n" : "")
            + "  ask:\n    type: gather\n    prompt: {play: \"sound:hello-world\"}\n"
            + "    menu:\n      \"1\": interested\n      \"2\": declined\n"
            + "    timeout: 3\n    retries: 0\n    onFail: bye\n"
            + "  interested:\n    type: goal\n    name: interested\n    next: bye\n"
            + "  declined:\n    type: goal\n    name: declined\n    next: bye\n"
            + "  bye:\n    type: hangup\n";
    }

    /** The campaign file of {@code run}, with an {@code asterisk:} section pointing at the PBX process. */
    static String campaignFile(String id, int pbxPort, String flowFile) {
        return "id: " + id + "\nname: Black-box run\ncontacts: contacts.csv\nflow: " + flowFile + "\nregion: FR\n"
            + "timeZone: Europe/Paris\ncalendar:\n  everyDay: [\"00:00-24:00\"]\n"
            + "trunk:\n  name: carrier\n  endpoint: \"PJSIP/{number}@carrier\"\n  callerIds: [\"+33100000001\"]\n"
            + "  maxLines: 30\n  maxCps: 10\n  originateTimeout: 5s\n  amd: false\n"
            + "limits:\n  lines: " + LINES + "\n  perSecond: " + PER_SECOND + "\n  perMinute: 0\n"
            + attempts()
            + "asterisk:\n  url: http://127.0.0.1:" + pbxPort + "\n  username: " + Processes.ARI_USER + "\n"
            + "  password: " + Processes.ARI_PASSWORD + "\n  app: dialer-run\n";
    }

    /** BUSY is retried once, {@link #BUSY_RETRY_SECONDS} after the busy call; every other outcome closes. */
    static final int BUSY_RETRY_SECONDS = 10;
    private static final String[][] RULES = {
        {"BUSY", "retryAfter", BUSY_RETRY_SECONDS + "s", "1"},
        {"NO_ANSWER", "close", "EXHAUSTED"}, {"CONGESTION", "close", "EXHAUSTED"}, {"LOST", "close", "EXHAUSTED"},
        {"LEFT_EARLY", "close", "FAILURE"}, {"MACHINE", "close", "FAILURE"}, {"FAILED", "close", "FAILURE"},
        {"ANSWERED_NO_GOAL", "close", "FAILURE"}};

    static String attempts() {
        StringBuilder y = new StringBuilder("attempts:\n  totalCap: 2\n  dailyCap: 2\n  rules:\n"
            + "    - {outcome: ANSWERED_COMPLETED, flowResult: declined, close: FAILURE}\n");
        for (String[] r : RULES) {
            y.append("    - {outcome: ").append(r[0]).append(r[1].equals("close") ? ", close: " + r[2]
                : ", retryAfter: " + r[2] + ", maxRetries: " + r[3]).append("}\n");
        }
        return y.toString();
    }

    private static String rulesJson() {
        StringBuilder j = new StringBuilder("[{\"outcome\":\"ANSWERED_COMPLETED\",\"flowResult\":\"declined\","
            + "\"close\":\"FAILURE\"}");
        for (String[] r : RULES) {
            j.append(",{\"outcome\":\"").append(r[0]).append(r[1].equals("close") ? "\",\"close\":\"" + r[2] + "\"}"
                : "\",\"retryAfter\":\"" + r[2] + "\",\"maxRetries\":" + r[3] + "}");
        }
        return j.append(']').toString();
    }

    /** How many times a script's number is dialed: busy ones twice (one retry), the others once. */
    static int expectedDials(char digit) {
        return digit == '4' ? 2 : 1;
    }

    /** The same campaign as the API takes it (campaign-file format, JSON), using a stored flow. */
    static String campaignJson(String id, String flowId) {
        return campaignJson(id, flowId, LINES, PER_SECOND);
    }

    /** As {@link #campaignJson(String, String)} with other campaign limits. */
    static String campaignJson(String id, String flowId, int lines, int perSecond) {
        return "{\"id\":\"" + id + "\",\"name\":\"Black-box serve\",\"region\":\"FR\",\"timeZone\":\"Europe/Paris\","
            + "\"flowId\":\"" + flowId + "\",\"calendar\":{\"everyDay\":[\"00:00-24:00\"]},"
            + "\"trunk\":{\"name\":\"carrier\"},\"limits\":{\"lines\":" + lines + ",\"perSecond\":" + perSecond
            + "},\"attempts\":{\"totalCap\":2,\"dailyCap\":2,\"rules\":" + rulesJson() + "}}";
    }

    /** results.csv rows by contact id: column → value. */
    static Map<String, Map<String, String>> results(String csv) throws IOException {
        try (var parser = org.apache.commons.csv.CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true)
            .get().parse(new java.io.StringReader(csv))) {
            Map<String, Map<String, String>> out = new java.util.LinkedHashMap<>();
            parser.forEach(r -> out.put(r.get("id"), r.toMap()));
            return out;
        }
    }

    /** Checks, from the PBX's side and from the results, what must hold for {@link #CONTACTS}. */
    static void assertOutcomes(PbxObserver pbx, Map<String, Map<String, String>> results) {
        assertOutcomes(pbx, results, false);
    }

    /**
     * As {@link #assertOutcomes(PbxObserver, Map)}; with {@code spoken} the flow greets before it asks, and scripts
     * 0 and 1 press their key 3 to 4 s after the answer, while the greeting may still play: a key pressed during a
     * prompt that is not the question's is not an answer, so they end SUCCESS or (no goal reached) FAILURE.
     */
    static void assertOutcomes(PbxObserver pbx, Map<String, Map<String, String>> results, boolean spoken) {
        assertThat(results).containsOnlyKeys(CONTACTS.keySet());
        Map<String, List<PbxObserver.Call>> byNumber = pbx.byNumber();
        List<String> problems = new ArrayList<>();
        CONTACTS.forEach((id, phone) -> {
            String e164 = e164(phone);
            char digit = e164.charAt(e164.length() - 1);
            Map<String, String> row = results.get(id);
            if (!"CLOSED".equals(row.get("state"))) {
                problems.add(id + " not closed: " + row);
            }
            List<PbxObserver.Call> calls = byNumber.getOrDefault(e164, List.of());
            if (calls.size() != expectedDials(digit)) {
                problems.add(id + " " + e164 + " dialed " + calls.size() + " times, expected " + expectedDials(digit));
            }
            for (int i = 1; i < calls.size(); i++) {
                PbxObserver.Call before = calls.get(i - 1);
                long gap = before.end() == null ? -1 : calls.get(i).start() - before.end();
                if (gap < BUSY_RETRY_SECONDS * 1000L) {
                    problems.add(id + " retried " + gap + " ms after its busy call, rule: " + BUSY_RETRY_SECONDS
                        + " s");
                }
            }
            String result = EXPECTED_RESULT.get(digit);
            boolean keyDuringGreeting = spoken && (digit == '0' || digit == '1');
            if (keyDuringGreeting && "FAILURE".equals(row.get("outcome"))) {
                result = "FAILURE";
            }
            if (result != null && !result.equals(row.get("outcome"))) {
                problems.add(id + " (script " + digit + ") ended " + row.get("outcome") + ", expected " + result);
            }
            Integer cause = EXPECTED_CAUSE.get(digit);
            if (cause != null && !calls.isEmpty() && !cause.equals(calls.get(0).cause())) {
                problems.add(id + " (script " + digit + ") destroyed with cause " + calls.get(0).cause()
                    + ", expected " + cause);
            }
        });
        assertThat(problems).as("outcomes per callee script").isEmpty();
    }

    /**
     * How much earlier or later the PBX may stamp an originate than the dialer sent it: the two processes share a
     * busy 2-core machine, where either can be descheduled for a few hundred ms (beside two full builds, 3 stamps
     * of a 2/s demo fell within 750 ms), which bunches the PBX's stamps. The
     * exact 1 s bound on the dialer's own send times is checked by {@code SendTimeRateLimitIT}; here a window of
     * 1 s less this jitter must hold the limit (a dialer that takes its tokens before the database writes, as it
     * once did, puts twice the limit into such windows).
     */
    static final long STAMP_JITTER_MS = 500;

    /** Rate and line limits as the PBX saw the originations. */
    static void assertLimits(PbxObserver pbx) {
        assertThat(pbx.mostOriginationsIn(1000 - STAMP_JITTER_MS))
            .as("originations in any sliding 1 s window, less the PBX's stamping jitter")
            .isLessThanOrEqualTo(PER_SECOND);
        assertThat(pbx.mostLinesUp()).as("lines up at once").isLessThanOrEqualTo(LINES);
    }

    /** Every prompt the flows played was fetched and played to the end with some audio (not empty, not failed). */
    static void assertPromptsPlayed(PbxObserver pbx, boolean spoken) {
        List<PbxObserver.Played> played = pbx.playbacks();
        assertThat(played).as("playbacks seen by the PBX").isNotEmpty();
        assertThat(played).as("prompts played whole and non-empty (a hang-up mid-prompt aside)")
            .filteredOn(p -> !"failed".equals(p.state()) || p.millis() < 100)
            .allSatisfy(p -> assertThat(p.state()).as(p.toString()).isEqualTo("done"));
        // a key pressed during a prompt may stop it at once (barge-in): such a prompt may be short, any other is not
        assertThat(played).filteredOn(p -> "done".equals(p.state()) && !p.keyed())
            .allSatisfy(p -> assertThat(p.millis()).as("audio played for " + p).isGreaterThan(100));
        if (spoken) {
            assertThat(played).as("spoken prompts fetched over HTTP from the dialer")
                .anySatisfy(p -> assertThat(p.media()).startsWith("sound:http"));
            // every answered channel that heard the survey question first heard the spoken greeting
            List<String> asked = played.stream().filter(p -> "sound:hello-world".equals(p.media()))
                .map(PbxObserver.Played::channel).toList();
            assertThat(asked).allSatisfy(ch -> assertThat(played).as("say node on " + ch)
                .anySatisfy(p -> {
                    assertThat(p.channel()).isEqualTo(ch);
                    assertThat(p.media()).startsWith("sound:http");
                    assertThat(p.state()).isEqualTo("done");
                }));
        }
    }

    static void write(Path file, String text) throws IOException {
        Files.writeString(file, text);
    }
}
