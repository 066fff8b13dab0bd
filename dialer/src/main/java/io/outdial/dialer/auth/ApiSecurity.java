package io.outdial.dialer.auth;

import io.outdial.dialer.input.InvalidInput;
import io.outdial.dialer.input.Reason;
import io.outdial.dialer.server.HttpConfig;
import io.outdial.dialer.server.ProblemException;
import io.outdial.dialer.server.ProblemHandler;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.CorsHandler;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Guards {@code /api/*} (docs/security.md): the {@code Host} header against DNS rebinding, the {@code Origin} of
 * state-changing requests, the body's media type (the operation's own list in the OpenAPI document, 415
 * otherwise), then who is asking (an API token in {@code Authorization: Bearer}, or a session cookie plus the
 * {@code X-CSRF-Token} header for state changes) and whether their role allows the operation
 * ({@link RoutePolicy}: the {@code x-required-role} of the OpenAPI document). Each successful state change is written
 * to the audit log. Also serves the login, logout, one-time sign-in links, and the admin API for users, tokens and
 * the audit log.
 *
 * <p>Verified tokens and sessions are cached for {@link #CACHE_TTL}: a request then costs one SHA-256 (none when its
 * thread hashed the same credential last, {@link Secrets#presentedHash}) and one map look-up. A revocation, a logout, a
 * role or password change or a deleted user through the API takes effect at once on every node: its {@link Eviction}
 * goes through {@link Evictions} to each node's cache before the answer; a change made by the command line within
 * {@link #CACHE_TTL}; an expiry at its time. An event stream that stays open is cut within the same bounds
 * ({@link #endWhenRefused}). Failed logins are counted by {@link LoginFailures}: this node's memory, or the cluster's
 * shared count.
 */
public final class ApiSecurity {
    private static final Logger LOG = LoggerFactory.getLogger(ApiSecurity.class);
    /** Where a request's {@link Principal} is kept in its {@link RoutingContext}. */
    public static final String PRINCIPAL = "outdial.principal";
    /** Set in a request's {@link RoutingContext} when its answer must mask phone numbers (a viewer). */
    public static final String MASK_PHONES = "outdial.maskPhones";
    public static final String COOKIE = "outdial_session";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    /** How long a verified token or session is trusted without asking the database again. */
    public static final Duration CACHE_TTL = Duration.ofSeconds(5);
    /** A token's {@code last_used_at} is written at most this often. */
    static final Duration TOUCH_EVERY = Duration.ofMinutes(1);
    private static final long TOUCH_EVERY_NANOS = TOUCH_EVERY.toNanos();
    private static final long CACHE_TTL_NANOS = CACHE_TTL.toNanos();
    /** How often the credentials of each open event stream ({@link #endWhenRefused}) are checked again. */
    static final Duration STREAM_CHECK = Duration.ofSeconds(1);
    /**
     * A stream's check trusts a cached verification younger than this only: with {@link #STREAM_CHECK}, a change made
     * by the command line ends the stream within {@link #CACHE_TTL} too.
     */
    private static final long STREAM_MAX_AGE_NANOS = CACHE_TTL_NANOS - STREAM_CHECK.toNanos();
    /** A one-time sign-in link lasts this long. */
    public static final Duration LINK_TTL = Duration.ofMinutes(15);
    private static final String P = "/api/v1";
    /**
     * Where providers call the chat channels' inbound webhooks. They carry no user token, session or CSRF header:
     * each route checks its provider's signature (or Basic authentication) over the raw body itself. The guard
     * checks their {@code Host} header only; bodies are limited by the hooks router.
     */
    public static final String HOOKS = "/hooks";
    private static final int CACHE_MAX = 10_000;
    private static final Set<String> AUDIT_BODY_KEYS = Set.of("state", "force", "name", "role", "username",
        "expires", "reason", "scope");

    private final Vertx vertx;
    private final Supplier<DataSource> dataSource;
    private final Clock clock;
    private final HttpConfig http;
    private final RoutePolicy policy;
    private final LoginFailures throttle;
    private final Evictions evictions;
    /** Moved by each eviction: a look-up that started before one does not cache what it read. */
    private final AtomicLong generation = new AtomicLong();
    private final Set<String> hosts;
    /** {@link #hosts} as an array, compared with the Host header in place on every request. */
    private final String[] hostList;
    private final boolean anyHost;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final Map<String, Link> links = new ConcurrentHashMap<>();
    private final Set<Stream> streams = ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.atomic.AtomicBoolean checkingStreams =
        new java.util.concurrent.atomic.AtomicBoolean();
    private volatile WorkerExecutor worker;
    private volatile java.util.function.BooleanSupplier databaseReachable = () -> true;

    /** A verification: who (null: nobody), when, until when, its last use written, and itself as an answer. */
    private record Cached(Principal principal, long checkedAt, Instant expiresAt, AtomicLong touchedAt,
                          Future<Principal> answer) {
        Cached(Principal principal, long checkedAt, Instant expiresAt, AtomicLong touchedAt) {
            this(principal, checkedAt, expiresAt, touchedAt, Future.succeededFuture(principal));
        }
    }

    /** The answer for no credentials, or credentials that are not (or no longer) valid. */
    private static final Future<Principal> NOBODY = Future.succeededFuture(null);

    private record Link(String username, Instant expiresAt) {
    }

    /** An open event stream: its request (whose credentials are checked again) and the role it needs. */
    private record Stream(HttpServerRequest request, Role required) {
    }

    /**
     * The guard of a node alone: failed logins counted in its memory ({@link LoginFailures#inMemory}), revocations
     * applied to its own cache ({@link Evictions#local()}).
     */
    public ApiSecurity(Vertx vertx, Supplier<DataSource> dataSource, Clock clock, HttpConfig http) {
        this(vertx, dataSource, clock, http, LoginFailures.inMemory(clock), Evictions.local());
    }

    /**
     * The guard with the roles of the API's OpenAPI document ({@link RoutePolicy#load()}).
     *
     * @param throttle  where failed logins are counted ({@link LoginFailures#inMemory} on a node alone)
     * @param evictions how revocations reach every node's cache ({@link Evictions#local()} on a node alone)
     */
    public ApiSecurity(Vertx vertx, Supplier<DataSource> dataSource, Clock clock, HttpConfig http,
                       LoginFailures throttle, Evictions evictions) {
        this(vertx, dataSource, clock, http, RoutePolicy.load(), throttle, evictions);
    }

    ApiSecurity(Vertx vertx, Supplier<DataSource> dataSource, Clock clock, HttpConfig http, RoutePolicy policy,
                LoginFailures throttle, Evictions evictions) {
        this.evictions = evictions;
        evictions.handle(e -> evict((Eviction) e));
        this.vertx = vertx;
        this.dataSource = dataSource;
        this.clock = clock;
        this.http = http;
        this.policy = policy;
        this.throttle = throttle;
        Set<String> h = new HashSet<>(List.of("localhost", "127.0.0.1", "::1"));
        if (!http.host().equals("0.0.0.0") && !http.host().equals("::")) {
            h.add(bare(http.host().toLowerCase(Locale.ROOT)));
        }
        http.allowedHosts().forEach(a -> h.add(bare(a)));
        this.anyHost = h.contains("*");
        this.hosts = Set.copyOf(h);
        this.hostList = hosts.toArray(String[]::new);
    }

    /**
     * Refuses requests that need the database at once (503 {@code database_unavailable}) while {@code reachable}
     * says the node found it unreachable, instead of letting each wait the pool's connect timeout.
     */
    public ApiSecurity withDatabaseHealth(java.util.function.BooleanSupplier reachable) {
        this.databaseReachable = reachable;
        return this;
    }

    /** The users, tokens and sessions (blocking; call on a worker or the command line). */
    AuthStore store() {
        return new AuthStore(dataSource.get(), clock);
    }

    /**
     * Adds a user with {@code password} (kept as its BCrypt hash); false when the name is taken. Blocking: call on
     * a worker or the command line.
     */
    public boolean addUser(String username, Role role, String password) {
        return store().addUser(username, role, password);
    }

    /**
     * Adds a user with a random password nobody knows, who signs in with one-time links only ({@link #issueLink});
     * false, and no password hashed, when the name is taken. Blocking.
     */
    public boolean addUserWithRandomPassword(String username, Role role) {
        AuthStore store = store();
        return store.user(username).isEmpty() && store.addUserWithRandomPassword(username, role);
    }

    /**
     * Runs the command line's {@code user ...} or {@code token ...} ({@code command}; docs/security.md) straight on
     * the node's database, each change written to the audit log as done by {@code cli}, and returns its exit code:
     * 0 done, 1 failed (no such user, the database cannot be opened...), 2 bad command line or configuration.
     *
     * @param usage     the command's arguments, printed after a bad command line
     * @param args      the arguments after the command's name
     * @param out       standard output (lists, the new token)
     * @param err       standard error (problems, notes)
     * @param in        standard input (a password given with {@code --password-stdin} or without a terminal)
     * @param clock     the time of the changes and of token expiry
     * @param databases the database of the node's configuration read from {@code --config FILE} (absent: defaults
     *                  and environment); an {@link InvalidInput} when that configuration is wrong
     */
    public static int runAccessCommand(String command, String usage, List<String> args, java.io.PrintStream out,
                                       java.io.PrintStream err, java.io.InputStream in, Clock clock,
                                       java.util.function.Function<Optional<java.nio.file.Path>,
                                           io.outdial.dialer.storage.DatabaseConfig> databases) {
        return AccessCommands.named(command, usage).run(args, out, err, in, clock, databases);
    }

    /** Whether some user has the admin role (without one the API answers 401 to everyone). Blocking. */
    public boolean adminExists() {
        return store().adminExists();
    }

    /** Replaces a user's password and ends their sessions; false when there is no such user. Blocking. */
    public boolean setPassword(String username, String password) {
        return store().setPassword(username, password);
    }

    /**
     * Creates an API token and returns its plain value (shown once; only its hash is kept); {@code expiresAt} null:
     * it never expires. Blocking.
     */
    public String createToken(String name, Role role, String createdBy, Instant expiresAt) {
        return store().createToken(name, role, createdBy, expiresAt).plain();
    }

    /** The audit log (blocking). */
    AuditLog audit() {
        return new AuditLog(dataSource.get(), clock);
    }

    RoutePolicy policy() {
        return policy;
    }

    /** Mounts the guard on {@code /api/*} and the security API; call before any API route is mounted. */
    public void install(Router router) {
        worker = vertx.createSharedWorkerExecutor("outdial-auth", 2);
        if (!http.corsOrigins().isEmpty()) {
            router.route("/api/*").handler(CorsHandler.create().addOrigins(http.corsOrigins())
                .allowedMethods(Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE))
                .allowedHeaders(Set.of("Authorization", "Content-Type", CSRF_HEADER)).allowCredentials(false)
                .maxAgeSeconds(600));
        }
        router.route("/api/*").handler(this::guard);
        // provider callbacks: the Host check, and no user token, session or CSRF (their signatures protect them)
        router.route(HOOKS + "/*").handler(this::hostOnly);
        BodyHandler small = BodyHandler.create(false).setBodyLimit(16 * 1024);
        router.post(P + "/auth/login").handler(small).handler(this::login);
        router.post(P + "/auth/logout").handler(this::logout);
        router.get(P + "/auth/me").handler(ctx -> json(ctx, 200, me(principal(ctx))));
        router.get(P + "/auth/link/:code").handler(this::link);
        router.get(P + "/users").handler(ctx -> reply(ctx, 200, () -> {
            JsonArray items = new JsonArray();
            store().users().forEach(u -> items.add(view(u)));
            return new JsonObject().put("items", items).put("total", items.size());
        }));
        router.post(P + "/users").handler(small).handler(this::addUser);
        router.delete(P + "/users/:username").handler(this::deleteUser);
        router.patch(P + "/users/:username").handler(small).handler(this::changeUser);
        router.get(P + "/tokens").handler(ctx -> reply(ctx, 200, () -> {
            JsonArray items = new JsonArray();
            Instant now = clock.instant();
            store().tokens().forEach(t -> items.add(view(t, now)));
            return new JsonObject().put("items", items).put("total", items.size());
        }));
        router.post(P + "/tokens").handler(small).handler(this::createToken);
        router.delete(P + "/tokens/:tokenId").handler(this::revoke);
        router.get(P + "/audit").handler(ctx -> {
            int limit = (int) number(ctx, "limit", 50, 1, 1000);
            long offset = number(ctx, "offset", 0, 0, Long.MAX_VALUE);
            reply(ctx, 200, () -> audit().pageJson(limit, offset));
        });
    }

    // ---- the guard ----

    /** The Host check alone ({@link #HOOKS}). */
    private void hostOnly(RoutingContext ctx) {
        if (hostAllowed(ctx)) {
            ctx.next();
        }
    }

    /** Whether the Host header names this node; when not, fails the request with 403 and returns false. */
    private boolean hostAllowed(RoutingContext ctx) {
        if (!anyHost) {
            HttpServerRequest req = ctx.request();
            String header = req.getHeader(HttpHeaders.HOST);
            HostAndPort authority = header == null ? req.authority() : null;
            if (header != null ? !listedHost(header) : !listedAuthority(authority)) {
                String named = header != null ? header : authority == null ? "" : authority.host();
                // the header as sent (parsing a malformed one would fail the request with a 500)
                ctx.fail(new ProblemException(403, "host_not_allowed", "the Host header \"" + named
                    + "\" is not a name of this node (add it to http.allowedHosts)", null));
                return false;
            }
        }
        return true;
    }

    /**
     * Whether a {@code Host} header ({@code name}, {@code name:port}, {@code [v6]} or {@code [v6]:port}) names one of
     * {@link #hosts}: compared in place, without parsing it into objects (the parsed authority of vertx-web costs more
     * than the rest of the check on every request).
     */
    private boolean listedHost(String header) {
        int start = 0;
        int end;
        if (header.startsWith("[")) {
            start = 1;
            end = header.indexOf(']');
            if (end < 0 || (end + 1 < header.length() && header.charAt(end + 1) != ':')) {
                return false;
            }
        } else {
            end = header.indexOf(':');
            end = end < 0 ? header.length() : end;
        }
        for (String host : hostList) {
            if (host.length() == end - start && header.regionMatches(true, start, host, 0, host.length())) {
                return true;
            }
        }
        return false;
    }

    /** Whether the request's authority (HTTP/2 has no Host header) names one of {@link #hosts}. */
    private boolean listedAuthority(HostAndPort authority) {
        return authority != null && hosts.contains(bare(authority.host().toLowerCase(Locale.ROOT)));
    }

    private void guard(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        if (!hostAllowed(ctx)) {
            return;
        }
        HttpMethod method = req.method();
        boolean changing = !(method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS);
        if (changing) {
            String origin = req.getHeader(HttpHeaders.ORIGIN);
            if (origin != null && !originAllowed(origin)) {
                ctx.fail(new ProblemException(403, "origin_not_allowed", "requests from the page at " + origin
                    + " may not change anything here (add it to http.corsOrigins to allow it)", null));
                return;
            }
        }
        RoutePolicy.Operation op = policy.find(method == HttpMethod.HEAD ? HttpMethod.GET : method,
            ctx.normalizedPath()); // null: no operation of the API (a signed-in viewer then gets 404 or 405)
        if (op != null && changing && hasBody(req) && !op.accepts(req.getHeader(HttpHeaders.CONTENT_TYPE))) {
            ctx.fail(new ProblemException(415, "unsupported_media_type", op.name() + " takes "
                + String.join(", ", new java.util.TreeSet<>(op.bodyTypes())) + ", not \""
                + req.getHeader(HttpHeaders.CONTENT_TYPE) + "\"", "Content-Type"));
            return;
        }
        if (op != null && op.role().isEmpty()) {
            ctx.next();
            return;
        }
        Role required = op == null ? Role.VIEWER : op.role().get();
        Future<Principal> who = resolve(req, CACHE_TTL_NANOS);
        if (who.isComplete()) { // a cached verification, or no credentials: decided at once, without a callback
            admit(ctx, who, changing, required, op, false);
            return;
        }
        // a look-up in the database: the body must wait for the route's body handler (which resumes it)
        boolean paused = !req.isEnded();
        if (paused) {
            req.pause();
        }
        who.onComplete(ar -> admit(ctx, ar, changing, required, op, paused));
    }

    /**
     * Lets the request go on with who sent it ({@code ar}), or fails it (401, 403 or the look-up's failure);
     * {@code op} is the operation it asked for, null when none of the API's.
     */
    private void admit(RoutingContext ctx, AsyncResult<Principal> ar, boolean changing, Role required,
                       RoutePolicy.Operation op, boolean paused) {
        HttpServerRequest req = ctx.request();
        HttpMethod method = req.method();
        Principal p = ar.succeeded() ? ar.result() : null;
        boolean allowed = p != null && !(changing && p.session()
            && !Secrets.same(req.getHeader(CSRF_HEADER), p.csrfToken())) && p.role().allows(required);
        if (paused && (!allowed || op == null || op.bodyTypes().isEmpty())) {
            req.resume(); // refused, or no handler reads a body here: let it be read and dropped
        }
        if (ar.failed()) {
            ctx.fail(ar.cause());
            return;
        }
        if (p == null) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"outdial\"");
            ctx.fail(new ProblemException(401, "unauthenticated", "sign in (POST /api/v1/auth/login) or send"
                + " Authorization: Bearer <token>; the token or session given is unknown, expired or revoked"
                + " when one was sent", null));
            return;
        }
        if (changing && p.session() && !Secrets.same(req.getHeader(CSRF_HEADER), p.csrfToken())) {
            ctx.fail(new ProblemException(403, "csrf", "a change made with the session cookie needs the "
                + CSRF_HEADER + " header (the csrfToken of the login or of GET /api/v1/auth/me)", CSRF_HEADER));
            return;
        }
        if (!p.role().allows(required)) {
            ctx.fail(new ProblemException(403, "forbidden", (op != null ? op.name()
                : method.name() + " " + ctx.normalizedPath()) + " needs the role " + required.label()
                + " (or admin); " + p.actor() + " has " + p.role().label(), null));
            return;
        }
        ctx.put(PRINCIPAL, p);
        if (p.role() == Role.VIEWER && !http.viewersSeePhones()) {
            ctx.put(MASK_PHONES, Boolean.TRUE);
        }
        if (changing) {
            String action = op != null ? op.name() : method.name() + " " + ctx.normalizedPath();
            ctx.addEndHandler(v -> auditChange(ctx, p, action));
        }
        ctx.next();
    }

    /** The principal of a request that passed the guard (null on public operations). */
    static Principal principal(RoutingContext ctx) {
        return ctx.get(PRINCIPAL);
    }

    /** Who made a request that passed the guard: a user name, or a token's name (null on public operations). */
    public static String callerName(RoutingContext ctx) {
        Principal p = principal(ctx);
        return p == null ? null : p.name();
    }

    /** The role of who made a request that passed the guard (null on public operations). */
    public static Role callerRole(RoutingContext ctx) {
        Principal p = principal(ctx);
        return p == null ? null : p.role();
    }

    /**
     * Keeps checking the credentials of a long-lived answer (an event stream) that passed the guard: every
     * {@link #STREAM_CHECK} they are verified again (from the cache, or the database when the cached verification is
     * older than {@link #CACHE_TTL} less that period), and the stream is cut (its connection reset) once they are
     * revoked, expired, ended or no longer carry the role the request needed: within {@link #CACHE_TTL} of a change
     * by the command line, within {@link #STREAM_CHECK} of one through the API. A check that cannot reach the
     * database keeps the stream. Call it from the route's handler, on the request's event loop.
     */
    public void endWhenRefused(RoutingContext ctx) {
        Principal p = principal(ctx);
        if (p == null) {
            return;
        }
        HttpServerRequest req = ctx.request();
        RoutePolicy.Operation op = policy.find(HttpMethod.GET, ctx.normalizedPath());
        Role required = op == null ? Role.VIEWER : op.role().orElse(Role.VIEWER);
        Stream stream = new Stream(req, required);
        streams.add(stream); // dropped by the check once the answer is closed (its close handler is the route's)
        if (checkingStreams.compareAndSet(false, true)) {
            vertx.setPeriodic(STREAM_CHECK.toMillis(), id -> checkStreams());
        }
    }

    private void checkStreams() {
        for (Stream s : streams) {
            HttpServerResponse res = s.request().response();
            if (res.closed() || res.ended()) {
                streams.remove(s);
                continue;
            }
            resolve(s.request(), STREAM_MAX_AGE_NANOS).onSuccess(p -> {
                if ((p == null || !p.role().allows(s.required())) && streams.remove(s)) {
                    LOG.info("event stream {} ended: its credentials are no longer valid for it",
                        s.request().path());
                    res.reset();
                }
            });
        }
    }

    /**
     * {@code json} with every {@code phone} value masked when the request is a viewer's: {@code +380501234567}
     * becomes {@code +•••••••••••67}.
     */
    public static JsonObject maskPhones(RoutingContext ctx, JsonObject json) {
        if (Boolean.TRUE.equals(ctx.get(MASK_PHONES))) {
            mask(json);
        }
        return json;
    }

    private static void mask(Object node) {
        if (node instanceof JsonObject o) {
            for (String k : new java.util.ArrayList<>(o.fieldNames())) {
                Object v = o.getValue(k);
                if (k.equals("phone") && v instanceof String phone) {
                    o.put(k, maskPhone(phone));
                } else {
                    mask(v);
                }
            }
        } else if (node instanceof JsonArray a) {
            a.forEach(ApiSecurity::mask);
        }
    }

    /** All digits but the last two replaced by {@code •}. */
    public static String maskPhone(String phone) {
        StringBuilder b = new StringBuilder(phone.length());
        int digits = (int) phone.chars().filter(Character::isDigit).count();
        int seen = 0;
        for (char ch : phone.toCharArray()) {
            if (Character.isDigit(ch)) {
                seen++;
                b.append(seen > digits - 2 ? ch : '\u2022');
            } else {
                b.append(ch);
            }
        }
        return b.toString();
    }

    private static boolean hasBody(HttpServerRequest req) {
        String length = req.getHeader(HttpHeaders.CONTENT_LENGTH);
        return (length != null && !length.trim().equals("0")) || req.getHeader(HttpHeaders.TRANSFER_ENCODING) != null;
    }

    private boolean originAllowed(String origin) {
        if (http.corsOrigins().contains(origin)) {
            return true;
        }
        try {
            URI u = URI.create(origin);
            String host = u.getHost();
            return host != null && (u.getScheme().equals("http") || u.getScheme().equals("https"))
                && (anyHost || hosts.contains(bare(host.toLowerCase(Locale.ROOT))));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String bare(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** Who sent {@code req}, trusting a cached verification younger than {@code maxAgeNanos}. */
    private Future<Principal> resolve(HttpServerRequest req, long maxAgeNanos) {
        String auth = req.getHeader(HttpHeaders.AUTHORIZATION);
        if (auth != null) {
            if (auth.length() <= 7 || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return NOBODY;
            }
            return byToken(auth, 7, maxAgeNanos);
        }
        Cookie cookie = req.getCookie(COOKIE);
        return cookie == null || cookie.getValue().isEmpty() ? NOBODY
            : bySession(cookie.getValue(), maxAgeNanos);
    }

    /** Who sent the token that is {@code header} from {@code from} on (surrounding blanks trimmed). */
    private Future<Principal> byToken(String header, int from, long maxAgeNanos) {
        int start = from;
        int end = header.length();
        while (start < end && header.charAt(start) <= ' ') { // trimmed as String.trim does
            start++;
        }
        while (end > start && header.charAt(end - 1) <= ' ') {
            end--;
        }
        String hash = Secrets.presentedHash(header, start, end);
        long at = System.nanoTime();
        Cached c = fresh(hash, maxAgeNanos, at);
        if (c != null) {
            Principal p = usable(c);
            if (p == null) {
                return NOBODY;
            }
            touch(c, at);
            return c.answer();
        }
        Instant now = clock.instant();
        long gen = generation.get();
        return blocking(() -> store().tokenByHash(hash)).map(found -> {
            Principal p = found.filter(t -> t.usable(now)).map(t -> new Principal(t.name(), t.role(), t.id(), null))
                .orElse(null);
            Cached entry = remember(hash, p, found.map(AuthStore.Token::expiresAt).orElse(null), gen);
            if (p != null) {
                touch(entry, System.nanoTime());
            }
            return p;
        });
    }

    private Future<Principal> bySession(String id, long maxAgeNanos) {
        String hash = Secrets.presentedHash(id);
        Cached c = fresh(hash, maxAgeNanos, System.nanoTime());
        if (c != null) {
            return usable(c) == null ? NOBODY : c.answer();
        }
        Instant now = clock.instant();
        long gen = generation.get();
        return blocking(() -> store().sessionByHash(hash)).map(found -> {
            Principal p = found.filter(s -> now.isBefore(s.expiresAt()))
                .map(s -> new Principal(s.username(), s.role(), -1, s.csrfToken())).orElse(null);
            remember(hash, p, found.map(AuthStore.Session::expiresAt).orElse(null), gen);
            return p;
        });
    }

    /** The cached verification of {@code hash} if it is younger than {@code maxAgeNanos} at {@code nanoTime}. */
    private Cached fresh(String hash, long maxAgeNanos, long nanoTime) {
        Cached c = cache.get(hash);
        return c != null && nanoTime - c.checkedAt() < maxAgeNanos ? c : null;
    }

    /** The cached principal unless there is none or it expired (the clock is read only for one with an expiry). */
    private Principal usable(Cached c) {
        return c.principal() == null || (c.expiresAt() != null && !clock.instant().isBefore(c.expiresAt())) ? null
            : c.principal();
    }

    /** Caches a look-up begun at generation {@code gen}, unless an eviction came since (it may have read old rows). */
    private Cached remember(String hash, Principal p, Instant expiresAt, long gen) {
        if (cache.size() >= CACHE_MAX) {
            cache.clear();
        }
        Cached entry = new Cached(p, System.nanoTime(), expiresAt, new AtomicLong(System.nanoTime()
            - TOUCH_EVERY.toNanos() - 1));
        if (generation.get() == gen) {
            cache.put(hash, entry);
            if (generation.get() != gen) {
                cache.remove(hash, entry);
            }
        }
        return entry;
    }

    /** Writes the token's last use at most every {@link #TOUCH_EVERY}; {@code t} is now on the nano clock. */
    private void touch(Cached c, long t) {
        long at = c.touchedAt().get();
        if (t - at > TOUCH_EVERY_NANOS && c.touchedAt().compareAndSet(at, t)) {
            long id = c.principal().tokenId();
            Instant now = clock.instant();
            blocking(() -> {
                store().touch(id, now);
                return null;
            }).onFailure(err -> LOG.debug("last use of token {} not recorded: {}", id, err.toString()));
        }
    }

    /** Drops this node's cached verifications named by {@code e} (called on every node through {@link Evictions}). */
    private void evict(Eviction e) {
        generation.incrementAndGet();
        switch (e.kind()) {
            case TOKEN -> {
                long id = Long.parseLong(e.key());
                cache.values().removeIf(c -> c.principal() != null && c.principal().tokenId() == id);
            }
            case USER -> cache.values().removeIf(c -> c.principal() != null && c.principal().session()
                && c.principal().name().equals(e.key()));
            case SESSION -> cache.remove(e.key());
        }
    }

    private void auditChange(RoutingContext ctx, Principal p, String action) {
        int status = ctx.response().getStatusCode();
        if (status >= 400) {
            return;
        }
        JsonObject detail = new JsonObject();
        ctx.pathParams().forEach(detail::put);
        String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
        if (type != null && type.toLowerCase(Locale.ROOT).startsWith("application/json") && ctx.body() != null
            && ctx.body().buffer() != null && ctx.body().length() > 0 && ctx.body().length() < 64 * 1024) {
            try {
                JsonObject body = ctx.body().asJsonObject();
                if (body != null) {
                    body.forEach(e -> {
                        if (AUDIT_BODY_KEYS.contains(e.getKey()) && !(e.getValue() instanceof JsonObject)
                            && !(e.getValue() instanceof JsonArray)) {
                            detail.put(e.getKey(), e.getValue());
                        }
                    });
                }
            } catch (RuntimeException notJson) {
                // the handler answered it; the audit keeps the path only
            }
        }
        String target = ctx.request().path();
        record(p.actor(), action, target, detail, status);
    }

    private void record(String actor, String action, String target, JsonObject detail, int status) {
        blocking(() -> {
            audit().record(actor, action, target, detail, status);
            return null;
        }).onFailure(err -> LOG.warn("audit entry {} {} by {} not written: {}", action, target, actor,
            err.toString()));
    }

    // ---- login, logout, links ----

    private void login(RoutingContext ctx) {
        JsonObject body = bodyJson(ctx);
        String username = text(body, "username", 64);
        String password = body.getValue("password") instanceof String s ? s : null;
        if (password == null) {
            throw InvalidInput.of("request body", "password", null, "a text value", Reason.MISSING,
                "password is missing");
        }
        String address = address(ctx);
        blocking(() -> { // the throttle may ask the cluster: on the worker, like BCrypt
            Optional<Duration> wait = throttle.wait(username, address);
            if (wait.isPresent()) {
                return new LoginOutcome(null, wait.get());
            }
            AuthStore store = store();
            Optional<AuthStore.User> user = store.user(username);
            if (!Secrets.checkPassword(password, user.map(AuthStore.User::passwordHash).orElse(null))) {
                throttle.failed(username, address);
                return new LoginOutcome(null, null);
            }
            throttle.succeeded(username);
            return new LoginOutcome(store.createSession(user.get(), http.sessionTimeout()), null);
        }).onSuccess(outcome -> {
            if (outcome.retryAfter() != null) {
                long seconds = Math.max(1, outcome.retryAfter().toSeconds());
                ctx.response().putHeader(HttpHeaders.RETRY_AFTER, String.valueOf(seconds));
                record("user:" + username, "login refused (throttled)", P + "/auth/login",
                    new JsonObject().put("address", address), 429);
                ctx.fail(new ProblemException(429, "too_many_attempts", "too many failed logins for this user or from"
                    + " this address; retry in " + seconds + " s", null));
                return;
            }
            AuthStore.NewSession created = outcome.created();
            if (created == null) {
                record("user:" + username, "login failed", P + "/auth/login",
                    new JsonObject().put("address", address), 401);
                ctx.fail(new ProblemException(401, "bad_credentials", "unknown user or wrong password", null));
                return;
            }
            record("user:" + username, "login", P + "/auth/login", new JsonObject().put("address", address), 200);
            startSession(ctx, created);
            json(ctx, 200, sessionView(created.session()));
        }).onFailure(ctx::fail);
    }

    /** A login's result: a new session, or a wait (throttled), or neither (bad credentials). */
    private record LoginOutcome(AuthStore.NewSession created, Duration retryAfter) {
    }

    private void startSession(RoutingContext ctx, AuthStore.NewSession created) {
        ctx.response().addCookie(Cookie.cookie(COOKIE, created.plain()).setPath("/").setHttpOnly(true)
            .setSecure(http.tls()).setSameSite(CookieSameSite.STRICT).setMaxAge(http.sessionTimeout().toSeconds()));
    }

    private static JsonObject sessionView(AuthStore.Session s) {
        return new JsonObject().put("username", s.username()).put("role", s.role().label())
            .put("csrfToken", s.csrfToken()).put("expiresAt", s.expiresAt().toString());
    }

    private void logout(RoutingContext ctx) {
        Principal p = principal(ctx);
        Cookie cookie = ctx.request().getCookie(COOKIE);
        ctx.response().addCookie(Cookie.cookie(COOKIE, "").setPath("/").setHttpOnly(true).setSecure(http.tls())
            .setSameSite(CookieSameSite.STRICT).setMaxAge(0));
        if (p == null || !p.session() || cookie == null) {
            ctx.response().setStatusCode(204).end();
            return;
        }
        String hash = Secrets.sha256(cookie.getValue());
        cache.remove(hash);
        blocking(() -> {
            store().deleteSession(hash);
            evictions.everywhere(new Eviction(Eviction.Kind.SESSION, hash));
            return null;
        }).onSuccess(v -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail);
    }

    /**
     * A one-time sign-in link for {@code username} (the demo prints it): {@code /api/v1/auth/link/<code>}, usable
     * once, from this machine only, within {@link #LINK_TTL}.
     */
    public String issueLink(String username) {
        String code = Secrets.random();
        Instant now = clock.instant();
        links.values().removeIf(l -> !now.isBefore(l.expiresAt()));
        links.put(Secrets.sha256(code), new Link(username, now.plus(LINK_TTL)));
        return P + "/auth/link/" + code;
    }

    private void link(RoutingContext ctx) {
        SocketAddress remote = ctx.request().remoteAddress();
        String ip = remote == null ? "" : String.valueOf(remote.hostAddress());
        if (!(ip.equals("127.0.0.1") || ip.equals("::1") || ip.equals("0:0:0:0:0:0:0:1"))) {
            ctx.fail(new ProblemException(403, "forbidden", "sign-in links work from this machine only", null));
            return;
        }
        Link l = links.remove(Secrets.sha256(ctx.pathParam("code")));
        if (l == null || !clock.instant().isBefore(l.expiresAt())) {
            ctx.fail(new ProblemException(404, "not_found", "this sign-in link is unknown, used or expired", null));
            return;
        }
        blocking(() -> {
            AuthStore store = store();
            AuthStore.User user = store.user(l.username()).orElseThrow(() -> ProblemException.notFound(
                "user " + l.username() + " no longer exists"));
            return store.createSession(user, http.sessionTimeout());
        }).onSuccess(created -> {
            record("user:" + l.username(), "login (sign-in link)", P + "/auth/link", new JsonObject(), 303);
            startSession(ctx, created);
            ctx.response().setStatusCode(303).putHeader(HttpHeaders.LOCATION, "/").end(); // the web UI's dashboard
        }).onFailure(ctx::fail);
    }

    private static JsonObject me(Principal p) {
        return new JsonObject().put("name", p.name()).put("role", p.role().label())
            .put("via", p.session() ? "session" : "token").put("csrfToken", p.csrfToken());
    }

    // ---- users and tokens ----

    private void addUser(RoutingContext ctx) {
        JsonObject body = bodyJson(ctx);
        String username = username(text(body, "username", 64), "request body");
        Role role = Role.parse(text(body, "role", 16), "request body", "role");
        String password = body.getValue("password") instanceof String s ? s : null;
        String problem = Secrets.passwordProblem(password);
        if (problem != null) {
            throw InvalidInput.of("request body", "password", null, "10 to 72 bytes", Reason.OUT_OF_RANGE, problem);
        }
        reply(ctx, 201, () -> {
            if (!store().addUser(username, role, password)) {
                throw ProblemException.conflict("user " + username + " exists already");
            }
            return store().user(username).map(ApiSecurity::view).orElseThrow();
        });
    }

    /** {@code PATCH /users/{username}}: a new role and/or a new password; either ends the user's sessions. */
    private void changeUser(RoutingContext ctx) {
        String username = ctx.pathParam("username");
        JsonObject body = bodyJson(ctx);
        Role role = body.getValue("role") == null ? null : Role.parse(text(body, "role", 16), "request body", "role");
        String password = null;
        if (body.getValue("password") != null) {
            password = body.getValue("password") instanceof String s ? s : null;
            String problem = Secrets.passwordProblem(password);
            if (problem != null) {
                throw InvalidInput.of("request body", "password", null, "10 to 72 bytes", Reason.OUT_OF_RANGE, problem);
            }
        }
        if (role == null && password == null) {
            throw InvalidInput.of("request body", "role", null, "a role or a password", Reason.MISSING,
                "nothing to change: give a role, a password or both");
        }
        String newPassword = password;
        reply(ctx, 200, () -> { // BCrypt on the worker, like every store call here
            if (store().user(username).isEmpty()) {
                throw ProblemException.notFound("no user " + username);
            }
            if (role != null) {
                try {
                    store().setRole(username, role);
                } catch (IllegalStateException e) {
                    throw ProblemException.conflict(e.getMessage());
                }
            }
            if (newPassword != null) {
                store().setPassword(username, newPassword);
            }
            evictions.everywhere(new Eviction(Eviction.Kind.USER, username));
            return store().user(username).map(ApiSecurity::view).orElseThrow();
        });
    }

    private void deleteUser(RoutingContext ctx) {
        String username = ctx.pathParam("username");
        blocking(() -> {
            boolean found;
            try {
                found = store().deleteUser(username);
            } catch (IllegalStateException e) {
                throw ProblemException.conflict(e.getMessage());
            }
            if (found) {
                evictions.everywhere(new Eviction(Eviction.Kind.USER, username));
            }
            return found;
        }).onSuccess(found -> {
            if (!found) {
                ctx.fail(ProblemException.notFound("no user " + username));
                return;
            }
            ctx.response().setStatusCode(204).end();
        }).onFailure(ctx::fail);
    }

    private void createToken(RoutingContext ctx) {
        JsonObject body = bodyJson(ctx);
        String name = text(body, "name", 100);
        Role role = Role.parse(text(body, "role", 16), "request body", "role");
        Object expires = body.getValue("expires");
        Optional<Instant> expiresAt = Expiry.parse(expires == null ? null : String.valueOf(expires), clock.instant(),
            "request body");
        String by = principal(ctx).actor();
        reply(ctx, 201, () -> {
            AuthStore.NewToken created = store().createToken(name, role, by, expiresAt.orElse(null));
            return view(created.token(), clock.instant()).put("token", created.plain());
        });
    }

    private void revoke(RoutingContext ctx) {
        long id = number(ctx.pathParam("tokenId"), "tokenId");
        blocking(() -> {
            boolean done = store().revoke(id);
            evictions.everywhere(new Eviction(Eviction.Kind.TOKEN, Long.toString(id)));
            return done;
        }).onSuccess(done -> {
            if (!done) {
                ctx.fail(ProblemException.notFound("no active token " + id));
                return;
            }
            ctx.response().setStatusCode(204).end();
        }).onFailure(ctx::fail);
    }

    static JsonObject view(AuthStore.User u) {
        return new JsonObject().put("username", u.username()).put("role", u.role().label())
            .put("createdAt", u.createdAt().toString());
    }

    static JsonObject view(AuthStore.Token t, Instant now) {
        String state = t.revokedAt() != null ? "revoked" : t.usable(now) ? "active" : "expired";
        return new JsonObject().put("id", t.id()).put("name", t.name()).put("role", t.role().label())
            .put("createdBy", t.createdBy()).put("createdAt", t.createdAt().toString())
            .put("expiresAt", str(t.expiresAt())).put("lastUsedAt", str(t.lastUsedAt()))
            .put("revokedAt", str(t.revokedAt())).put("state", state);
    }

    /** A user name: 1 to 64 of letters, digits and {@code . _ @ -}. */
    public static String username(String name, String source) {
        if (name == null || !name.matches("[A-Za-z0-9._@-]{1,64}")) {
            throw InvalidInput.of(source, "username", name, "1 to 64 letters, digits, . _ @ -", Reason.INVALID_FORMAT,
                "user name \"" + name + "\" is not 1 to 64 letters, digits, . _ @ -");
        }
        return name;
    }

    // ---- helpers ----

    private static String str(Instant t) {
        return t == null ? null : t.toString();
    }

    private static String address(RoutingContext ctx) {
        SocketAddress remote = ctx.request().remoteAddress();
        return remote == null ? "unknown" : String.valueOf(remote.hostAddress());
    }

    private static JsonObject bodyJson(RoutingContext ctx) {
        if (ctx.body() == null || ctx.body().buffer() == null || ctx.body().length() == 0) {
            throw InvalidInput.of("request body", "$", null, "a JSON object", Reason.MISSING, "the body is empty");
        }
        JsonObject o = ctx.body().asJsonObject();
        if (o == null) {
            throw InvalidInput.of("request body", "$", null, "a JSON object", Reason.MISSING, "the body is empty");
        }
        return o;
    }

    private static String text(JsonObject body, String key, int max) {
        Object v = body.getValue(key);
        if (!(v instanceof String s) || s.isBlank()) {
            throw InvalidInput.of("request body", key, v == null ? null : String.valueOf(v), "a text value",
                v == null ? Reason.MISSING : Reason.WRONG_TYPE, key + " is missing or not a text value");
        }
        if (s.length() > max || s.chars().anyMatch(Character::isISOControl)) {
            throw InvalidInput.of("request body", key, s, "at most " + max + " printable characters",
                Reason.OUT_OF_RANGE, key + " is longer than " + max + " characters or holds control characters");
        }
        return s.trim();
    }

    private static long number(String raw, String name) {
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw InvalidInput.of("path", name, raw, "a whole number", Reason.WRONG_TYPE,
                name + " \"" + raw + "\" is not a whole number");
        }
    }

    private static long number(RoutingContext ctx, String name, long dflt, long min, long max) {
        return io.outdial.dialer.server.DialerHttpServer.queryNumber(ctx, name, dflt, min, max);
    }

    private <T> Future<T> blocking(Callable<T> work) {
        WorkerExecutor w = worker;
        if (w == null) {
            return Future.failedFuture(new ProblemException(503, "not_ready", "the API is not started", null));
        }
        if (!databaseReachable.getAsBoolean()) {
            return Future.failedFuture(new ProblemException(503, ProblemHandler.DATABASE_UNAVAILABLE,
                "the database is unreachable; retry in a few seconds", null));
        }
        return w.executeBlocking(work, false);
    }

    private void reply(RoutingContext ctx, int status, Callable<JsonObject> work) {
        blocking(work).onSuccess(json -> json(ctx, status, json)).onFailure(ctx::fail);
    }

    private static void json(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
            .putHeader(HttpHeaders.CACHE_CONTROL, "no-store").end(body.encode());
    }

    /** For tests: forget every cached verification. */
    void clearCache() {
        cache.clear();
    }

    static long seconds(Duration d) {
        return TimeUnit.NANOSECONDS.toSeconds(d.toNanos());
    }
}
