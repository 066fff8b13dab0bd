package io.outdial.dialer.cli;

import io.outdial.dialer.app.DialerApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line in-process: exit codes and messages, no System.exit. */
class MainTest {
    private final CapturedOutput cli = new CapturedOutput();

    private int run(Map<String, String> env, String... args) {
        return cli.run(env, null, null, args);
    }

    private String out() {
        return cli.out();
    }

    private String err() {
        return cli.err();
    }

    @Test
    void helpListsEveryRegisteredCommand() {
        assertThat(run(Map.of(), "--help")).isZero();
        assertThat(out()).contains("serve", "demo", "--version", "docs/configuration.md");
    }

    @Test
    void versionPrintsTheBuildVersion() {
        assertThat(run(Map.of(), "--version")).isZero();
        assertThat(out()).startsWith("outdial ").contains(DialerApp.version());
    }

    @Test
    void noCommandOrAnUnknownOneIsAUsageError() {
        assertThat(run(Map.of())).isEqualTo(Command.USAGE);
        assertThat(run(Map.of(), "launch")).isEqualTo(Command.USAGE);
        assertThat(err()).contains("unknown command \"launch\"");
    }

    @Test
    void registeredCommandsAreDispatchedWithTheirArguments() {
        CommandContext ctx = cli.context(Map.of(), null, null);
        Main main = new Main(ctx).register(new Command() {
            @Override
            public String name() {
                return "validate";
            }

            @Override
            public String usage() {
                return "FILE";
            }

            @Override
            public String summary() {
                return "check a file";
            }

            @Override
            public int run(List<String> args, CommandContext c) {
                c.out().println("validating " + args);
                return 7;
            }
        });

        assertThat(main.run("validate", "a.yaml")).isEqualTo(7);
        assertThat(out()).contains("validating [a.yaml]");
    }

    @Test
    void unknownConfigKeyStopsStartUpWithExitCode2NamingTheKey(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("dialer.yaml");
        Files.writeString(file, "http:\n  prot: 8080\n");

        assertThat(run(Map.of(), "serve", "--config", file.toString())).isEqualTo(Command.USAGE);
        assertThat(err()).contains("bad configuration").contains("unknown key \"http.prot\"");
    }

    @Test
    void wrongTypeInConfigStopsStartUpWithExitCode2NamingTheKey(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("dialer.yaml");
        Files.writeString(file, "database:\n  poolSize: many\n");

        assertThat(run(Map.of(), "serve", "--config=" + file)).isEqualTo(Command.USAGE);
        assertThat(err()).contains("database.poolSize: \"many\" is not a whole number");
    }

    @Test
    void wrongTypeInEnvironmentStopsStartUpNamingTheVariable() {
        assertThat(run(Map.of("DIALER_HTTP_PORT", "http"), "serve")).isEqualTo(Command.USAGE);
        assertThat(err()).contains("DIALER_HTTP_PORT: http.port: \"http\" is not a whole number");
    }

    @Test
    void unexpectedArgumentIsAUsageError() {
        assertThat(run(Map.of(), "serve", "--port", "1")).isEqualTo(Command.USAGE);
        assertThat(err()).contains("unexpected argument \"--port\"");
    }
}
