package io.outdial.dialer.cli;

import io.outdial.dialer.auth.ApiSecurity;
import io.outdial.dialer.auth.AuditLog;
import io.outdial.dialer.auth.AuthStore;
import io.outdial.dialer.auth.Expiry;
import io.outdial.dialer.auth.Role;
import io.outdial.dialer.auth.Secrets;
import io.outdial.dialer.config.ConfigLoader;
import io.outdial.dialer.config.DialerConfig;
import io.outdial.dialer.input.InvalidInput;
import io.outdial.dialer.input.Reason;
import io.outdial.dialer.storage.Database;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
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

/**
 * {@code user add|passwd|delete|list} and {@code token create|list|revoke}: who may use the API, changed straight in
 * the node's database (the first admin is made this way; there is no default password). Each change is written to
 * the audit log as done by {@code cli}. With the embedded H2 database, run them while the node is stopped (H2 locks
 * its file); with PostgreSQL at any time.
 */
final class AccessCommands {
    private AccessCommands() {
    }

    /** {@code user ...}. */
    static final class UserCommand implements Command {
        @Override
        public String name() {
            return "user";
        }

        @Override
        public String usage() {
            return "add NAME --role ROLE [--password-stdin] | passwd NAME [--password-stdin] | role NAME --role ROLE"
                + " | delete NAME | list [--config FILE]";
        }

        @Override
        public String summary() {
            return "manage the users of the browser login (roles: viewer, supervisor, designer, admin)";
        }

        @Override
        public int run(List<String> args, CommandContext ctx) {
            return AccessCommands.run(this, args, ctx, (a, store, audit) -> {
                String action = a.word(0, "add, passwd, role, delete or list");
                switch (action) {
                    case "add" -> {
                        String name = ApiSecurity.username(a.word(1, "a user name"), "command line");
                        Role role = Role.parse(a.option("--role").orElseThrow(() -> bad("--role ROLE is missing")),
                            "command line", "--role");
                        String password = password(a, ctx, name);
                        if (!store.addUser(name, role, Secrets.hashPassword(password))) {
                            ctx.err().println("outdial: user " + name + " exists already (change the password with"
                                + " user passwd " + name + ")");
                            return Command.FAILED;
                        }
                        audit.record("cli", "user add", name, new JsonObject().put("role", role.label()), 201);
                        ctx.out().println("user " + name + " added with role " + role.label());
                    }
                    case "passwd" -> {
                        String name = a.word(1, "a user name");
                        String password = password(a, ctx, name);
                        if (!store.setPassword(name, Secrets.hashPassword(password))) {
                            ctx.err().println("outdial: no user " + name);
                            return Command.FAILED;
                        }
                        audit.record("cli", "user passwd", name, null, 200);
                        ctx.out().println("password of " + name + " changed; their sessions ended");
                    }
                    case "role" -> {
                        String name = a.word(1, "a user name");
                        Role role = Role.parse(a.option("--role").orElseThrow(() -> bad("--role ROLE is missing")),
                            "command line", "--role");
                        try {
                            if (!store.setRole(name, role)) {
                                ctx.err().println("outdial: no user " + name);
                                return Command.FAILED;
                            }
                        } catch (IllegalStateException e) {
                            ctx.err().println("outdial: " + e.getMessage());
                            return Command.FAILED;
                        }
                        audit.record("cli", "user role", name, new JsonObject().put("role", role.label()), 200);
                        ctx.out().println("user " + name + " now has role " + role.label() + "; their sessions ended");
                    }
                    case "delete" -> {
                        String name = a.word(1, "a user name");
                        boolean found;
                        try {
                            found = store.deleteUser(name);
                        } catch (IllegalStateException e) {
                            ctx.err().println("outdial: " + e.getMessage());
                            return Command.FAILED;
                        }
                        if (!found) {
                            ctx.err().println("outdial: no user " + name);
                            return Command.FAILED;
                        }
                        audit.record("cli", "user delete", name, null, 204);
                        ctx.out().println("user " + name + " deleted");
                    }
                    case "list" -> store.users().forEach(u -> ctx.out().println(u.username() + "\t" + u.role().label()
                        + "\t" + u.createdAt()));
                    default -> throw bad("unknown action \"" + action + "\" (expected add, passwd, role, delete or list)");
                }
                return Command.OK;
            });
        }
    }

