package io.outdial.dialer.auth;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RoutePolicyTest {
    @Test
    void theApiDocumentDeclaresARoleForEveryOperation() {
        RoutePolicy policy = RoutePolicy.load();
        assertThat(policy.operations()).hasSizeGreaterThan(40).allSatisfy(op -> assertThat(op.template())
            .startsWith("/api/v1/"));
        assertThat(policy.match(HttpMethod.POST, "/api/v1/flows/validate").orElseThrow().role())
            .hasValue(Role.DESIGNER);
        assertThat(policy.match(HttpMethod.POST, "/api/v1/campaigns/c1/state").orElseThrow().role())
            .hasValue(Role.SUPERVISOR);
        assertThat(policy.match(HttpMethod.GET, "/api/v1/audit").orElseThrow().role()).hasValue(Role.ADMIN);
        assertThat(policy.match(HttpMethod.POST, "/api/v1/auth/login").orElseThrow().role()).isEmpty();
        assertThat(policy.match(HttpMethod.GET, "/api/v1/stop-list/global/export.csv").orElseThrow().template())
            .isEqualTo("/api/v1/stop-list/{scope}/export.csv");
        assertThat(policy.match(HttpMethod.GET, "/api/v1/nothing")).isEmpty();
    }

    @Test
    void anOperationWithoutARoleStopsTheStart() {
        JsonObject doc = new JsonObject("{\"paths\": {\"/api/v1/x\": {\"get\": {\"x-required-role\": \"viewer\"},"
            + " \"post\": {}}}}");
        assertThatThrownBy(() -> RoutePolicy.of(doc)).hasMessageContaining("POST /api/v1/x");
    }

    @Test
    void bodyTypesAreTheOperationsOwn() {
        RoutePolicy.Operation create = RoutePolicy.load().match(HttpMethod.POST, "/api/v1/campaigns").orElseThrow();
        assertThat(create.accepts("application/json; charset=utf-8")).isTrue();
        assertThat(create.accepts("application/yaml")).isTrue();
        assertThat(create.accepts("text/plain")).isFalse();
        assertThat(create.accepts(null)).isFalse();
    }

    @Test
    void designerAndSupervisorAreSideBySideAndAdminMayDoEverything() {
        assertThat(Role.ADMIN.allows(Role.SUPERVISOR)).isTrue();
        assertThat(Role.DESIGNER.allows(Role.SUPERVISOR)).isFalse();
        assertThat(Role.SUPERVISOR.allows(Role.DESIGNER)).isFalse();
        assertThat(Role.VIEWER.allows(Role.VIEWER)).isTrue();
        assertThat(Role.VIEWER.allows(Role.DESIGNER)).isFalse();
    }

    @Test
    void theTreeFindsWhatTryingEveryTemplateInOrderWould() {
        RoutePolicy policy = RoutePolicy.load();
        java.util.List<String> paths = new java.util.ArrayList<>(java.util.List.of("/", "", "/api", "/api/v1",
            "/api/v1/", "/api/v1/campaigns/", "/api/v1/campaigns//contacts", "/api/v1/flows/validate/x",
            "api/v1/campaigns", "/api/v1/campaigns/c1/contacts/", "/API/v1/campaigns"));
        for (RoutePolicy.Operation op : policy.operations()) {
            String template = op.template();
            paths.add(template.replaceAll("\\{[^}]+}", "x1"));
            paths.add(template.replaceAll("\\{[^}]+}", "validate"));
            paths.add(template.replaceAll("\\{[^}]+}", "templates"));
            paths.add(template + "/more");
            paths.add(template.substring(0, template.lastIndexOf('/')));
        }
        for (HttpMethod method : java.util.List.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT,
            HttpMethod.DELETE, HttpMethod.PATCH, HttpMethod.OPTIONS)) {
            for (String path : paths) {
                assertThat(policy.match(method, path)).as("%s %s", method, path)
                    .isEqualTo(oneByOne(policy, method, path));
            }
        }
    }

    @Test
    void fewerParametersWinThenTheDocumentsOrder() {
        RoutePolicy policy = RoutePolicy.of(new JsonObject("{\"paths\": {"
            + "\"/{p}/{q}/c\": {\"get\": {\"x-required-role\": \"admin\"}},"
            + "\"/{y}/b/c\": {\"get\": {\"x-required-role\": \"designer\"}},"
            + "\"/a/{x}/c\": {\"get\": {\"x-required-role\": \"supervisor\"}}}}"));
        assertThat(policy.match(HttpMethod.GET, "/a/b/c").orElseThrow().template()).isEqualTo("/{y}/b/c");
        assertThat(policy.match(HttpMethod.GET, "/a/z/c").orElseThrow().template()).isEqualTo("/a/{x}/c");
        assertThat(policy.match(HttpMethod.GET, "/z/z/c").orElseThrow().template()).isEqualTo("/{p}/{q}/c");
        assertThat(policy.match(HttpMethod.GET, "/z//c")).isEmpty();
        assertThat(policy.match(HttpMethod.GET, "/z/z/d")).isEmpty();
    }

    /** The reference: the operations tried in their order, each template compared segment by segment. */
    private static java.util.Optional<RoutePolicy.Operation> oneByOne(RoutePolicy policy, HttpMethod method,
                                                                      String path) {
        for (RoutePolicy.Operation op : policy.operations()) {
            if (!op.method().equals(method) || !path.startsWith("/")) {
                continue;
            }
            String[] want = op.template().substring(1).split("/", -1);
            String[] got = path.substring(1).split("/", -1);
            boolean same = want.length == got.length;
            for (int i = 0; same && i < want.length; i++) {
                same = want[i].startsWith("{") ? !got[i].isEmpty() : want[i].equals(got[i]);
            }
            if (same) {
                return java.util.Optional.of(op);
            }
        }
        return java.util.Optional.empty();
    }
}
