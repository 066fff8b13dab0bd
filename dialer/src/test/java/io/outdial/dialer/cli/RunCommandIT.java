package io.outdial.dialer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code run examples/campaign-demo.yaml --results OUT.csv} in-process against the embedded sandbox PBX. */
class RunCommandIT {
    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void demoCampaignFileRunsToTheEndAndWritesOneResultRowPerContact() throws Exception {
        copyDemoCampaign();
        // 40x virtual time, idle waits skipped: the retries (1-2 minutes) take no real time
        Files.writeString(dir.resolve("campaign-demo.yaml"), "\ntimeScale: 40\n",
                java.nio.file.StandardOpenOption.APPEND);
        // the data directory was made by serve/demo first (same H2 user, and the demo's campaign id is distinct)
        io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
        try {
            io.outdial.dialer.storage.Database db = io.outdial.dialer.storage.Database.create(vertx,
                    new io.outdial.dialer.storage.DatabaseConfig(null, null, null, dir.resolve("data").toString(), 2,
                            java.time.Duration.ofSeconds(5)));
            db.start().await();
            new io.outdial.dialer.campaign.JdbcCampaignStore(db.dataSource(), java.time.Clock.systemUTC())
                    .create(io.outdial.dialer.campaign.Campaign.draft("demo", "the demo command's campaign",
                            java.time.Instant.now()));
            db.close().await();
        } finally {
            vertx.close().await();
        }
        Path out = dir.resolve("out.csv");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ByteArrayOutputStream std = new ByteArrayOutputStream();
        CommandContext ctx = new CommandContext(new PrintStream(std, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), null, false);
        int code = new Main(ctx).run("run", dir.resolve("campaign-demo.yaml").toString(), "--results",
                out.toString(), "--data", dir.resolve("data").toString());
        String log = err.toString(StandardCharsets.UTF_8);
        assertThat(code).as(log).isZero();
        assertThat(log).contains("No Asterisk configured: dialing the embedded sandbox PBX")
                .contains("Imported contacts-demo.csv: 20 contacts").contains("Campaign finished. 20 contacts")
                .contains("No SMSC configured: messaging fallback sends SMS to the embedded sandbox SMSC");
        List<CSVRecord> rows = rows(out);
        assertThat(rows).hasSize(20);
        Map<String, CSVRecord> byId = rows.stream().collect(Collectors.toMap(x -> x.get("id"), x -> x));
        assertThat(byId.get("1000").get("phone")).isEqualTo("+33612345600");
        assertThat(byId.get("1001").get("outcome")).isEqualTo("SUCCESS");
        assertThat(byId.get("1001").get("goal")).isEqualTo("interested");
        assertThat(byId.get("1001").get("answer_ask")).isEqualTo("1");
        assertThat(byId.get("1002").get("outcome")).as("declined closes as a failure").isEqualTo("FAILURE");
        assertThat(byId.get("1002").get("answer_ask")).isEqualTo("2");
        assertThat(byId.get("1004").get("outcome")).isEqualTo("EXHAUSTED");
        assertThat(byId.get("1004").get("attempts")).isEqualTo("3"); // busy: 1 + 2 retries
        assertThat(byId.get("1008").get("outcome")).isEqualTo("NO_VALID_NUMBER");
        // an answering machine (AMD on in the demo campaign) is never a success without a key pressed
        assertThat(byId.get("1007").get("outcome")).isNotEqualTo("SUCCESS");
        assertThat(byId.get("1007").get("answer_ask")).isEmpty();
        assertThat(byId.get("1004").get("last_attempt_at")).isNotBlank();
        assertThat(rows).allSatisfy(x -> assertThat(x.get("state")).isEqualTo("CLOSED"));
        // messaging fallback (scheme-demo.yaml): busy and unanswered contacts got the SMS, answered ones did not
        assertThat(byId.get("1004").get("cascade_path")).isEqualTo("call>sms>delivered");
        assertThat(byId.get("1004").get("voice_status")).isEqualTo("busy");
        assertThat(byId.get("1004").get("sms_status")).isEqualTo("delivered");
        assertThat(byId.get("1004").get("cost")).isEqualTo("5");
        assertThat(byId.get("1005").get("cascade_path")).isEqualTo("call>sms>delivered");
        assertThat(byId.get("1005").get("voice_status")).isEqualTo("no_answer");
        assertThat(byId.get("1001").get("cascade_path")).isEqualTo("call>done");
        assertThat(byId.get("1001").get("voice_status")).isEqualTo("answered");
        assertThat(byId.get("1001").get("sms_status")).isEmpty();
        assertThat(byId.get("1001").get("cost")).isEqualTo("0");
        assertThat(byId.get("1008").get("cascade_path")).as("never called: the error link").isEqualTo("call>done");
        assertThat(rows).allSatisfy(x -> assertThat(x.get("cascade_state")).isEqualTo("DONE"));
        assertThat(rows.stream().filter(x -> x.get("sms_status").equals("delivered")).count())
            .as("only unanswered and busy numbers (last digit 4 or 5) get the SMS").isEqualTo(4);

        // a second run finds the campaign finished and only rewrites the results
        Files.delete(out);
        int again = new Main(ctx).run("run", dir.resolve("campaign-demo.yaml").toString(), "--results",
                out.toString(), "--data", dir.resolve("data").toString());
        assertThat(again).isZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Campaign demo-run is already finished");
        assertThat(Files.readAllLines(out)).hasSize(21);
    }

