package io.outdial.ivr.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.outdial.ivr.flow.Condition;
import io.outdial.ivr.flow.Condition.Op;
import io.outdial.ivr.flow.Flow;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConditionsTest {

    private final Conditions conditions = new Conditions(new Flow("f", 1, null, null, "a", Map.of(), Map.of()));

    private boolean test(String value, Op op, String... operands) {
        return conditions.test(new Condition("vars.x", op, Arrays.asList(operands)), s -> value);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "a   | EQ       | a       | true", "a   | EQ       | b     | false",
        "a   | NE       | b       | true", "a   | NE       | a     | false",
        "b   | IN       | a,b     | true", "c   | IN       | a,b   | false",
        "c   | NOT_IN   | a,b     | true", "a   | NOT_IN   | a,b   | false",
        "123 | MATCHES  | [0-9]+  | true", "12a | MATCHES  | [0-9]+ | false",
        "10  | GT       | 9       | true", "9   | GT       | 10    | false",
        "9   | LT       | 10      | true", "10  | LT       | 9     | false",
        "9.0 | GE       | 9       | true", "8   | GE       | 9     | false",
        "9   | LE       | 9       | true", "10  | LE       | 9     | false",
        "abc | GT       | 1       | false", "1  | LT       | abc   | false"})
    void eachOperatorHoldsOrNot(String value, Op op, String operands, boolean expected) {
        assertThat(test(value, op, operands.split(","))).isEqualTo(expected);
    }

    @Test
    void emptyAndNotEmptyTreatAMissingValueAsEmpty() {
        assertThat(conditions.test(new Condition("contact.x", Op.EMPTY, List.of()), s -> null)).isTrue();
        assertThat(conditions.test(new Condition("contact.x", Op.NOT_EMPTY, List.of()), s -> null)).isFalse();
        assertThat(test("x", Op.NOT_EMPTY)).isTrue();
        assertThat(test("x", Op.EMPTY)).isFalse();
        assertThat(conditions.test(new Condition("contact.x", Op.EQ, List.of("")), s -> null)).isTrue();
    }
}
