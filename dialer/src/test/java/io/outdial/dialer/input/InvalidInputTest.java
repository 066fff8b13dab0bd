package io.outdial.dialer.input;

import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one error type of bad input: problems with source, path, value, expected and reason. */
class InvalidInputTest {
    private static InputProblem at(String path) {
        return new InputProblem("campaign file a.yaml", path, "x", "y", Reason.INVALID_FORMAT, "bad " + path);
    }

    @Test
    void theFieldIsThePathWithoutItsRootAndListPositions() {
        assertThat(at("$.limits.lines").field()).isEqualTo("limits.lines");
        assertThat(at("$.attempts.rules[2].outcome").field()).isEqualTo("attempts.rules");
        assertThat(at("$").field()).isNull();
        assertThat(at("state").field()).isEqualTo("state");
        assertThat(at("mapping.phones[0]").field()).isEqualTo("mapping");
        assertThat(at("file[3].reason").field()).isEqualTo("file");
    }

    @Test
    void theMessageJoinsEveryProblemAndTheFirstNamesTheField() {
        InvalidInput e = new InvalidInput("invalid_field", List.of(at("$.a"), at("$.b")));
        assertThat(e.getMessage()).isEqualTo("bad $.a; bad $.b");
        assertThat(e.field()).isEqualTo("a");
        assertThat(e.problems()).extracting(InputProblem::path).containsExactly("$.a", "$.b");
    }

    @Test
    void problemsMoveUnderASection() {
        InvalidInput e = InvalidInput.of(at("$.maxLines")).under("$.trunk");
        assertThat(e.problems().get(0).path()).isEqualTo("$.trunk.maxLines");
        assertThat(InvalidInput.of(at("$")).under("$.trunk").problems().get(0).path()).isEqualTo("$.trunk");
    }

    @Test
    void aLongValueIsCutAndAnEmptyListIsRefused() {
        InputProblem p = new InputProblem("s", "$.a", "v".repeat(500), null, Reason.OUT_OF_RANGE, "too long");
        assertThat(p.value()).hasSize(203).endsWith("...");
        assertThatThrownBy(() -> new InvalidInput("invalid_field", List.of()))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void reasonCodesAreLowerCase() {
        assertThat(Reason.OUT_OF_RANGE.code()).isEqualTo("out_of_range");
    }
}
