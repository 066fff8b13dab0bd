package io.outdial.dialer.auth;

import io.outdial.dialer.input.InvalidInput;
import io.outdial.dialer.input.Reason;
import io.outdial.dialer.storage.Database;
import io.outdial.dialer.storage.DatabaseConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * {@code user add|passwd|delete|list} and {@code token create|list|revoke}: who may use the API, changed straight in
 * the node's database (the first admin is made this way; there is no default password). Each change is written to
 * the audit log as done by {@code cli}. With the embedded H2 database, run them while the node is stopped (H2 locks
 * its file); with PostgreSQL at any time. The command line runs them through {@link ApiSecurity#runAccessCommand}
 * and reads the node's configuration for them.
 */
final class AccessCommands {
    private static final int OK = 0;
    private static final int FAILED = 1;
    private static final int USAGE = 2;

    private final String name;
    private final String usage;
    private final Work work;

    private AccessCommands(String name, String usage, Work work) {
        this.name = name;
        this.usage = usage;
        this.work = work;
    }

    /**
     * {@code user ...} or {@code token ...}, by the word that selects it; {@code usage} (its arguments) is printed
     * after a bad command line.
     */
    static AccessCommands named(String name, String usage) {
        return switch (name) {
            case "user" -> new AccessCommands(name, usage, AccessCommands::user);
            case "token" -> new AccessCommands(name, usage, AccessCommands::token);
            default -> throw new IllegalArgumentException("no access command " + name);
        };
    }

    /**
     * Runs the command with the arguments after its name and returns the command line's exit code: 0 done, 1 failed
     * (no such user, the database cannot be opened...), 2 bad command line or configuration.
     *
     * @param out       standard output (lists, the new token)
     * @param err       standard error (problems, notes)
     * @param in        standard input (a password given with {@code --password-stdin} or without a terminal)
     * @param clock     the time of the changes and of token expiry
     * @param databases the database of the node's configuration read from {@code --config FILE} (absent: defaults
     *                  and environment); an {@link InvalidInput} when that configuration is wrong
     */
    int run(List<String> args, PrintStream out, PrintStream err, InputStream in, Clock clock,
            Function<Optional<Path>, DatabaseConfig> databases) {
        return run(args, new Io(out, err, in, clock), databases);
    }

    /** {@code user ...}. */
    private static int user(Args a, AuthStore store, AuditLog audit, Io io) {
        String action = a.word(0, "add, passwd, role, delete or list");
        switch (action) {
            case "add" -> {
                String name = ApiSecurity.username(a.word(1, "a user name"), "command line");
                Role role = Role.parse(a.option("--role").orElseThrow(() -> bad("--role ROLE is missing")),
                    "command line", "--role");
                String password = password(a, io, name);
                if (!store.addUser(name, role, password)) {
                    io.err().println("outdial: user " + name + " exists already (change the password with"
                        + " user passwd " + name + ")");
                    return FAILED;
                }
                audit.record("cli", "user add", name, new JsonObject().put("role", role.label()), 201);
                io.out().println("user " + name + " added with role " + role.label());
            }
            case "passwd" -> {
                String name = a.word(1, "a user name");
                String password = password(a, io, name);
                if (!store.setPassword(name, password)) {
                    io.err().println("outdial: no user " + name);
                    return FAILED;
                }
                audit.record("cli", "user passwd", name, null, 200);
                io.out().println("password of " + name + " changed; their sessions ended");
            }
            case "role" -> {
                String name = a.word(1, "a user name");
                Role role = Role.parse(a.option("--role").orElseThrow(() -> bad("--role ROLE is missing")),
                    "command line", "--role");
                try {
                    if (!store.setRole(name, role)) {
                        io.err().println("outdial: no user " + name);
                        return FAILED;
                    }
                } catch (IllegalStateException e) {
                    io.err().println("outdial: " + e.getMessage());
                    return FAILED;
                }
                audit.record("cli", "user role", name, new JsonObject().put("role", role.label()), 200);
                io.out().println("user " + name + " now has role " + role.label() + "; their sessions ended");
            }
            case "delete" -> {
                String name = a.word(1, "a user name");
                boolean found;
                try {
                    found = store.deleteUser(name);
                } catch (IllegalStateException e) {
                    io.err().println("outdial: " + e.getMessage());
                    return FAILED;
                }
                if (!found) {
                    io.err().println("outdial: no user " + name);
                    return FAILED;
                }
                audit.record("cli", "user delete", name, null, 204);
                io.out().println("user " + name + " deleted");
            }
            case "list" -> store.users().forEach(u -> io.out().println(u.username() + "\t" + u.role().label()
                + "\t" + u.createdAt()));
            default -> throw bad("unknown action \"" + action + "\" (expected add, passwd, role, delete or list)");
        }
        return OK;
    }

    /** {@code token ...}. */
    private static int token(Args a, AuthStore store, AuditLog audit, Io io) {
        String action = a.word(0, "create, list or revoke");
        Instant now = io.clock().instant();
        switch (action) {
            case "create" -> {
                String name = a.word(1, "a token name");
                if (name.length() > 100) {
                    throw bad("the token name is longer than 100 characters");
                }
                Role role = Role.parse(a.option("--role").orElseThrow(() -> bad("--role ROLE is missing")),
                    "command line", "--role");
                Optional<Instant> expires = Expiry.parse(a.option("--expires").orElse(null), now,
                    "command line");
                AuthStore.NewToken t = store.createToken(name, role, "cli", expires.orElse(null));
                audit.record("cli", "token create", String.valueOf(t.token().id()), new JsonObject()
                    .put("name", name).put("role", role.label()), 201);
                io.out().println(t.plain());
                io.err().println("token " + t.token().id() + " \"" + name + "\" with role " + role.label()
                    + (expires.isPresent() ? ", expires " + expires.get() : ", never expires")
                    + ". Keep it now: it is not shown again. Use it as Authorization: Bearer <token>.");
            }
            case "list" -> store.tokens().forEach(t -> io.out().println(t.id() + "\t" + t.name() + "\t"
                + t.role().label() + "\t" + (t.revokedAt() != null ? "revoked" : t.usable(now) ? "active"
                : "expired") + "\texpires " + (t.expiresAt() == null ? "never" : t.expiresAt())
                + "\tlast used " + (t.lastUsedAt() == null ? "never" : t.lastUsedAt())));
            case "revoke" -> {
                String raw = a.word(1, "a token id");
                long id;
                try {
                    id = Long.parseLong(raw);
                } catch (NumberFormatException e) {
                    throw bad("token id \"" + raw + "\" is not a number (see token list)");
                }
                if (!store.revoke(id)) {
                    io.err().println("outdial: no active token " + id);
                    return FAILED;
                }
                audit.record("cli", "token revoke", String.valueOf(id), null, 204);
                io.out().println("token " + id + " revoked (nodes stop accepting it within "
                    + ApiSecurity.CACHE_TTL.toSeconds() + " s)");
            }
            default -> throw bad("unknown action \"" + action + "\" (expected create, list or revoke)");
        }
        return OK;
    }

    @FunctionalInterface
    private interface Work {
        int run(Args args, AuthStore store, AuditLog audit, Io io);
    }

    /** Where a command reads and writes, and its clock. */
    private record Io(PrintStream out, PrintStream err, InputStream in, Clock clock) {
    }

    /** Words and {@code --options} after the command name; {@code --config FILE} and flags taken out. */
    record Args(List<String> words, Map<String, String> options, boolean passwordStdin, Optional<Path> config) {
        static Args parse(List<String> args) {
            List<String> words = new ArrayList<>();
            Map<String, String> options = new HashMap<>();
            boolean stdin = false;
            Optional<Path> config = Optional.empty();
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                if (a.equals("--password-stdin")) {
                    stdin = true;
                } else if (a.startsWith("--") && a.contains("=")) {
                    options.put(a.substring(0, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
                } else if (a.startsWith("--")) {
                    if (i + 1 >= args.size()) {
                        throw bad(a + " needs a value");
                    }
                    options.put(a, args.get(++i));
                } else {
                    words.add(a);
                }
            }
            if (options.containsKey("--config")) {
                config = Optional.of(Path.of(options.remove("--config")));
            }
            for (String o : options.keySet()) {
                if (!List.of("--role", "--expires").contains(o)) {
                    throw bad("unknown option " + o);
                }
            }
            return new Args(words, options, stdin, config);
        }

        String word(int i, String expected) {
            if (i >= words.size()) {
                throw bad("missing " + expected);
            }
            return words.get(i);
        }

        Optional<String> option(String name) {
            return Optional.ofNullable(options.get(name));
        }
    }

    static InvalidInput bad(String message) {
        return InvalidInput.of("command line", "$", null, null, Reason.INVALID_VALUE, message);
    }

    private int run(List<String> raw, Io io, Function<Optional<Path>, DatabaseConfig> databases) {
        Args args;
        DatabaseConfig database;
        try {
            args = Args.parse(raw);
            database = databases.apply(args.config());
        } catch (InvalidInput e) {
            io.err().println("outdial " + name + ": " + e.getMessage());
            io.err().println("usage: outdial " + name + " " + usage);
            return USAGE;
        }
        Vertx vertx = Vertx.vertx();
        Database db = Database.create(vertx, database);
        try {
            db.start().toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
            return work.run(args, new AuthStore(db.dataSource(), io.clock()), new AuditLog(db.dataSource(), io.clock()),
                io);
        } catch (InvalidInput e) {
            io.err().println("outdial " + name + ": " + e.getMessage());
            return USAGE;
        } catch (java.util.concurrent.ExecutionException e) {
            io.err().println("outdial " + name + ": cannot open the database: " + e.getCause().getMessage()
                + (database.embedded() ? " (the embedded H2 database is locked while the node runs: stop"
                + " it first, or use the API)" : ""));
            return FAILED;
        } catch (RuntimeException | java.util.concurrent.TimeoutException e) {
            io.err().println("outdial " + name + ": " + e.getMessage());
            return FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return FAILED;
        } finally {
            try {
                db.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                io.err().println("outdial " + name + ": database not closed cleanly: " + e);
            }
            vertx.close();
        }
    }

    /** The password: first line of standard input with --password-stdin or without a terminal, else prompted. */
    private static String password(Args a, Io io, String user) {
        Console console = System.console();
        String password;
        if (!a.passwordStdin() && console != null && io.in() == System.in) {
            char[] first = console.readPassword("password for %s: ", user);
            char[] again = console.readPassword("again: ");
            if (first == null || again == null || !new String(first).equals(new String(again))) {
                throw bad("the two passwords differ");
            }
            password = new String(first);
        } else {
            try {
                BufferedReader r = new BufferedReader(new InputStreamReader(io.in(), StandardCharsets.UTF_8));
                password = r.readLine();
            } catch (IOException e) {
                throw bad("cannot read the password from standard input: " + e.getMessage());
            }
        }
        String problem = Secrets.passwordProblem(password);
        if (problem != null) {
            throw bad(problem);
        }
        return password;
    }
}
