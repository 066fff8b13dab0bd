package io.outdial.ivr.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.outdial.ivr.support.Flows;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExamplesTest {

    @ParameterizedTest
    @ValueSource(strings = {"survey-3-questions.json", "appointment-reminder.yaml",
        "broadcast-operator-unsubscribe.json"})
    void everyExampleFlowIsValidWithoutWarnings(String file) {
        ValidationReport report = Flows.example(file);
        assertThat(report.errors()).as(report.render()).isEmpty();
        assertThat(report.isValid()).isTrue();
        assertThat(report.flow().version()).isEqualTo(1);
    }
}