    /** {@code token ...}. */
    static final class TokenCommand implements Command {
        @Override
        public String name() {
            return "token";
        }

        @Override
        public String usage() {
            return "create NAME --role ROLE [--expires 90d|DATE|never] | list | revoke ID [--config FILE]";
        }

        @Override
        public String summary() {
            return "manage API tokens (Authorization: Bearer); create prints the token once";
        }

        @Override
        public int run(List<String> args, CommandContext ctx) {
            return AccessCommands.run(this, args, ctx, (a, store, audit) -> {
                String action = a.word(0, "create, list or revoke");
                Instant now = Clock.systemUTC().instant();
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
                        ctx.out().println(t.plain());
                        ctx.err().println("token " + t.token().id() + " \"" + name + "\" with role " + role.label()
                            + (expires.isPresent() ? ", expires " + expires.get() : ", never expires")
                            + ". Keep it now: it is not shown again. Use it as Authorization: Bearer <token>.");
                    }
                    case "list" -> store.tokens().forEach(t -> ctx.out().println(t.id() + "\t" + t.name() + "\t"
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
                            ctx.err().println("outdial: no active token " + id);
                            return Command.FAILED;
                        }
                        audit.record("cli", "token revoke", String.valueOf(id), null, 204);
                        ctx.out().println("token " + id + " revoked (nodes stop accepting it within "
                            + ApiSecurity.CACHE_TTL.toSeconds() + " s)");
                    }
                    default -> throw bad("unknown action \"" + action + "\" (expected create, list or revoke)");
                }
                return Command.OK;
            });
        }
    }

    @FunctionalInterface
    interface Work {
        int run(Args args, AuthStore store, AuditLog audit);
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

    private static int run(Command command, List<String> raw, CommandContext ctx, Work work) {
        Args args;
        DialerConfig config;
        try {
            args = Args.parse(raw);
            config = new ConfigLoader().load(args.config(), ctx.env());
        } catch (InvalidInput e) {
            ctx.err().println("outdial " + command.name() + ": " + e.getMessage());
            ctx.err().println("usage: outdial " + command.name() + " " + command.usage());
            return Command.USAGE;
        }
        Vertx vertx = Vertx.vertx();
        Database db = Database.create(vertx, config.database());
        try {
            db.start().toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
            return work.run(args, new AuthStore(db.dataSource(), Clock.systemUTC()),
                new AuditLog(db.dataSource(), Clock.systemUTC()));
        } catch (InvalidInput e) {
            ctx.err().println("outdial " + command.name() + ": " + e.getMessage());
            return Command.USAGE;
        } catch (java.util.concurrent.ExecutionException e) {
            ctx.err().println("outdial " + command.name() + ": cannot open the database: " + e.getCause().getMessage()
                + (config.database().embedded() ? " (the embedded H2 database is locked while the node runs: stop"
                + " it first, or use the API)" : ""));
            return Command.FAILED;
        } catch (RuntimeException | java.util.concurrent.TimeoutException e) {
            ctx.err().println("outdial " + command.name() + ": " + e.getMessage());
            return Command.FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Command.FAILED;
        } finally {
            try {
                db.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                ctx.err().println("outdial " + command.name() + ": database not closed cleanly: " + e);
            }
            vertx.close();
        }
    }

    /** The password: first line of standard input with --password-stdin or without a terminal, else prompted. */
    private static String password(Args a, CommandContext ctx, String user) {
        Console console = System.console();
        String password;
        if (!a.passwordStdin() && console != null && ctx.in() == System.in) {
            char[] first = console.readPassword("password for %s: ", user);
            char[] again = console.readPassword("again: ");
            if (first == null || again == null || !new String(first).equals(new String(again))) {
                throw bad("the two passwords differ");
            }
            password = new String(first);
        } else {
            try {
                BufferedReader r = new BufferedReader(new InputStreamReader(ctx.in(), StandardCharsets.UTF_8));
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
