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
}