    @Test
    @Timeout(180)
    void anSmsFirstSchemeCallsOnlyTheContactsWhoseSmsWasNotDelivered() throws Exception {
        Files.copy(Path.of("..", "examples", "flow-demo.yaml"), dir.resolve("flow-demo.yaml"));
        // the embedded sandbox SMSC does not deliver to numbers whose next-to-last digit is 9; the sandbox PBX
        // answers by the last digit: 1 answers and presses 1, 4 is busy
        Files.writeString(dir.resolve("contacts.csv"), String.join("\n", "id,name,phone",
                "2000,Ada,06 12 34 56 00", "2001,Ben,06 12 34 56 91", "2002,Cyd,06 12 34 56 94",
                "2003,Dee,06 12 34 56 05", ""));
        Files.writeString(dir.resolve("sms-voice.yaml"), String.join("\n", "id: sms-then-call", "version: 1",
                "start: sms", "blocks:", "  sms:", "    type: sms",
                "    content: { text: '{{contact.name}}, your appointment is tomorrow at 10.' }",
                "    decisionTime: PT2M", "    links:", "      - { on: status, status: delivered, next: done }",
                "      - { on: status, status: undelivered, next: call }", "      - { on: error, next: call }",
                "      - { on: timeout, next: call }", "  call:", "    type: voice",
                "    content: { flow: demo-survey }", "    decisionTime: PT10M", "    links:",
                "      - { on: status, status: answered, next: done }",
                "      - { on: status, status: busy, next: done }",
                "      - { on: status, status: no_answer, next: done }", "      - { on: error, next: done }",
                "      - { on: timeout, next: done }", "  done: { type: end }", ""));
        Files.writeString(dir.resolve("campaign.yaml"), String.join("\n", "id: sms-first", "contacts: contacts.csv",
                "flow: flow-demo.yaml", "scheme: sms-voice.yaml", "region: FR", "timeZone: Europe/Paris",
                "calendar:", "  everyDay: [\"00:00-24:00\"]", "trunk:", "  name: carrier",
                "  endpoint: \"PJSIP/{number}@carrier\"", "  callerIds: [\"+33100000001\"]", "  maxLines: 10",
                "  maxCps: 10", "  originateTimeout: 10s", "limits:", "  lines: 4", "attempts:", "  rules:",
                "    - {outcome: BUSY, close: EXHAUSTED}", "    - {outcome: NO_ANSWER, close: EXHAUSTED}", ""));
        Path out = dir.resolve("out.csv");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandContext ctx = new CommandContext(new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), null, false);
        int code = new Main(ctx).run("run", dir.resolve("campaign.yaml").toString(), "--results", out.toString(),
                "--data", dir.resolve("data").toString());
        String log = err.toString(StandardCharsets.UTF_8);
        assertThat(code).as(log).isZero();
        assertThat(log).contains("Imported contacts.csv: 4 contacts").contains("Campaign finished. 4 contacts")
                .contains("undeliverable to numbers whose next-to-last digit is 9");
        List<CSVRecord> rows = rows(out);
        assertThat(rows).hasSize(4);
        Map<String, CSVRecord> byId = rows.stream().collect(Collectors.toMap(x -> x.get("id"), x -> x));
        // delivered: never called (0 attempts); undelivered: called once; each paid one SMS part
        Map<String, String> delivered = Map.of("cascade_path", "sms>done", "sms_status", "delivered",
                "voice_status", "", "attempts", "0", "outcome", "FAILURE", "cost", "5");
        Map<String, Map<String, String>> expected = Map.of("2000", delivered, "2003", delivered,
                "2001", Map.of("cascade_path", "sms>call>done", "sms_status", "undelivered", "voice_status",
                        "answered", "attempts", "1", "outcome", "SUCCESS", "answer_ask", "1", "cost", "5"),
                "2002", Map.of("cascade_path", "sms>call>done", "sms_status", "undelivered", "voice_status", "busy",
                        "attempts", "1", "outcome", "EXHAUSTED", "cost", "5"));
        expected.forEach((id, columns) -> columns.forEach((column, value) ->
                assertThat(byId.get(id).get(column)).as(id + " " + column + ": " + byId.get(id)).isEqualTo(value)));
        assertThat(rows).allSatisfy(x -> assertThat(x.get("cascade_state")).isEqualTo("DONE"));
        assertThat(rows).allSatisfy(x -> assertThat(x.get("state")).isEqualTo("CLOSED"));
    }

    /** The demo campaign of examples/ (campaign, contacts, flow, scheme) into the test folder. */
    private void copyDemoCampaign() throws java.io.IOException {
        Path examples = Path.of("..", "examples");
        for (String f : List.of("campaign-demo.yaml", "contacts-demo.csv", "flow-demo.yaml", "scheme-demo.yaml")) {
            Files.copy(examples.resolve(f), dir.resolve(f));
        }
    }

    /** The rows of a results CSV, by its header. */
    private static List<CSVRecord> rows(Path csv) throws java.io.IOException {
        try (Reader r = Files.newBufferedReader(csv)) {
            return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r).getRecords();
        }
    }

    /** The one Asterisk of a run must be up at its start: none listening ends the run at once, naming it. */
    @Test
    @Timeout(120)
    void anAsteriskThatDoesNotAnswerEndsTheRunWithAnErrorNamingIt() throws Exception {
        copyDemoCampaign();
        String url = "http://127.0.0.1:" + io.outdial.dialer.support.TestConfigs.freePort();
        Files.writeString(dir.resolve("campaign-demo.yaml"), "\nasterisk:\n  url: " + url
                + "\n  username: dialer\n  password: dialer\n  app: dialer-run\n",
                java.nio.file.StandardOpenOption.APPEND);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandContext ctx = new CommandContext(new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), null, false);
        int code = new Main(ctx).run("run", dir.resolve("campaign-demo.yaml").toString(), "--results",
                dir.resolve("out.csv").toString(), "--data", dir.resolve("data").toString());
        String log = err.toString(StandardCharsets.UTF_8);
        assertThat(code).as(log).isEqualTo(1);
        assertThat(log).contains("Dialing through Asterisk " + url);
        String reason = log.lines().filter(l -> l.startsWith("outdial run: ")).findFirst().orElse("");
        assertThat(reason).as(log).contains(url.substring("http://".length()));
        assertThat(dir.resolve("out.csv")).doesNotExist();
    }
}
